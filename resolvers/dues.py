"""Dues (負担金): billing per member and fiscal year and settling, by the secretariat only; each
member's own staff read its bills (see `schema.permissions.SecretariatOrItsMunicipality`)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from i18n import Named, Text, message
from models import Dues, DuesStatus, Membership
from resolvers.audit import Change, assign, created, target_of
from resolvers.calendar import today
from resolvers.errors import Refused, state_name
from resolvers.lookup import get_or_refuse
from resolvers.membership import ONGOING

MAX_AMOUNT = 100_000_000
SETTLED = frozenset({DuesStatus.PAID, DuesStatus.WAIVED})


class NotedBill(Protocol):
    """A bill as a row or as the API's object: what its note is made of."""

    @property
    def note(self) -> str | None: ...

    @property
    def carried_from_alliance(self) -> dict[str, Any] | None: ...


def note_of(bill: NotedBill) -> str | None:
    """The secretariat's note as written; else, for a carried-over bill, where it came from, in
    the reader's language (`dues.carried_over` in the catalogue)."""
    if bill.note or not bill.carried_from_alliance:
        return bill.note
    return str(Text("dues.carried_over", {"alliance": Named.from_stored(bill.carried_from_alliance)}))


async def bill_dues(membership_id: int, year: int, amount: int, note: str | None) -> Change[Dues]:
    membership = await get_or_refuse(Membership, ("input", "membershipId"), id=membership_id)
    if membership.status not in ONGOING:
        raise Refused("INVALID_TRANSITION", message("errors.dues.membership_ended"), field=("input", "membershipId"))
    if not 0 <= amount <= MAX_AMOUNT:
        raise Refused("INVALID", message("errors.dues.amount_range", max_amount=MAX_AMOUNT), field=("input", "amount"))
    if await Dues.exists(membership_id=membership.id, fiscal_year=year, carried_from_id=None):
        raise Refused("ALREADY_EXISTS", message("errors.dues.billed_already", year=year), field=("input", "fiscalYear"))
    bill = await Dues.create(membership=membership, fiscal_year=year, amount=amount, note=note)
    return Change(bill, target_of(bill), created(bill, "membership_id", "fiscal_year", "amount", "status"))


async def settle_dues(dues_id: int, status: DuesStatus, settled_on: dt.date | None, note: str | None) -> Change[Dues]:
    bill = await get_or_refuse(Dues, ("input", "duesId"), id=dues_id)
    if status not in SETTLED:
        raise Refused("INVALID", message("errors.dues.settled_as"), field=("input", "status"))
    if bill.status is not DuesStatus.BILLED:
        raise Refused("INVALID_TRANSITION", message("errors.dues.not_open", status=state_name(bill.status)), field=("input", "duesId"))
    changes = assign(bill, status=status, settled_on=settled_on or today(), note=note or bill.note)
    await bill.save()
    return Change(bill, target_of(bill), changes)


def balance(bills: list[Dues]) -> int:
    """What is still owed: the open bills, including balances carried over from a predecessor."""
    return sum(bill.amount for bill in bills if bill.status is DuesStatus.BILLED)
