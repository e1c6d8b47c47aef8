"""Joint procurement (共同調達): municipalities buying one item together, e.g. emergency stockpiles.

A group gathers participants until it closes; leaving ends a participation rather than deleting
it, so the history of who took part, and with how much, is kept.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class ProcurementStatus(StrEnum):
    OPEN = "OPEN"
    CLOSED = "CLOSED"


class ProcurementGroup(Model):
    id = fields.IntField(primary_key=True)
    alliance: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Alliance", related_name="procurement_groups", on_delete=fields.RESTRICT
    )
    alliance_id: int
    theme: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Theme", related_name="procurement_groups", on_delete=fields.RESTRICT
    )
    theme_id: int
    item = fields.CharField(max_length=200)
    description = fields.TextField()
    unit = fields.CharField(max_length=16)
    organiser: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Municipality", related_name="organised_procurement_groups", on_delete=fields.RESTRICT
    )
    organiser_id: int
    status = fields.CharEnumField(ProcurementStatus, max_length=16, default=ProcurementStatus.OPEN)
    closes_on = fields.DateField()
    created_at = fields.DatetimeField(auto_now_add=True)
    closed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "procurement_group"
        ordering = ["-id"]


class ProcurementParticipation(Model):
    """A municipality's share of a group, live while `left_at` is null (at most one live each)."""

    id = fields.IntField(primary_key=True)
    group: fields.ForeignKeyRelation[ProcurementGroup] = fields.ForeignKeyField(
        "models.ProcurementGroup", related_name="participations", on_delete=fields.CASCADE
    )
    group_id: int
    municipality: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Municipality", related_name="procurement_participations", on_delete=fields.RESTRICT
    )
    municipality_id: int
    quantity = fields.IntField()
    joined_at = fields.DatetimeField(auto_now_add=True)
    left_at = fields.DatetimeField(null=True)

    class Meta:
        table = "procurement_participation"
        ordering = ["group_id", "id"]
        indexes = (("group_id", "left_at"), ("municipality_id", "left_at"))
