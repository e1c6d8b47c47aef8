"""Dues (負担金) as the secretariat and each member's own staff see them."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any, Self

import strawberry
from strawberry import relay

import models
from resolvers import dues as dues_resolvers
from resolvers.access import may_act_for_municipality
from schema.node import ModelNode


@strawberry.enum(description="Where a bill of dues stands.")
class DuesStatus(Enum):
    _value_: str
    BILLED = strawberry.enum_value("BILLED", description="Billed and not yet paid.")
    PAID = strawberry.enum_value("PAID", description="Paid.")
    WAIVED = strawberry.enum_value("WAIVED", description="Waived by the secretariat.")
    CARRIED_OVER = strawberry.enum_value(
        "CARRIED_OVER", description="Carried over unsettled to the successor alliance's membership."
    )


@strawberry.type(
    description="One bill of dues for a member and fiscal year. The secretariat and the member's own staff only."
)
class Dues(ModelNode):
    model = models.Dues
    id: relay.NodeID[int]
    fiscal_year: int = strawberry.field(description="The fiscal year (年度) billed, e.g. 2026.")
    amount: int = strawberry.field(description="The amount in yen.")
    status: DuesStatus = strawberry.field(description="Billed, paid, waived or carried over.")
    settled_on: dt.date | None = strawberry.field(description="When it was paid or waived.")
    note: strawberry.Private[str | None]
    carried_from_alliance: strawberry.Private[dict[str, Any] | None]
    carried_from_id: strawberry.Private[int | None]

    @classmethod
    async def nodes_shown(cls, info: Any, keys: list[int]) -> list[Self | None]:
        """`node(id:)` shows a bill to those who may read `Membership.dues` of its member."""
        loaders = info.context.loaders
        bills = await loaders.dues_by_id.load_many(keys)
        members = await loaders.membership_by_id.load_many([bill.membership_id for bill in bills if bill is not None])
        municipality_of = {m.id: m.municipality_id for m in members if m is not None}
        actor = info.context.actor
        return [
            cls.from_model(bill)
            if bill is not None and may_act_for_municipality(actor, municipality_of[bill.membership_id])
            else None
            for bill in bills
        ]

    @strawberry.field(
        name="note",
        description="A note: as the secretariat wrote it, or where a carried-over balance came "
        "from, in the reader's language.",
    )
    def note_in_words(self) -> str | None:
        return dues_resolvers.note_of(self)

    @strawberry.field(description="Whether this bill is a balance carried over, unsettled, from the predecessor alliance.")
    def carried_over(self) -> bool:
        return self.carried_from_id is not None
