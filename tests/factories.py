"""Helpers that put rows the seed does not have (participants, private records) into a test database."""

from __future__ import annotations

import datetime as dt

from models import (
    Contact,
    ContactRole,
    Dues,
    Membership,
    MembershipTier,
    Offering,
    OfferingRequest,
    OfferingRequestStatus,
    WorkingGroup,
    WorkingGroupParticipant,
)


async def seat_full_members_in_working_groups(*, alliance_slug: str = "expo2025", groups_each: int = 2) -> int:
    """Put every full member into `groups_each` working groups; returns the number of seats."""
    groups = await WorkingGroup.filter(alliance__slug=alliance_slug).order_by("theme_id")
    members = await Membership.filter(alliance__slug=alliance_slug, tier=MembershipTier.FULL).order_by("id")
    seats = [
        WorkingGroupParticipant(
            working_group_id=groups[(index + offset) % len(groups)].id,
            membership_id=member.id,
            joined_on=dt.date(2022, 4, 1),
        )
        for index, member in enumerate(members)
        for offset in range(groups_each)
    ]
    await WorkingGroupParticipant.bulk_create(seats)
    return len(seats)


async def give_full_members_private_records(*, alliance_slug: str = "expo2025") -> int:
    """One contact, one bill of dues and one offering request per full member; returns the members."""
    members = await Membership.filter(alliance__slug=alliance_slug, tier=MembershipTier.FULL).order_by("id")
    offerings = await Offering.all().order_by("id")
    await Contact.bulk_create(
        Contact(
            municipality_id=member.municipality_id,
            role=ContactRole.MAIN,
            name=f"担当者 {index}",
            fiscal_year=2026,
            started_on=dt.date(2026, 4, 1),
        )
        for index, member in enumerate(members)
    )
    await Dues.bulk_create(Dues(membership_id=member.id, fiscal_year=2026, amount=30_000) for member in members)
    await OfferingRequest.bulk_create(
        OfferingRequest(
            offering_id=offerings[index % len(offerings)].id,
            partner_id=offerings[index % len(offerings)].partner_id,
            municipality_id=member.municipality_id,
            status=OfferingRequestStatus.REQUESTED,
        )
        for index, member in enumerate(members)
    )
    return len(members)
