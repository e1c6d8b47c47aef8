"""Billing and settling dues (secretariat only)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry import relay

import models
from resolvers import dues
from schema.context import Info
from schema.dues.types import Dues, DuesStatus
from schema.mutations import Payload, mutate, node_id


@strawberry.input(description="A bill of dues for one member and fiscal year.")
class BillDuesInput:
    membership_id: relay.GlobalID = strawberry.field(description="The Membership's ID.")
    fiscal_year: int = strawberry.field(description="The fiscal year (年度), e.g. 2026.")
    amount: int = strawberry.field(description="The amount in yen.")
    note: str | None = strawberry.field(default=None, description="A note.")


@strawberry.type(description="The result of billDues.")
class BillDuesPayload(Payload):
    dues: Dues | None = strawberry.field(default=None, description="The new bill.")


@strawberry.input(description="How an open bill was settled.")
class SettleDuesInput:
    dues_id: relay.GlobalID = strawberry.field(description="The Dues' ID.")
    status: DuesStatus = strawberry.field(description="PAID or WAIVED.")
    settled_on: dt.date | None = strawberry.field(default=None, description="When; today if null.")
    note: str | None = strawberry.field(default=None, description="A note.")


@strawberry.type(description="The result of settleDues.")
class SettleDuesPayload(Payload):
    dues: Dues | None = strawberry.field(default=None, description="The settled bill.")


@strawberry.type
class DuesMutation:
    @strawberry.mutation(description="Bill a member's dues for a fiscal year, once per year.")
    async def bill_dues(
        self, info: Info, input: Annotated[BillDuesInput, strawberry.argument(description="The bill.")]
    ) -> BillDuesPayload:
        row, errors = await mutate(
            info,
            lambda: dues.bill_dues(
                node_id(input.membership_id, "Membership", "membershipId"), input.fiscal_year, input.amount, input.note
            ),
        )
        return BillDuesPayload(dues=Dues.from_model(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="Record that an open bill was paid or waived.")
    async def settle_dues(
        self, info: Info, input: Annotated[SettleDuesInput, strawberry.argument(description="The settlement.")]
    ) -> SettleDuesPayload:
        row, errors = await mutate(
            info,
            lambda: dues.settle_dues(
                node_id(input.dues_id, "Dues", "duesId"),
                models.DuesStatus(input.status.value),
                input.settled_on,
                input.note,
            ),
        )
        return SettleDuesPayload(dues=Dues.from_model(row) if row else None, user_errors=errors)
