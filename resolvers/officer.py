"""Officers' terms: appointing, ending, and handing a seat to a municipality's new mayor."""

from __future__ import annotations

import datetime as dt

from i18n import Named, message
from models import Membership, MembershipStatus, Officer, OfficerRole
from resolvers.audit import Change, Changes, assign, created, target_of
from resolvers.calendar import today
from resolvers.errors import Refused, state_name
from resolvers.lookup import alliance_by_slug, get_or_refuse, municipality_by_code

SINGLE_SEATS = frozenset({OfficerRole.CHAIR, OfficerRole.ACTING_CHAIR})


async def appoint_officer(
    *,
    alliance_slug: str,
    role: OfficerRole,
    person_name: str,
    title: str | None,
    municipality_code: str | None,
    started_on: dt.date | None,
) -> Change[Officer]:
    """Every seat but an adviser's belongs to an active member and is held by its mayor."""
    alliance = await alliance_by_slug(alliance_slug)
    if not person_name.strip():
        raise Refused("INVALID", message("errors.officer.name_missing"), field=("input", "personName"))
    municipality = None
    if municipality_code is not None:
        municipality = await municipality_by_code(municipality_code)
        if not await Membership.exists(
            alliance_id=alliance.id, municipality_id=municipality.id, status=MembershipStatus.ACTIVE
        ):
            raise Refused(
                "NOT_A_MEMBER",
                message("errors.officer.not_active_member", municipality=Named.of(municipality)),
                field=("input", "municipalityCode"),
            )
    elif role is not OfficerRole.ADVISER:
        raise Refused(
            "INVALID",
            message("errors.officer.needs_municipality"),
            field=("input", "municipalityCode"),
        )
    if role in SINGLE_SEATS and await Officer.exists(alliance_id=alliance.id, role=role, ended_on=None):
        raise Refused("ALREADY_EXISTS", message("errors.officer.end_current_term", role=state_name(role)), field=("input", "role"))
    last = await Officer.filter(alliance_id=alliance.id).order_by("-position").first()
    officer = await Officer.create(
        alliance=alliance,
        role=role,
        person_name=person_name.strip(),
        title=title,
        municipality=municipality,
        started_on=started_on or today(),
        position=last.position + 1 if last else 1,
    )
    return Change(officer, target_of(officer), created(officer, "alliance_id", "role", "person_name", "municipality_id", "started_on"))


async def end_officer_term(officer_id: int, ended_on: dt.date | None) -> Change[Officer]:
    officer = await get_or_refuse(Officer, ("input", "officerId"), id=officer_id)
    if officer.ended_on is not None:
        raise Refused("INVALID_TRANSITION", message("errors.officer.term_ended_already"), field=("input", "officerId"))
    on = ended_on or today()
    if officer.started_on is not None and on < officer.started_on:
        raise Refused("INVALID", message("errors.officer.ends_before_start"), field=("input", "endedOn"))
    changes = assign(officer, ended_on=on)
    await officer.save(update_fields=["ended_on"])
    return Change(officer, target_of(officer), changes)


async def record_mayoral_change(
    *, municipality_code: str, person_name: str, title: str | None, since: dt.date
) -> Change[list[Officer]]:
    """After an election the seats pass to the new mayor: each running term ends the day
    before, and a new term of the same seat (alliance, role, position) begins."""
    municipality = await municipality_by_code(municipality_code)
    if not person_name.strip():
        raise Refused("INVALID", message("errors.officer.new_mayor_name_missing"), field=("input", "personName"))
    running = await Officer.filter(municipality_id=municipality.id, ended_on=None).exclude(role=OfficerRole.ADVISER)
    if not running:
        raise Refused(
            "NOT_FOUND",
            message("errors.officer.no_seat", municipality=Named.of(municipality)),
            field=("input", "municipalityCode"),
        )
    successors = []
    for seat in running:
        if seat.started_on is not None and since <= seat.started_on:
            raise Refused("INVALID", message("errors.officer.new_term_after_current"), field=("input", "since"))
        seat.ended_on = since - dt.timedelta(days=1)
        await seat.save(update_fields=["ended_on"])
        successors.append(
            await Officer.create(
                alliance_id=seat.alliance_id,
                role=seat.role,
                person_name=person_name.strip(),
                title=title or seat.title,
                municipality_id=municipality.id,
                started_on=since,
                position=seat.position,
            )
        )
    changes: Changes = {"person_name": [running[0].person_name, person_name.strip()], "seats": [None, len(successors)]}
    return Change(successors, target_of(municipality), changes)
