"""Joint procurement (共同調達): full members buy one item together, e.g. emergency stockpiles.

Projects are for full members (seed 002, Q4), so organising and taking part need an active FULL
membership of the group's alliance; staff act for their own municipality. A group takes joins,
quantity changes and leaves until it is closed or its closing date has passed; its organiser's
staff or the secretariat close it, and every participant is told.

Every change to a group's participants locks the group's row first (`SELECT … FOR UPDATE` on
PostgreSQL; SQLite runs one write transaction at a time), so concurrent joins queue up and a
municipality never holds two live participations. The combined quantity is never stored: it is
the sum over the live participations, so it cannot drift from them.

Who sees whom: the groups, their combined quantity and participant count are public (the alliance's
own activity, like its working groups). Which municipality takes part with how much is the members'
business: the secretariat and staff of active members of the group's alliance see it; partner
staff do not (companies that may later bid should not see each buyer's plans), nor do anonymous
callers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from tortoise.queryset import QuerySet

from i18n import Named, message
from models import (
    Membership,
    MembershipStatus,
    NotificationKind,
    ProcurementGroup,
    ProcurementParticipation,
    ProcurementStatus,
    Role,
    Theme,
)
from resolvers.access import Actor, may_act_for_municipality, require_active_member_with
from resolvers.audit import Change, assign, created, target_of
from resolvers.calendar import now, today
from resolvers.entitlements import Benefit
from resolvers.errors import Refused
from resolvers.lookup import alliance_by_slug, get_or_refuse
from resolvers.membership import acting_municipality
from resolvers.notification import Recipient, municipality_named, notify_all

DISASTER_PREVENTION = 8
# One municipality's share; keeps a group's combined quantity well inside a GraphQL Int.
MAX_QUANTITY = 1_000_000


@dataclass(frozen=True, kw_only=True)
class ProcurementQuery:
    status: ProcurementStatus | None = None
    theme_number: int | None = None
    alliance_slug: str | None = None


@dataclass(frozen=True)
class Totals:
    participant_count: int = 0
    combined_quantity: int = 0


def procurement_groups(query: ProcurementQuery) -> QuerySet[ProcurementGroup]:
    """Groups, newest first."""
    queryset = ProcurementGroup.all()
    if query.status is not None:
        queryset = queryset.filter(status=query.status)
    if query.theme_number is not None:
        queryset = queryset.filter(theme__number=query.theme_number)
    if query.alliance_slug is not None:
        queryset = queryset.filter(alliance__slug=query.alliance_slug)
    return queryset.order_by("-id")


def accepts_changes(status: ProcurementStatus, closes_on: dt.date) -> bool:
    """Open, and its closing date (Japan time) not yet past."""
    return status is ProcurementStatus.OPEN and today() <= closes_on


def sees_participants(actor: Actor, alliance_id: int, memberships: Iterable[Membership]) -> bool:
    """Whether the caller sees who takes part in a group of this alliance.

    `memberships` are the caller's municipality's (ignored for any other caller).
    """
    if actor.is_admin:
        return True
    return actor.role is Role.MUNICIPALITY and any(
        m.alliance_id == alliance_id and m.status is MembershipStatus.ACTIVE for m in memberships
    )


@dataclass(frozen=True, kw_only=True)
class GroupDraft:
    alliance_slug: str
    item: str
    unit: str
    closes_on: dt.date
    description: str = ""
    theme_number: int = DISASTER_PREVENTION


async def create_group(actor: Actor, municipality_code: str | None, draft: GroupDraft) -> Change[ProcurementGroup]:
    """A new open group, organised by the caller's municipality (the secretariat names one)."""
    alliance = await alliance_by_slug(draft.alliance_slug)
    municipality = await acting_municipality(actor, municipality_code)
    await require_active_member_with(municipality.id, alliance.id, Benefit.PROJECTS)
    theme = await get_or_refuse(Theme, ("input", "themeNumber"), number=draft.theme_number)
    if not draft.item.strip():
        raise Refused("INVALID", message("errors.procurement.item_missing"), field=("input", "item"))
    if not draft.unit.strip():
        raise Refused("INVALID", message("errors.procurement.unit_missing"), field=("input", "unit"))
    if draft.closes_on < today():
        raise Refused("INVALID", message("errors.procurement.closing_date_passed"), field=("input", "closesOn"))
    group = await ProcurementGroup.create(
        alliance=alliance,
        theme=theme,
        item=draft.item.strip(),
        unit=draft.unit.strip(),
        description=draft.description,
        organiser=municipality,
        closes_on=draft.closes_on,
    )
    return Change(group, target_of(group), created(group, "alliance_id", "organiser_id", "item", "unit", "closes_on"))


