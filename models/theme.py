"""The three pillars, the ten themes and the working group each alliance runs per theme."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class PillarKey(StrEnum):
    EMPOWERING = "EMPOWERING"
    CONNECTING = "CONNECTING"
    SAVING = "SAVING"


class Pillar(Model):
    id = fields.IntField(primary_key=True)
    key = fields.CharEnumField(PillarKey, max_length=16, unique=True)
    name = fields.CharField(max_length=16)
    name_en = fields.CharField(max_length=64)
    domain = fields.CharField(max_length=32)
    tagline = fields.CharField(max_length=64)
    position = fields.IntField()

    themes: fields.ReverseRelation[Theme]

    class Meta:
        table = "pillar"
        ordering = ["position"]


class Theme(Model):
    id = fields.IntField(primary_key=True)
    number = fields.IntField(unique=True)
    roman = fields.CharField(max_length=8)
    pillar: fields.ForeignKeyRelation[Pillar] = fields.ForeignKeyField(
        "models.Pillar", related_name="themes", on_delete=fields.RESTRICT
    )
    pillar_id: int
    title = fields.CharField(max_length=64)
    title_en = fields.CharField(max_length=64)
    heading = fields.CharField(max_length=128)
    legacy = fields.TextField()
    legacy_goals: fields.JSONField[list[str]] = fields.JSONField(default=list)
    summary = fields.TextField()

    class Meta:
        table = "theme"
        ordering = ["number"]


class WorkingGroup(Model):
    id = fields.IntField(primary_key=True)
    alliance: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Alliance", related_name="working_groups", on_delete=fields.CASCADE
    )
    alliance_id: int
    theme: fields.ForeignKeyRelation[Theme] = fields.ForeignKeyField(
        "models.Theme", related_name="working_groups", on_delete=fields.RESTRICT
    )
    theme_id: int

    class Meta:
        table = "working_group"
        unique_together = (("alliance", "theme"),)
        ordering = ["alliance_id", "theme_id"]


class WorkingGroupParticipant(Model):
    """A full member taking part in a working group, leaving ends the record, it is not deleted."""

    id = fields.IntField(primary_key=True)
    working_group: fields.ForeignKeyRelation[WorkingGroup] = fields.ForeignKeyField(
        "models.WorkingGroup", related_name="participants", on_delete=fields.CASCADE
    )
    working_group_id: int
    membership: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Membership", related_name="working_group_seats", on_delete=fields.CASCADE
    )
    membership_id: int
    joined_on = fields.DateField()
    left_on = fields.DateField(null=True)

    class Meta:
        table = "working_group_participant"
        ordering = ["working_group_id", "id"]
