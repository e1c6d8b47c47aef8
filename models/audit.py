"""The audit log: one entry per mutation, accepted, refused or failed, and per export of personal data."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

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
    changes: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    errors: fields.JSONField[list[str]] = fields.JSONField(default=list)
    target_name = fields.CharField(max_length=255, null=True)
    """The target's name when the entry was written (a municipality's, a person's, a title), so
    the log reads and is searched by it even after the target is renamed or gone."""
    target_name_en = fields.CharField(max_length=255, null=True)
    """The target's English name, where it has one."""
    reason = fields.TextField(null=True)
    """Why the secretariat did it, as they wrote it when they confirmed (e.g. a suspension)."""

    class Meta:
        table = "audit_entry"
        ordering = ["-id"]
