"""Staff contacts of member municipalities: personal data, rotated with the fiscal year."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.registry import Municipality
from models.theme import WorkingGroup


class ContactRole(StrEnum):
    MAIN = "MAIN"
    DEPUTY = "DEPUTY"
    WORKING_GROUP = "WORKING_GROUP"
    ACCOUNTING = "ACCOUNTING"


class Contact(Model):
    """One person a municipality names for a role in one fiscal year, ended, never deleted."""

    id = fields.IntField(primary_key=True)
    municipality: fields.ForeignKeyRelation[Municipality] = fields.ForeignKeyField(
        "models.Municipality", related_name="contacts", on_delete=fields.RESTRICT
    )
    municipality_id: int
    role = fields.CharEnumField(ContactRole, max_length=16)
    working_group: fields.ForeignKeyNullableRelation[WorkingGroup] = fields.ForeignKeyField(
        "models.WorkingGroup", related_name="contacts", null=True, on_delete=fields.RESTRICT
    )
    working_group_id: int | None
    name = fields.CharField(max_length=64)
    department = fields.CharField(max_length=128, null=True)
    email = fields.CharField(max_length=254, null=True)
    phone = fields.CharField(max_length=32, null=True)
    fiscal_year = fields.IntField()
    started_on = fields.DateField()
    ended_on = fields.DateField(null=True)

    class Meta:
        table = "contact"
        ordering = ["municipality_id", "role", "id"]
