"""The rules of membership: applying, the secretariat's decisions, tiers and working groups."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from i18n import Named, Text, message
from i18n.dates import format_date
from models import (
    Alliance,
    Membership,
    MembershipChange,
    MembershipChangeKind,
    MembershipStatus,
    MembershipTier,
    Municipality,
    NotificationKind,
    WorkingGroup,
    WorkingGroupParticipant,
)
from resolvers.access import Actor, require_active_member_with, require_municipality
from resolvers.audit import Change, assign, created, target_of
from resolvers.calendar import today
from resolvers.entitlements import Benefit
from resolvers.errors import Refused, state_name
from resolvers.lookup import alliance_by_slug, get_or_refuse, municipality_by_code
from resolvers.notification import Recipient, notify

Status = MembershipStatus
ONGOING = frozenset({Status.APPLIED, Status.ACTIVE, Status.SUSPENDED})


def history_note(change: MembershipChange) -> str | None:
    """What a history entry notes: a person's note as written, the service's own (`note_kind`)
    rendered now, in the reader's language (`history.<KIND>` in the catalogue)."""
    if change.note_kind is None:
        return change.note
    params = {name: Named.from_stored(value) for name, value in (change.note_params or {}).items()}
    return str(Text(f"history.{change.note_kind.value}", params))


class Decision(StrEnum):
    APPROVE = "APPROVE"
    REJECT = "REJECT"
    SUSPEND = "SUSPEND"
    REINSTATE = "REINSTATE"
    WITHDRAW = "WITHDRAW"


# decision → (the statuses it applies to, the status it leads to)
TRANSITIONS: dict[Decision, tuple[frozenset[Status], Status]] = {
    Decision.APPROVE: (frozenset({Status.APPLIED}), Status.ACTIVE),
    Decision.REJECT: (frozenset({Status.APPLIED}), Status.REJECTED),
    Decision.SUSPEND: (frozenset({Status.ACTIVE}), Status.SUSPENDED),
    Decision.REINSTATE: (frozenset({Status.SUSPENDED}), Status.ACTIVE),
    Decision.WITHDRAW: (frozenset({Status.ACTIVE, Status.SUSPENDED}), Status.WITHDRAWN),
}


async def acting_municipality(actor: Actor, code: str | None) -> Municipality:
    """The municipality the caller acts for: their own, or for the secretariat the one named."""
    field = ("input", "municipalityCode")
    if code is None:
        if actor.municipality_id is None:
            raise Refused("INVALID", message("errors.membership.name_the_municipality"), field=field)
        return await Municipality.get(id=actor.municipality_id)
    municipality = await municipality_by_code(code, field)
    require_municipality(actor, municipality.id, field=field)
    return municipality


async def lock_membership(membership_id: int) -> Membership:
    """The membership, locked until the transaction ends so concurrent changes queue up."""
    membership = await Membership.select_for_update().get_or_none(id=membership_id)
    if membership is None:
        raise Refused("NOT_FOUND", message("errors.membership.no_such_membership"), field=("input", "membershipId"))
    return membership


async def end_working_group_seats(membership: Membership, on: dt.date) -> int:
    return await WorkingGroupParticipant.filter(membership_id=membership.id, left_on=None).update(left_on=on)


async def apply_for_membership(
    actor: Actor, alliance_slug: str, tier: MembershipTier, municipality_code: str | None, note: str | None
) -> Change[Membership]:
    alliance = await alliance_by_slug(alliance_slug)
    municipality = await acting_municipality(actor, municipality_code)
    if await alliance.successors.all().exists():
        raise Refused("INVALID", message("errors.membership.alliance_succeeded"), field=("input", "allianceSlug"))
    membership = await Membership.get_or_none(alliance_id=alliance.id, municipality_id=municipality.id)
    if membership is not None and membership.status in ONGOING:
        raise Refused("ALREADY_MEMBER", message("errors.membership.already_member", municipality=Named.of(municipality), status=state_name(membership.status)))
    if membership is None:
        membership = await Membership.create(
            alliance=alliance, municipality=municipality, tier=tier, status=Status.APPLIED
        )
        changes = created(membership, "alliance_id", "municipality_id", "tier", "status")
        status_before, tier_before = None, None
    else:
        status_before, tier_before = membership.status, membership.tier
        changes = assign(membership, tier=tier, status=Status.APPLIED, joined_on=None, left_on=None)
        await membership.save()
    await MembershipChange.create(
        membership=membership,
        kind=MembershipChangeKind.APPLIED,
        tier_before=tier_before,
        tier_after=tier,
        status_before=status_before,
        status_after=Status.APPLIED,
        effective_on=today(),
        note=note,
    )
    return Change(membership, target_of(membership), changes)


