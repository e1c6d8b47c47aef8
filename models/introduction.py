"""Introductions between peer municipalities: one asks to be put in touch with another."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.registry import Municipality


class IntroductionStatus(StrEnum):
    REQUESTED = "REQUESTED"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"


class Introduction(Model):
    """Private to the two municipalities and the secretariat. Once accepted, each sees the
    other's current main contact."""

    id = fields.IntField(primary_key=True)
    requester: fields.ForeignKeyRelation[Municipality] = fields.ForeignKeyField(
        "models.Municipality", related_name="introductions_sent", on_delete=fields.RESTRICT
    )
    requester_id: int
    peer: fields.ForeignKeyRelation[Municipality] = fields.ForeignKeyField(
        "models.Municipality", related_name="introductions_received", on_delete=fields.RESTRICT
    )
    peer_id: int
    message = fields.TextField()
    status = fields.CharEnumField(IntroductionStatus, max_length=16)
    requested_at = fields.DatetimeField(auto_now_add=True)
    answered_at = fields.DatetimeField(null=True)

    class Meta:
        table = "introduction"
        ordering = ["-id"]
        indexes = (("requester_id", "status"), ("peer_id", "status"))
