"""Helpers that put rows the seed does not have (e.g. working-group participants) into a test database."""

from __future__ import annotations

import datetime as dt

from models import Membership, MembershipTier, WorkingGroup, WorkingGroupParticipant


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