async def decide(
    membership_id: int, decision: Decision, effective_on: dt.date | None, note: str | None
) -> Change[Membership]:
    """Apply the secretariat's decision on a membership, and record it in its history."""
    membership = await lock_membership(membership_id)
    allowed, after = TRANSITIONS[decision]
    if membership.status not in allowed:
        raise Refused(
            "INVALID_TRANSITION",
            message("errors.membership.bad_decision", status=state_name(membership.status), decision=decision.value),
            field=("input", "membershipId"),
        )
    on = effective_on or today()
    before = membership.status
    values: dict[str, object] = {"status": after}
    if decision is Decision.APPROVE:
        values["joined_on"] = on
    if after is Status.WITHDRAWN:
        values["left_on"] = on
        await end_working_group_seats(membership, on)
    changes = assign(membership, **values)
    await membership.save()
    await MembershipChange.create(
        membership=membership,
        kind=MembershipChangeKind.JOINED if decision is Decision.APPROVE else MembershipChangeKind.STATUS_CHANGED,
        status_before=before,
        status_after=after,
        effective_on=on,
        note=note,
    )
    await tell_of_decision(membership, decision, on)
    return Change(membership, target_of(membership), changes)


async def tell_of_decision(membership: Membership, decision: Decision, on: dt.date) -> None:
    """Tell the municipality's staff what the secretariat decided (`notification.MEMBERSHIP_DECIDED.<decision>`)."""
    municipality = await Municipality.get(id=membership.municipality_id)
    alliance = await Alliance.get(id=membership.alliance_id)
    await notify(
        Recipient(municipality_id=membership.municipality_id),
        NotificationKind.MEMBERSHIP_DECIDED,
        membership,
        "Membership",
        change=decision.value,
        municipality=Named.of(municipality),
        alliance=Named(alliance.short_name or alliance.name, alliance.name_en),
        tier=membership.tier,
        on=Named(format_date(on, "ja"), format_date(on, "en")),
    )


async def change_tier(
    membership_id: int, tier: MembershipTier, effective_on: dt.date | None, note: str | None
) -> Change[Membership]:
    """A new tier; a member that becomes SUPPORTING leaves its working groups the same day."""
    membership = await lock_membership(membership_id)
    if membership.status not in ONGOING:
        raise Refused(
            "INVALID_TRANSITION",
            message("errors.membership.no_tier", status=state_name(membership.status)),
            field=("input", "membershipId"),
        )
    if membership.tier is tier:
        raise Refused("UNCHANGED", message("errors.membership.tier_unchanged", tier=state_name(tier)), field=("input", "tier"))
    on = effective_on or today()
    before = membership.tier
    changes = assign(membership, tier=tier)
    await membership.save(update_fields=["tier"])
    if tier is MembershipTier.SUPPORTING:
        await end_working_group_seats(membership, on)
    await MembershipChange.create(
        membership=membership,
        kind=MembershipChangeKind.TIER_CHANGED,
        tier_before=before,
        tier_after=tier,
        effective_on=on,
        note=note,
    )
    return Change(membership, target_of(membership), changes)


async def join_working_group(
    actor: Actor, working_group_id: int, municipality_code: str | None
) -> Change[WorkingGroupParticipant]:
    """Only an active FULL member of the group's alliance takes part."""
    group = await get_or_refuse(WorkingGroup, ("input", "workingGroupId"), id=working_group_id)
    municipality = await acting_municipality(actor, municipality_code)
    membership = await require_active_member_with(municipality.id, group.alliance_id, Benefit.WORKING_GROUPS)
    if await WorkingGroupParticipant.exists(working_group_id=group.id, membership_id=membership.id, left_on=None):
        raise Refused("ALREADY_PARTICIPATING", message("errors.membership.already_in_group", municipality=Named.of(municipality)))
    membership.municipality = municipality  # in hand: the audit entry names it without reading it again
    seat = await WorkingGroupParticipant.create(working_group=group, membership=membership, joined_on=today())
    return Change(seat, target_of(seat), created(seat, "working_group_id", "membership_id", "joined_on"))


async def leave_working_group(
    actor: Actor, working_group_id: int, municipality_code: str | None
) -> Change[WorkingGroupParticipant]:
    group = await get_or_refuse(WorkingGroup, ("input", "workingGroupId"), id=working_group_id)
    municipality = await acting_municipality(actor, municipality_code)
    seat = await WorkingGroupParticipant.get_or_none(
        working_group_id=group.id,
        membership__municipality_id=municipality.id,
        left_on=None,
    )
    if seat is None:
        raise Refused("NOT_PARTICIPATING", message("errors.membership.not_in_group", municipality=Named.of(municipality)))
    changes = assign(seat, left_on=today())
    await seat.save(update_fields=["left_on"])
    return Change(seat, target_of(seat), changes)
