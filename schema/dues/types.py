"""Dues (負担金) as the secretariat sees them."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

import strawberry
from strawberry import relay

import models
from resolvers.access import Actor
from schema.node import ModelNode


@strawberry.enum(description="Where a bill of dues stands.")
class DuesStatus(Enum):
    BILLED = strawberry.enum_value("BILLED", description="Billed and not yet paid.")
    PAID = strawberry.enum_value("PAID", description="Paid.")
    WAIVED = strawberry.enum_value("WAIVED", description="Waived by the secretariat.")
    CARRIED_OVER = strawberry.enum_value(
        "CARRIED_OVER", description="Carried over unsettled to the successor alliance's membership."
    )


@strawberry.type(description="One bill of dues for a member and fiscal year. Secretariat only.")
class Dues(ModelNode):
    model = models.Dues
    id: relay.NodeID[int]
    fiscal_year: int = strawberry.field(description="The fiscal year (年度) billed, e.g. 2026.")
    amount: int = strawberry.field(description="The amount in yen.")
    status: DuesStatus = strawberry.field(description="Billed, paid, waived or carried over.")
    settled_on: dt.date | None = strawberry.field(description="When it was paid or waived.")
    note: str | None = strawberry.field(description="A note, e.g. where a carried-over balance came from.")
    carried_from_id: strawberry.Private[int | None]

    @classmethod
    def is_visible(cls, actor: Actor, row: Any) -> bool:
        return actor.is_admin

    @strawberry.field(description="Whether this bill is a balance carried over, unsettled, from the predecessor alliance.")
    def carried_over(self) -> bool:
        return self.carried_from_id is not None
