"""Dues (負担金): what each member is billed per fiscal year, and what became of it."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.membership import Membership


class DuesStatus(StrEnum):
    BILLED = "BILLED"
    PAID = "PAID"
    WAIVED = "WAIVED"
    CARRIED_OVER = "CARRIED_OVER"


class Dues(Model):
    """One bill. A balance carried to a successor alliance becomes a bill there, linked back.

    `note` is what the secretariat wrote. A carried-over bill keeps the names of the alliance it
    came from in both languages (`carried_from_alliance`), and the API says where it came from in
    the reader's language (`resolvers.dues.note_of`).
    """

    id = fields.IntField(primary_key=True)
    membership: fields.ForeignKeyRelation[Membership] = fields.ForeignKeyField(
        "models.Membership", related_name="dues", on_delete=fields.RESTRICT
    )
    membership_id: int
    fiscal_year = fields.IntField()
    amount = fields.IntField()
    status = fields.CharEnumField(DuesStatus, max_length=16, default=DuesStatus.BILLED)
    settled_on = fields.DateField(null=True)
    carried_from: fields.ForeignKeyNullableRelation[Dues] = fields.ForeignKeyField(
        "models.Dues", related_name="carried_to", null=True, on_delete=fields.RESTRICT
    )
    carried_from_id: int | None
    note = fields.TextField(null=True)
    carried_from_alliance: fields.JSONField[dict[str, Any] | None] = fields.JSONField(null=True)

    class Meta:
        table = "dues"
        ordering = ["membership_id", "fiscal_year", "id"]