async def locked_group(group_id: int) -> ProcurementGroup:
    group = await ProcurementGroup.select_for_update().get_or_none(id=group_id)
    if group is None:
        raise Refused("NOT_FOUND", message("errors.procurement.no_such_group"), field=("input", "groupId"))
    return group


def require_open(group: ProcurementGroup) -> None:
    if group.status is ProcurementStatus.CLOSED:
        raise Refused("GROUP_CLOSED", message("errors.procurement.group_closed", group=group.item), field=("input", "groupId"))
    if not accepts_changes(group.status, group.closes_on):
        raise Refused(
            "GROUP_CLOSED",
            message("errors.procurement.past_closing_date", group=group.item, closes_on=group.closes_on.isoformat()),
            field=("input", "groupId"),
        )


def check_quantity(quantity: int) -> None:
    if not 1 <= quantity <= MAX_QUANTITY:
        raise Refused("INVALID", message("errors.procurement.quantity_range", max_quantity=MAX_QUANTITY), field=("input", "quantity"))


async def live_participation(group: ProcurementGroup, municipality_id: int) -> ProcurementParticipation | None:
    return await ProcurementParticipation.get_or_none(group_id=group.id, municipality_id=municipality_id, left_at=None)


async def join_group(
    actor: Actor, group_id: int, municipality_code: str | None, quantity: int
) -> Change[ProcurementParticipation]:
    group = await locked_group(group_id)
    municipality = await acting_municipality(actor, municipality_code)
    require_open(group)
    check_quantity(quantity)
    await require_active_member_with(municipality.id, group.alliance_id, Benefit.PROJECTS)
    if await live_participation(group, municipality.id) is not None:
        raise Refused(
            "ALREADY_PARTICIPATING",
            message("errors.procurement.already_participating", municipality=Named.of(municipality)),
            field=("input", "groupId"),
        )
    participation = await ProcurementParticipation.create(group=group, municipality=municipality, quantity=quantity)
    return Change(
        participation, target_of(participation), created(participation, "group_id", "municipality_id", "quantity")
    )


async def participation_to_change(
    actor: Actor, group_id: int, municipality_code: str | None
) -> tuple[ProcurementGroup, ProcurementParticipation]:
    """The caller's municipality's live participation in an open group."""
    group = await locked_group(group_id)
    municipality = await acting_municipality(actor, municipality_code)
    require_open(group)
    participation = await live_participation(group, municipality.id)
    if participation is None:
        raise Refused("NOT_PARTICIPATING", message("errors.procurement.not_participating", municipality=Named.of(municipality)), field=("input", "groupId"))
    return group, participation


async def change_quantity(
    actor: Actor, group_id: int, municipality_code: str | None, quantity: int
) -> Change[ProcurementParticipation]:
    group, participation = await participation_to_change(actor, group_id, municipality_code)
    check_quantity(quantity)
    await require_active_member_with(participation.municipality_id, group.alliance_id, Benefit.PROJECTS)
    if participation.quantity == quantity:
        raise Refused("UNCHANGED", message("errors.procurement.quantity_unchanged", quantity=quantity), field=("input", "quantity"))
    changes = assign(participation, quantity=quantity)
    await participation.save(update_fields=["quantity"])
    return Change(participation, target_of(participation), changes)


async def leave_group(actor: Actor, group_id: int, municipality_code: str | None) -> Change[ProcurementParticipation]:
    """Leaving ends the participation; the record stays."""
    _, participation = await participation_to_change(actor, group_id, municipality_code)
    changes = assign(participation, left_at=now())
    await participation.save(update_fields=["left_at"])
    return Change(participation, target_of(participation), changes)


async def close_group(actor: Actor, group_id: int) -> Change[ProcurementGroup]:
    """Close the group and tell each participant; the organiser's staff or the secretariat only."""
    group = await locked_group(group_id)
    if not may_act_for_municipality(actor, group.organiser_id):
        raise Refused(
            "FORBIDDEN", message("errors.procurement.close_not_allowed"), field=("input", "groupId")
        )
    if group.status is ProcurementStatus.CLOSED:
        raise Refused("INVALID_TRANSITION", message("errors.procurement.closed_already", group=group.item), field=("input", "groupId"))
    changes = assign(group, status=ProcurementStatus.CLOSED, closed_at=now())
    await group.save(update_fields=["status", "closed_at"])
    shares = await ProcurementParticipation.filter(group_id=group.id, left_at=None).values_list(
        "municipality_id", "quantity"
    )
    total = sum(quantity for _, quantity in shares)
    await notify_all(
        [Recipient(municipality_id=municipality_id) for municipality_id, _ in shares],
        NotificationKind.PROCUREMENT_CLOSED,
        group,
        "ProcurementGroup",
        item=group.item,
        total=total,
        unit=group.unit,
        municipalities=len(shares),
        organiser=await municipality_named(group.organiser_id),
    )
    return Change(group, target_of(group), changes)
