"""Alliances, their officers and their secretariat."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.membership import Membership
    from models.registry import Municipality


class OfficerRole(StrEnum):
    CHAIR = "CHAIR"
    ACTING_CHAIR = "ACTING_CHAIR"
    VICE_CHAIR = "VICE_CHAIR"
    AUDITOR = "AUDITOR"
    ADVISER = "ADVISER"


class Alliance(Model):
    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=128)
    name_en = fields.CharField(max_length=128, null=True)
    short_name = fields.CharField(max_length=32, null=True)
    mission = fields.TextField(null=True)
    vision = fields.TextField(null=True)
    founded_on = fields.DateField(null=True)
    predecessor: fields.ForeignKeyNullableRelation[Alliance] = fields.ForeignKeyField(
        "models.Alliance", related_name="successors", null=True, on_delete=fields.SET_NULL
    )
    predecessor_id: int | None

    memberships: fields.ReverseRelation[Membership]
    successors: fields.ReverseRelation[Alliance]

    class Meta:
        table = "alliance"
        ordering = ["founded_on", "id"]


class Officer(Model):
    """An officer or adviser of an alliance, with the term the record covers."""

    id = fields.IntField(primary_key=True)
    alliance: fields.ForeignKeyRelation[Alliance] = fields.ForeignKeyField(
        "models.Alliance", related_name="officers", on_delete=fields.CASCADE
    )
    alliance_id: int
    role = fields.CharEnumField(OfficerRole, max_length=16)
    person_name = fields.CharField(max_length=64)
    title = fields.CharField(max_length=128, null=True)
    municipality: fields.ForeignKeyNullableRelation[Municipality] = fields.ForeignKeyField(
        "models.Municipality", related_name="officer_seats", null=True, on_delete=fields.RESTRICT
    )
    municipality_id: int | None
    started_on = fields.DateField(null=True)
    ended_on = fields.DateField(null=True)
    position = fields.IntField(default=0)

    class Meta:
        table = "officer"
        ordering = ["alliance_id", "position", "id"]


class SecretariatSeat(Model):
    """A municipality that staffs an alliance's secretariat (事務局)."""

    id = fields.IntField(primary_key=True)
    alliance: fields.ForeignKeyRelation[Alliance] = fields.ForeignKeyField(
        "models.Alliance", related_name="secretariat_seats", on_delete=fields.CASCADE
    )
    alliance_id: int
    municipality: fields.ForeignKeyRelation[Municipality] = fields.ForeignKeyField(
        "models.Municipality", related_name="secretariat_seats", on_delete=fields.RESTRICT
    )
    municipality_id: int
    position = fields.IntField(default=0)

    class Meta:
        table = "secretariat_seat"
        unique_together = (("alliance", "municipality"),)
        ordering = ["alliance_id", "position", "id"]
