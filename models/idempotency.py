"""Idempotency keys: the first answer to a keyed mutation, kept so that a retry gets it again."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class IdempotencyKey(Model):
    """One caller's key for one mutation, written in the transaction of the change it answers for.

    `fingerprint` is the SHA-256 of the request (document, operation name and variables): a retry
    must send the same. `answer` is the operation's `data` as it was first answered; null while
    the change is still running. Rows are deleted once `expires_at` has passed.
    """

    id = fields.IntField(primary_key=True)
    user_id = fields.IntField()
    action = fields.CharField(max_length=64)
    key = fields.CharField(max_length=255)
    fingerprint = fields.CharField(max_length=64)
    answer: fields.JSONField[dict[str, Any] | None] = fields.JSONField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "idempotency_key"
        unique_together = (("user_id", "action", "key"),)
        table_description = "A caller's key for one mutation and the answer it got, kept for a day (a setting)."
