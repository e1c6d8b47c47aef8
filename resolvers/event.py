"""Events: who organises them, who may register, who sees the registrations, and the waiting list.

Every write to an event's registrations first locks the event's row (`SELECT … FOR UPDATE` on
PostgreSQL; SQLite runs one write transaction at a time), so registrations and cancellations for
one event happen one after another: the capacity holds, and the waiting list runs in the order of
registration ids, which is the order in which registrations took the lock.

Tiers (seed 002, Q4): supporting members receive the online seminars. So a supporting member may
register for a SEMINAR held ONLINE, or HYBRID, since a hybrid seminar can be attended online (the
registration then takes one of the event's places like any other); any other event of the
alliance needs a full membership. A PUBLIC event is open to every municipality, member or not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.functions import Count
from tortoise.queryset import QuerySet

from i18n import message
from models import (
    Alliance,
    Audience,
    Event,
    EventFormat,
    EventKind,
    EventRegistration,
    EventRegistrationStatus,
    EventStatus,
    Membership,
    MembershipStatus,
    NotificationKind,
    OrganiserKind,
    Partner,
    WorkingGroup,
)
from resolvers.access import Actor, may_act_for_municipality
from resolvers.entitlements import may_attend
from resolvers.audit import Change, assign, created, target_of
from resolvers.calendar import in_japan, now
from resolvers.errors import Refused
from resolvers.lookup import alliance_by_slug
from resolvers.notification import Recipient, notify
from resolvers.partner import owning_partner, themes_numbered

Status = EventRegistrationStatus
LIVE = (Status.CONFIRMED, Status.WAITLISTED)
NEEDS_A_VENUE = (EventFormat.ONSITE, EventFormat.HYBRID)


@dataclass(frozen=True, kw_only=True)
class EventQuery:
    theme_number: int | None = None
    kind: EventKind | None = None
    format: EventFormat | None = None
    organiser_partner_slug: str | None = None
    working_group_id: int | None = None
    starts_from: dt.datetime | None = None
    starts_before: dt.datetime | None = None
    upcoming_only: bool = False


def events(query: EventQuery) -> QuerySet[Event]:
    """Events in the order they start; times compare on Japan's clock, as they are stored."""
    queryset = Event.all()
    if query.theme_number is not None:
        queryset = queryset.filter(themes__number=query.theme_number)
    if query.kind is not None:
        queryset = queryset.filter(kind=query.kind)
    if query.format is not None:
        queryset = queryset.filter(format=query.format)
    if query.organiser_partner_slug is not None:
        queryset = queryset.filter(partner__slug=query.organiser_partner_slug)
    if query.working_group_id is not None:
        queryset = queryset.filter(working_group_id=query.working_group_id)
    if query.starts_from is not None:
        queryset = queryset.filter(starts_at__gte=in_japan(query.starts_from))
    if query.starts_before is not None:
        queryset = queryset.filter(starts_at__lt=in_japan(query.starts_before))
    if query.upcoming_only:
        queryset = queryset.filter(ends_at__gt=in_japan(now()))
    return queryset.order_by("starts_at", "id")


# --- who sees which registrations ----------------------------------------------------------------


def manages_event(actor: Actor, organiser_partner_id: int | None) -> bool:
    """The secretariat, or the staff of the partner organising the event."""
    return actor.is_admin or (
        organiser_partner_id is not None and actor.is_staff_of_partner(organiser_partner_id)
    )


def may_see_registration(
    actor: Actor, organiser_partner_id: int | None, registration: EventRegistration
) -> bool:
    """The one rule: those who manage the event see every registration of it; municipality staff
    see their own municipality's; nobody else sees any."""
    return manages_event(actor, organiser_partner_id) or actor.is_staff_of_municipality(
        registration.municipality_id
    )


def visible_registrations(
    actor: Actor, organiser_partner_id: int | None, registrations: Sequence[EventRegistration]
) -> list[EventRegistration]:
    return [r for r in registrations if may_see_registration(actor, organiser_partner_id, r)]


def viewer_registration(
    actor: Actor, registrations: Sequence[EventRegistration]
) -> EventRegistration | None:
    """The live registration of the caller's municipality among an event's registrations."""
    if actor.municipality_id is None:
        return None
    return next(
        (
            r
            for r in registrations
            if r.municipality_id == actor.municipality_id and r.status in LIVE
        ),
        None,
    )


def waitlist_position(
    registration_id: int, registrations: Sequence[EventRegistration]
) -> int | None:
    """1 for the next in line; None unless waitlisted. `registrations` are the event's, by id."""
    waiting = [r.id for r in registrations if r.status is Status.WAITLISTED]
    return waiting.index(registration_id) + 1 if registration_id in waiting else None


