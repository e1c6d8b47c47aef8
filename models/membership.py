"""Memberships of municipalities in alliances, and the history of every change to them."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.alliance import Alliance
from models.registry import Municipality


class MembershipTier(StrEnum):
    FULL = "FULL"
    SUPPORTING = "SUPPORTING"


class MembershipStatus(StrEnum):
    APPLIED = "APPLIED"
    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"
    WITHDRAWN = "WITHDRAWN"
    REJECTED = "REJECTED"
    TRANSFERRED = "TRANSFERRED"


class MembershipChangeKind(StrEnum):
    APPLIED = "APPLIED"
    JOINED = "JOINED"
    TIER_CHANGED = "TIER_CHANGED"
    STATUS_CHANGED = "STATUS_CHANGED"
    CARRIED_OVER = "CARRIED_OVER"


class MembershipNoteKind(StrEnum):
    """A history note the service writes itself, rendered in the reader's language when read."""

    SUCCESSION = "SUCCESSION"
    FROM_PREDECESSOR = "FROM_PREDECESSOR"
    TO_SUCCESSOR = "TO_SUCCESSOR"
    SEED_CORRECTION = "SEED_CORRECTION"


class Membership(Model):
    id = fields.IntField(primary_key=True)
    alliance: fields.ForeignKeyRelation[Alliance] = fields.ForeignKeyField(
        "models.Alliance", related_name="memberships", on_delete=fields.RESTRICT
    )
    alliance_id: int
    municipality: fields.ForeignKeyRelation[Municipality] = fields.ForeignKeyField(
        "models.Municipality", related_name="memberships", on_delete=fields.RESTRICT
    )
    municipality_id: int
    tier = fields.CharEnumField(MembershipTier, max_length=16)
    status = fields.CharEnumField(MembershipStatus, max_length=16)
    joined_on = fields.DateField(null=True)
    left_on = fields.DateField(null=True)

    class Meta:
        table = "membership"
        unique_together = (("alliance", "municipality"),)
        ordering = ["alliance_id", "municipality_id"]


class MembershipChange(Model):
    """One entry in a membership's history: how it began, and every tier or status change.

    `note` is what a person wrote, kept as written. A note the service writes itself (a
    succession, the seed) is `note_kind` with `note_params` (names in both languages), rendered
    in the reader's language when read (`resolvers.membership.history_note`).
    """

    id = fields.IntField(primary_key=True)
    membership: fields.ForeignKeyRelation[Membership] = fields.ForeignKeyField(
        "models.Membership", related_name="changes", on_delete=fields.CASCADE
    )
    membership_id: int
    kind = fields.CharEnumField(MembershipChangeKind, max_length=16)
    tier_before = fields.CharEnumField(MembershipTier, max_length=16, null=True)
    tier_after = fields.CharEnumField(MembershipTier, max_length=16, null=True)
    status_before = fields.CharEnumField(MembershipStatus, max_length=16, null=True)
    status_after = fields.CharEnumField(MembershipStatus, max_length=16, null=True)
    effective_on = fields.DateField(null=True)
    note = fields.TextField(null=True)
    note_kind = fields.CharEnumField(MembershipNoteKind, max_length=32, null=True)
    note_params: fields.JSONField[dict[str, Any] | None] = fields.JSONField(null=True, default=dict)
    recorded_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "membership_change"
        ordering = ["membership_id", "id"]
