"""Users of Tsunagu and the API tokens they call it with."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.partner import Partner
from models.registry import Municipality


class Role(StrEnum):
    ADMIN = "ADMIN"
    MUNICIPALITY = "MUNICIPALITY"
    PARTNER = "PARTNER"


class TokenScope(StrEnum):
    READ = "READ"
    WRITE = "WRITE"


class NotificationEmail(StrEnum):
    """How a user hears of their organisation's notifications by email."""

    IMMEDIATE = "IMMEDIATE"
    DAILY = "DAILY"
    OFF = "OFF"


class User(Model):
    """A person who calls the API: secretariat staff, or staff of one municipality or one partner."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=128)
    role = fields.CharEnumField(Role, max_length=16)
    municipality: fields.ForeignKeyNullableRelation[Municipality] = fields.ForeignKeyField(
        "models.Municipality", related_name="staff", null=True, on_delete=fields.RESTRICT
    )
    municipality_id: int | None
    partner: fields.ForeignKeyNullableRelation[Partner] = fields.ForeignKeyField(
        "models.Partner", related_name="staff", null=True, on_delete=fields.RESTRICT
    )
    partner_id: int | None
    language = fields.CharField(max_length=8, null=True)
    """The language the user chose to read Tsunagu in ("ja", "en"); None: not chosen (Japanese,
    unless a request's Accept-Language says otherwise)."""
    email = fields.CharField(max_length=254, null=True)
    """Where Tsunagu writes to the user (login links, notifications); normalised by `mail.address`."""
    notification_email = fields.CharEnumField(
        NotificationEmail, max_length=16, default=NotificationEmail.IMMEDIATE
    )
    last_digest_on = fields.DateField(null=True)
    """The Japan date of the last daily digest taken for the user: one sender claims each day with a
    conditional update, so a digest goes out once however many workers and hosts run."""
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "user_account"
        ordering = ["id"]


class ApiToken(Model):
    """A bearer token. Only its SHA-256 digest is stored, the token itself is shown once."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="tokens", on_delete=fields.CASCADE
    )
    user_id: int
    digest = fields.CharField(max_length=64, unique=True)
    hint = fields.CharField(max_length=12)
    scopes: fields.JSONField[list[str]] = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_token"
        ordering = ["id"]