async def registration_counts(event_ids: Sequence[int]) -> dict[int, dict[Status, int]]:
    """How many registrations of each status every event has."""
    rows = (
        await EventRegistration.filter(event_id__in=event_ids)
        .annotate(count=Count("id"))
        .group_by("event_id", "status")
        .values_list("event_id", "status", "count")
    )
    counts: dict[int, dict[Status, int]] = {i: {} for i in event_ids}
    for event_id, status, count in rows:
        counts[event_id][Status(status)] = count
    return counts


def places_left(capacity: int | None, counts: dict[Status, int]) -> int | None:
    if capacity is None:
        return None
    return max(capacity - counts.get(Status.CONFIRMED, 0), 0)


def is_registration_open(status: EventStatus, registration_closes_at: dt.datetime) -> bool:
    return status is EventStatus.SCHEDULED and now() < registration_closes_at


# --- creating and cancelling events ---------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class EventDraft:
    """A new event as `createEvent` gives it; times without an offset are Japan time."""

    alliance_slug: str
    title: str
    description: str
    kind: EventKind
    format: EventFormat
    audience: Audience
    starts_at: dt.datetime
    ends_at: dt.datetime
    theme_numbers: list[int]
    registration_closes_at: dt.datetime | None = None
    venue: str | None = None
    capacity: int | None = None
    partner_slug: str | None = None
    working_group_id: int | None = None


@dataclass(frozen=True)
class Organiser:
    kind: OrganiserKind
    working_group: WorkingGroup | None = None
    partner: Partner | None = None


async def organiser_of(actor: Actor, alliance: Alliance, draft: EventDraft) -> Organiser:
    """The secretariat organises for the alliance or a working group; partner staff for their own
    partner (the secretariat may also name any partner)."""
    if draft.partner_slug is not None and draft.working_group_id is not None:
        raise Refused(
            "INVALID",
            message("errors.event.one_organiser"),
            field=("input", "workingGroupId"),
        )
    if draft.working_group_id is not None:
        field = ("input", "workingGroupId")
        if not actor.is_admin:
            raise Refused(
                "FORBIDDEN", message("errors.event.working_group_events_by_secretariat"), field=field
            )
        group = await WorkingGroup.get_or_none(id=draft.working_group_id, alliance_id=alliance.id)
        if group is None:
            raise Refused(
                "NOT_FOUND", message("errors.event.no_such_working_group"), field=field
            )
        return Organiser(OrganiserKind.WORKING_GROUP, working_group=group)
    if draft.partner_slug is not None or actor.partner_id is not None:
        return Organiser(
            OrganiserKind.PARTNER, partner=await owning_partner(actor, draft.partner_slug)
        )
    return Organiser(OrganiserKind.ALLIANCE)


def check_event(event: Event) -> None:
    if not event.title.strip():
        raise Refused("INVALID", message("errors.event.title_missing"), field=("input", "title"))
    if event.ends_at <= event.starts_at:
        raise Refused("INVALID", message("errors.event.ends_before_start"), field=("input", "endsAt"))
    if event.registration_closes_at > event.starts_at:
        raise Refused(
            "INVALID",
            message("errors.event.registration_closes_after_start"),
            field=("input", "registrationClosesAt"),
        )
    if event.capacity is not None and event.capacity < 1:
        raise Refused(
            "INVALID", message("errors.common.capacity_at_least_one"), field=("input", "capacity")
        )
    if event.format in NEEDS_A_VENUE and not (event.venue or "").strip():
        raise Refused(
            "INVALID", message("errors.event.venue_missing"), field=("input", "venue")
        )


async def create_event(actor: Actor, draft: EventDraft) -> Change[Event]:
    alliance = await alliance_by_slug(draft.alliance_slug)
    if await alliance.successors.all().exists():
        raise Refused(
            "INVALID",
            message("errors.event.alliance_succeeded"),
            field=("input", "allianceSlug"),
        )
    organiser = await organiser_of(actor, alliance, draft)
    starts_at = in_japan(draft.starts_at)
    event = Event(
        alliance=alliance,
        title=draft.title.strip(),
        description=draft.description,
        kind=draft.kind,
        organiser_kind=organiser.kind,
        working_group=organiser.working_group,
        partner=organiser.partner,
        starts_at=starts_at,
        ends_at=in_japan(draft.ends_at),
        registration_closes_at=in_japan(draft.registration_closes_at)
        if draft.registration_closes_at
        else starts_at,
        format=draft.format,
        venue=draft.venue,
        capacity=draft.capacity,
        audience=draft.audience,
    )
    check_event(event)
    themes = await themes_numbered(draft.theme_numbers)
    await event.save()
    await event.themes.add(*themes)
    values = created(
        event,
        "alliance_id",
        "title",
        "kind",
        "organiser_kind",
        "partner_id",
        "starts_at",
        "capacity",
    )
    return Change(event, target_of(event), values)


