"""Founding a successor alliance without dissolution, as the EXPO alliance succeeded the Olympic one.

The active memberships move across with their tiers, the running officers' terms and the
secretariat continue, and unpaid dues are carried over as they stand: nothing is settled.
"""

from __future__ import annotations

import datetime as dt

from i18n import Named, message
from models import (
    Alliance,
    Dues,
    DuesStatus,
    Membership,
    MembershipChange,
    MembershipChangeKind,
    MembershipNoteKind,
    MembershipStatus,
    Officer,
    SecretariatSeat,
    Theme,
    WorkingGroup,
)
from resolvers.audit import Change, Changes, target_of
from resolvers.errors import Refused
from resolvers.lookup import alliance_by_slug, check_slug


async def found_successor(
    *,
    predecessor_slug: str,
    slug: str,
    name: str,
    name_en: str | None,
    short_name: str | None,
    founded_on: dt.date,
    mission: str | None,
    vision: str | None,
) -> Change[Alliance]:
    predecessor = await alliance_by_slug(predecessor_slug, ("input", "predecessorSlug"))
    await check_succession(predecessor, slug, name, founded_on)
    successor = await Alliance.create(
        slug=slug,
        name=name.strip(),
        name_en=name_en,
        short_name=short_name,
        founded_on=founded_on,
        mission=mission,
        vision=vision,
        predecessor=predecessor,
    )
    await WorkingGroup.bulk_create([WorkingGroup(alliance=successor, theme=theme) for theme in await Theme.all()])
    new_memberships = await carry_memberships(predecessor, successor)
    dues = await carry_dues(predecessor, new_memberships)
    await carry_officers(predecessor, successor, new_memberships, founded_on)
    await SecretariatSeat.bulk_create(
        [
            SecretariatSeat(alliance=successor, municipality_id=seat.municipality_id, position=seat.position)
            for seat in await SecretariatSeat.filter(alliance_id=predecessor.id)
        ]
    )
    changes: Changes = {
        "slug": [None, slug],
        "predecessor": [None, predecessor.slug],
        "memberships_carried_over": [None, len(new_memberships)],
        "dues_carried_over": [None, dues],
    }
    return Change(successor, target_of(successor), changes)


async def check_succession(predecessor: Alliance, slug: str, name: str, founded_on: dt.date) -> None:
    if await Alliance.exists(predecessor_id=predecessor.id):
        raise Refused("INVALID_TRANSITION", message("errors.succession.has_successor"), field=("input", "predecessorSlug"))
    check_slug(slug)
    if await Alliance.exists(slug=slug):
        raise Refused("ALREADY_EXISTS", message("errors.succession.slug_taken", slug=slug), field=("input", "slug"))
    if not name.strip():
        raise Refused("INVALID", message("errors.succession.name_missing"), field=("input", "name"))
    if predecessor.founded_on is not None and founded_on <= predecessor.founded_on:
        raise Refused("INVALID", message("errors.succession.founded_after_predecessor"), field=("input", "foundedOn"))


async def carry_memberships(predecessor: Alliance, successor: Alliance) -> dict[int, int]:
    """Each active member joins the successor with its tier; its old membership is TRANSFERRED.

    Returns the new memberships' ids by municipality id."""
    day = successor.founded_on
    active = await Membership.filter(alliance_id=predecessor.id, status=MembershipStatus.ACTIVE)
    await Membership.bulk_create(
        [
            Membership(
                alliance=successor,
                municipality_id=old.municipality_id,
                tier=old.tier,
                status=MembershipStatus.ACTIVE,
                joined_on=day,
            )
            for old in active
        ]
    )
    new_ids = dict(await Membership.filter(alliance_id=successor.id).values_list("municipality_id", "id"))
    names = {
        "predecessor": Named(predecessor.name, predecessor.name_en).stored(),
        "successor": Named(successor.name, successor.name_en).stored(),
    }
    await Membership.filter(id__in=[old.id for old in active]).update(
        status=MembershipStatus.TRANSFERRED, left_on=day
    )
    await MembershipChange.bulk_create(
        [
            change
            for old in active
            for change in (
                MembershipChange(
                    membership_id=old.id,
                    kind=MembershipChangeKind.STATUS_CHANGED,
                    status_before=MembershipStatus.ACTIVE,
                    status_after=MembershipStatus.TRANSFERRED,
                    effective_on=day,
                    note_kind=MembershipNoteKind.SUCCESSION,
                    note_params=names,
                ),
                MembershipChange(
                    membership_id=new_ids[old.municipality_id],
                    kind=MembershipChangeKind.CARRIED_OVER,
                    tier_after=old.tier,
                    status_after=MembershipStatus.ACTIVE,
                    effective_on=day,
                    note_kind=MembershipNoteKind.SUCCESSION,
                    note_params=names,
                ),
            )
        ]
    )
    return new_ids


async def carry_dues(predecessor: Alliance, new_ids: dict[int, int]) -> int:
    """Unpaid bills move to the successor membership as they stand, each linked to the original."""
    unpaid = await Dues.filter(membership__alliance_id=predecessor.id, status=DuesStatus.BILLED).select_related(
        "membership"
    )
    carried = [bill for bill in unpaid if bill.membership.municipality_id in new_ids]
    await Dues.bulk_create(
        [
            Dues(
                membership_id=new_ids[bill.membership.municipality_id],
                fiscal_year=bill.fiscal_year,
                amount=bill.amount,
                status=DuesStatus.BILLED,
                carried_from_id=bill.id,
                carried_from_alliance=Named(predecessor.name, predecessor.name_en).stored(),
            )
            for bill in carried
        ]
    )
    await Dues.filter(id__in=[bill.id for bill in carried]).update(status=DuesStatus.CARRIED_OVER)
    return sum(bill.amount for bill in carried)


async def carry_officers(predecessor: Alliance, successor: Alliance, new_ids: dict[int, int], day: dt.date) -> None:
    """Running terms continue in the successor from `day`, its founding, but only for seats whose
    municipality moved across."""
    running = await Officer.filter(alliance_id=predecessor.id, ended_on=None)
    await Officer.bulk_create(
        [
            Officer(
                alliance=successor,
                role=officer.role,
                person_name=officer.person_name,
                title=officer.title,
                municipality_id=officer.municipality_id,
                started_on=day,
                position=officer.position,
            )
            for officer in running
            if officer.municipality_id is None or officer.municipality_id in new_ids
        ]
    )
    await Officer.filter(id__in=[officer.id for officer in running]).update(
        ended_on=day - dt.timedelta(days=1)
    )
