"""The API contract's own records: persisted operations, and who still uses deprecated fields."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.account import ApiToken, User


class PersistedOperation(Model):
    """A GraphQL document registered under the SHA-256 of its text (Apollo persisted queries).

    Trusted operations are shipped in the repository (`clients/python/operations/`) and stored
    under the hash of their normalised text; they are the allow-list for callers the server runs
    in persisted-only mode. Documents registered by clients are a cache, never an allow-list.
    """

    id = fields.IntField(primary_key=True)
    sha256 = fields.CharField(max_length=64, unique=True)
    document = fields.TextField()
    trusted = fields.BooleanField(default=False)
    name = fields.CharField(max_length=255, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "persisted_operation"
        ordering = ["id"]


class DeprecatedUsage(Model):
    """How often one caller used one deprecated schema coordinate: one row per caller and coordinate."""

    id = fields.IntField(primary_key=True)
    caller = fields.CharField(max_length=32)
    token: fields.ForeignKeyNullableRelation[ApiToken] = fields.ForeignKeyField(
        "models.ApiToken", related_name="deprecated_usages", null=True, on_delete=fields.CASCADE
    )
    token_id: int | None
    user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="deprecated_usages", null=True, on_delete=fields.CASCADE
    )
    user_id: int | None
    coordinate = fields.CharField(max_length=255)
    count = fields.BigIntField(default=0)
    first_seen_at = fields.DatetimeField()
    last_seen_at = fields.DatetimeField()

    class Meta:
        table = "deprecated_usage"
        unique_together = (("caller", "coordinate"),)
        ordering = ["coordinate", "-last_seen_at"]
