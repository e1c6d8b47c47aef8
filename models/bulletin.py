"""Bulletins: the alliance's monthly newsletter (会報), each issue written for an audience."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.partner import Audience


class BulletinStatus(StrEnum):
    DRAFT = "DRAFT"
    SCHEDULED = "SCHEDULED"
    PUBLISHED = "PUBLISHED"


class Bulletin(Model):
    """One monthly issue of one alliance, `year` and `month` name the issue (e.g. 2026-11)."""

    id = fields.IntField(primary_key=True)
    alliance: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Alliance", related_name="bulletins", on_delete=fields.RESTRICT
    )
    alliance_id: int
    year = fields.IntField()
    month = fields.IntField()
    title = fields.CharField(max_length=200)
    body = fields.TextField()
    audience = fields.CharEnumField(Audience, max_length=16)
    status = fields.CharEnumField(BulletinStatus, max_length=16, default=BulletinStatus.DRAFT)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    published_at = fields.DatetimeField(null=True)
    publish_at = fields.DatetimeField(null=True)
    """When a SCHEDULED bulletin is to be published (`resolvers.bulletin.publish_due`)."""

    class Meta:
        table = "bulletin"
        unique_together = (("alliance", "year", "month"),)
        ordering = ["-year", "-month", "-id"]


class BulletinAttachment(Model):
    """A file (PDF, PNG or JPEG, checked by its content) attached to a bulletin, in the order added."""

    id = fields.IntField(primary_key=True)
    bulletin: fields.ForeignKeyRelation[Bulletin] = fields.ForeignKeyField(
        "models.Bulletin", related_name="attachments", on_delete=fields.CASCADE
    )
    bulletin_id: int
    file: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.StoredFile", related_name="bulletin_attachments", on_delete=fields.RESTRICT
    )
    file_id: int

    class Meta:
        table = "bulletin_attachment"
        ordering = ["id"]


class BulletinDelivery(Model):
    """The bulletin emailed to one contact: the outbox row that carries it, and the hash of the
    one-click unsubscribe token in its link (the token itself is only in the email)."""

    id = fields.IntField(primary_key=True)
    bulletin: fields.ForeignKeyRelation[Bulletin] = fields.ForeignKeyField(
        "models.Bulletin", related_name="deliveries", on_delete=fields.RESTRICT
    )
    bulletin_id: int
    contact: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Contact", related_name="bulletin_deliveries", on_delete=fields.RESTRICT
    )
    contact_id: int
    email: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.OutboundEmail", related_name="bulletin_deliveries", on_delete=fields.RESTRICT
    )
    email_id: int
    token_hash = fields.CharField(max_length=64, unique=True)

    class Meta:
        table = "bulletin_delivery"
        ordering = ["id"]


class BulletinUnsubscribe(Model):
    """An address that asked for no more bulletins (RFC 8058 one-click, or the page it links to)."""

    id = fields.IntField(primary_key=True)
    address = fields.CharField(max_length=254, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "bulletin_unsubscribe"
