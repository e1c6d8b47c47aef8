"""Notifications: what a municipality's or a partner's staff are told about their own business."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model


class NotificationKind(StrEnum):
    PROPOSAL_RECEIVED = "PROPOSAL_RECEIVED"
    PROPOSAL_SHORTLISTED = "PROPOSAL_SHORTLISTED"
    PROPOSAL_SELECTED = "PROPOSAL_SELECTED"
    PROPOSAL_NOT_SELECTED = "PROPOSAL_NOT_SELECTED"
    PROJECT_PHASE_CHANGED = "PROJECT_PHASE_CHANGED"
    PROPOSAL_DECLINED = "PROPOSAL_DECLINED"
    PROPOSAL_UPDATED = "PROPOSAL_UPDATED"
    CHALLENGE_REVIEWED = "CHALLENGE_REVIEWED"
    WAITLIST_PROMOTED = "WAITLIST_PROMOTED"
    OFFERING_REQUESTED = "OFFERING_REQUESTED"
    OFFERING_REQUEST_ANSWERED = "OFFERING_REQUEST_ANSWERED"
    BULLETIN_PUBLISHED = "BULLETIN_PUBLISHED"
    PROCUREMENT_CLOSED = "PROCUREMENT_CLOSED"
    MEMBERSHIP_DECIDED = "MEMBERSHIP_DECIDED"
    INTRODUCTION_REQUESTED = "INTRODUCTION_REQUESTED"
    INTRODUCTION_ANSWERED = "INTRODUCTION_ANSWERED"
    EVENT_UPDATED = "EVENT_UPDATED"
    EVENT_CANCELLED = "EVENT_CANCELLED"


class Notification(Model):
    """Addressed to one organisation: every staff member of that municipality or partner sees it.

    `subject_type` and `subject_id` name the object it is about (a GraphQL type name and the row
    id), so the API can link to it with a global ID. What it says is not stored as text: `params`
    holds the titles, names and figures its kind's message needs, and the message is rendered
    from them in the reader's language (`resolvers.notification.message_of`).
    """

    id = fields.IntField(primary_key=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    kind = fields.CharEnumField(NotificationKind, max_length=32)
    municipality: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Municipality", related_name="notifications", null=True, on_delete=fields.CASCADE
    )
    municipality_id: int | None
    partner: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Partner", related_name="notifications", null=True, on_delete=fields.CASCADE
    )
    partner_id: int | None
    params: fields.JSONField[dict[str, Any] | None] = fields.JSONField(null=True, default=dict)
    subject_type = fields.CharField(max_length=32)
    subject_id = fields.IntField()
    read_at = fields.DatetimeField(null=True)

    class Meta:
        table = "notification"
        ordering = ["-id"]
        indexes = (("municipality_id", "id"), ("partner_id", "id"))
