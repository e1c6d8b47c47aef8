"""The audit log: one entry per mutation, accepted, refused or failed, and per export of personal data."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.account import Role


class AuditOutcome(StrEnum):
    ACCEPTED = "ACCEPTED"
    REFUSED = "REFUSED"
    FAILED = "FAILED"


class AuditEntry(Model):
    id = fields.IntField(primary_key=True)
    at = fields.DatetimeField(auto_now_add=True, db_index=True)
    action = fields.CharField(max_length=64, db_index=True)
    outcome = fields.CharEnumField(AuditOutcome, max_length=16)
    user_id = fields.IntField(null=True, db_index=True)
    token_id = fields.IntField(null=True)
    role = fields.CharEnumField(Role, max_length=16, null=True)
    target = fields.CharField(max_length=128, null=True)
    changes = fields.JSONField(default=dict)
    errors = fields.JSONField(default=list)

    class Meta:
        table = "audit_entry"
        ordering = ["-id"]