async def cancel_event(actor: Actor, event_id: int) -> Change[Event]:
    """The event stays, CANCELLED; its registrations stay as they were, as history."""
    event = await Event.select_for_update().get_or_none(id=event_id)
    field = ("input", "eventId")
    if event is None:
        raise Refused("NOT_FOUND", message("errors.event.no_such_event"), field=field)
    if not manages_event(actor, event.partner_id):
        raise Refused(
            "FORBIDDEN",
            message("errors.event.cancel_not_allowed"),
            field=field,
        )
    if event.status is EventStatus.CANCELLED:
        raise Refused("INVALID_TRANSITION", message("errors.event.cancelled_already", event=event.title), field=field)
    changes = assign(event, status=EventStatus.CANCELLED, cancelled_at=in_japan(now()))
    await event.save()
    return Change(event, target_of(event), changes)


# --- registering and cancelling registrations -------------------------------------------------------


async def check_audience(event: Event, municipality_id: int) -> None:
    membership = await Membership.get_or_none(alliance_id=event.alliance_id, municipality_id=municipality_id)
    tier = membership.tier if membership is not None and membership.status is MembershipStatus.ACTIVE else None
    may_attend(tier, event.audience, event.kind, event.format).require()


def check_open(event: Event) -> None:
    if event.status is EventStatus.CANCELLED:
        raise Refused("EVENT_CANCELLED", message("errors.event.cancelled", event=event.title), field=("input", "eventId"))
    if now() >= event.registration_closes_at:
        closed = in_japan(event.registration_closes_at).strftime("%Y-%m-%d %H:%M")
        raise Refused(
            "REGISTRATION_CLOSED",
            message("errors.event.registration_closed", event=event.title, closed=closed),
            field=("input", "eventId"),
        )


async def confirmed_count(event_id: int) -> int:
    return await EventRegistration.filter(event_id=event_id, status=Status.CONFIRMED).count()


async def register(actor: Actor, event_id: int) -> Change[EventRegistration]:
    """A place if one is left, else a place on the waiting list."""
    municipality_id = actor.municipality_id
    assert municipality_id is not None, "the mutation's rule admits municipality staff only"
    event = await Event.select_for_update().get_or_none(id=event_id)
    if event is None:
        raise Refused("NOT_FOUND", message("errors.event.no_such_event"), field=("input", "eventId"))
    check_open(event)
    await check_audience(event, municipality_id)
    if await EventRegistration.exists(
        event_id=event.id, municipality_id=municipality_id, status__in=LIVE
    ):
        raise Refused(
            "ALREADY_REGISTERED", message("errors.event.already_registered")
        )
    full = event.capacity is not None and await confirmed_count(event.id) >= event.capacity
    registration = await EventRegistration.create(
        event=event,
        municipality_id=municipality_id,
        registered_by_id=actor.user_id,
        status=Status.WAITLISTED if full else Status.CONFIRMED,
    )
    return Change(
        registration,
        target_of(registration),
        created(registration, "event_id", "municipality_id", "status"),
    )


async def promote_waiting(event: Event) -> list[EventRegistration]:
    """Confirm the earliest waitlisted registrations for the places now free, and tell them."""
    if event.capacity is None:
        return []
    free = event.capacity - await confirmed_count(event.id)
    if free <= 0:
        return []
    waiting = await (
        EventRegistration.select_for_update()
        .filter(event_id=event.id, status=Status.WAITLISTED)
        .order_by("id")
        .limit(free)
    )
    for registration in waiting:
        assign(registration, status=Status.CONFIRMED, promoted_at=in_japan(now()))
        await registration.save()
        await notify(
            Recipient(municipality_id=registration.municipality_id),
            NotificationKind.WAITLIST_PROMOTED,
            registration,
            "EventRegistration",
            event=event.title,
        )
    return waiting


async def cancel_registration(actor: Actor, registration_id: int) -> Change[EventRegistration]:
    """Cancelling a confirmed place gives it to the next on the waiting list, in this transaction."""
    field = ("input", "registrationId")
    found = await EventRegistration.get_or_none(id=registration_id)
    if found is None or not may_act_for_municipality(actor, found.municipality_id):
        raise Refused("NOT_FOUND", message("errors.event.no_such_registration"), field=field)
    event = await Event.select_for_update().get(id=found.event_id)
    registration = await EventRegistration.select_for_update().get(id=found.id)
    if registration.status is Status.CANCELLED:
        raise Refused("INVALID_TRANSITION", message("errors.event.registration_cancelled_already"), field=field)
    if event.status is EventStatus.CANCELLED:
        raise Refused(
            "EVENT_CANCELLED",
            message("errors.event.cancelled_registrations_kept", event=event.title),
            field=field,
        )
    if now() >= event.starts_at:
        raise Refused(
            "REGISTRATION_CLOSED",
            message("errors.event.started", event=event.title),
            field=field,
        )
    held_a_place = registration.status is Status.CONFIRMED
    changes = assign(registration, status=Status.CANCELLED, cancelled_at=in_japan(now()))
    await registration.save()
    if held_a_place:
        promoted = await promote_waiting(event)
        if promoted:
            changes["promoted_registration_ids"] = [None, [r.id for r in promoted]]
    return Change(registration, target_of(registration), changes)
