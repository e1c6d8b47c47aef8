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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from tortoise.functions import Count
from tortoise.queryset import QuerySet

from i18n import Named, message
from models import (
    Alliance,
    Audience,
    Event,
    EventFormat,
    EventKind,
    EventRegistration,
    EventRegistrationStatus,
    EventStatus,
    EventUpdateField,
    Membership,
    MembershipStatus,
    NotificationKind,
    OrganiserKind,
    Partner,
    WorkingGroup,
)
from resolvers.access import Actor, may_act_for_municipality
from resolvers.audit import Change, assign, created, target_of
from resolvers.calendar import in_japan, now
from resolvers.db.rows import column
from resolvers.entitlements import ONLINE_ATTENDANCE, may_attend
from resolvers.errors import Refused
from resolvers.event_mail import REMINDER_LEAD, mail_registration
from resolvers.lookup import alliance_by_slug
from resolvers.notification import Recipient, notify, notify_all, partner_named
from resolvers.partner import owning_partner, themes_numbered

Status = EventRegistrationStatus
LIVE = (Status.CONFIRMED, Status.WAITLISTED)
NEEDS_A_VENUE = (EventFormat.ONSITE, EventFormat.HYBRID)
MAX_REASON_LENGTH = 1000
CANCELLATION_VARIANTS = ("with_reason", "without_reason")
"""The two messages of EVENT_CANCELLED (`notification.EVENT_CANCELLED.<variant>`)."""


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


def may_see_meeting_url(
    actor: Actor, organiser_partner_id: int | None, registrations: Sequence[EventRegistration]
) -> bool:
    """Those who manage the event, and the staff of a municipality holding a confirmed place
    (not one on the waiting list)."""
    if manages_event(actor, organiser_partner_id):
        return True
    registration = viewer_registration(actor, registrations)
    return registration is not None and registration.status is Status.CONFIRMED


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
    meeting_url: str | None = None
    partner_slug: str | None = None
    working_group_id: int | None = None


@dataclass(frozen=True)
class Organiser:
    kind: OrganiserKind
    working_group: WorkingGroup | None = None
    partner: Partner | None = None


async def organiser_named(event: Event) -> Named:
    """Who organises the event, in both languages, as a notification's `organiser`: the partner,
    the working group by its theme, or the alliance."""
    if event.organiser_kind is OrganiserKind.PARTNER and event.partner_id is not None:
        return await partner_named(event.partner_id)
    if event.organiser_kind is OrganiserKind.WORKING_GROUP and event.working_group_id is not None:
        theme = (await WorkingGroup.get(id=event.working_group_id).prefetch_related("theme")).theme
        return Named(
            message("event.working_group_of", theme=f"{theme.roman} {theme.title}").render("ja"),
            message("event.working_group_of", theme=f"{theme.roman} {theme.title_en}").render("en"),
        )
    alliance = await Alliance.get(id=event.alliance_id)
    return Named(alliance.short_name or alliance.name, alliance.name_en)


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
    check_meeting_url(event)


def check_meeting_url(event: Event) -> None:
    """An http(s) address, and only for an event attended online."""
    if event.meeting_url is None:
        return
    field = ("input", "meetingUrl")
    if event.format not in ONLINE_ATTENDANCE:
        raise Refused("INVALID", message("events.errors.meeting_url_onsite"), field=field)
    parts = urlsplit(event.meeting_url)
    if parts.scheme not in {"https", "http"} or not parts.hostname or any(c.isspace() for c in event.meeting_url):
        raise Refused("INVALID", message("events.errors.meeting_url_invalid"), field=field)


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
        meeting_url=(draft.meeting_url or "").strip() or None,
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


async def managed_event(actor: Actor, event_id: int, refusal: str) -> Event:
    """The event, locked, if the caller manages it and it still goes ahead."""
    event = await Event.select_for_update().get_or_none(id=event_id)
    field = ("input", "eventId")
    if event is None:
        raise Refused("NOT_FOUND", message("errors.event.no_such_event"), field=field)
    if not manages_event(actor, event.partner_id):
        raise Refused("FORBIDDEN", message(refusal), field=field)
    if event.status is EventStatus.CANCELLED:
        raise Refused(
            "INVALID_TRANSITION", message("errors.event.cancelled_already", event=event.title), field=field
        )
    return event


async def live_registrants(event_id: int) -> list[Recipient]:
    """The municipalities with a place or a place in the queue, in the order they registered."""
    municipalities = await column(
        EventRegistration.filter(event_id=event_id, status__in=LIVE).order_by("id"), "municipality_id"
    )
    return [Recipient(municipality_id=municipality_id) for municipality_id in municipalities]


async def cancel_event(actor: Actor, event_id: int, reason: str | None = None) -> Change[Event]:
    """The event stays, CANCELLED; its registrations stay as they were, as history. Every
    municipality registered or waiting is told, with the reason when one is given."""
    event = await managed_event(actor, event_id, "errors.event.cancel_not_allowed")
    reason = (reason or "").strip() or None
    if reason is not None and len(reason) > MAX_REASON_LENGTH:
        raise Refused(
            "INVALID",
            message("events.errors.reason_too_long", max_length=MAX_REASON_LENGTH),
            field=("input", "reason"),
        )
    changes = assign(
        event,
        status=EventStatus.CANCELLED,
        cancelled_at=in_japan(now()),
        cancellation_reason=reason,
        sequence=event.sequence + 1,
    )
    await event.save()
    told = await notify_all(
        await live_registrants(event.id),
        NotificationKind.EVENT_CANCELLED,
        event,
        "Event",
        event=event.title,
        organiser=await organiser_named(event),
        change=CANCELLATION_VARIANTS[0] if reason else CANCELLATION_VARIANTS[1],
        **({"reason": reason} if reason else {}),
    )
    changes["notified"] = [None, told]
    return Change(event, target_of(event), changes)


# --- changing an event ------------------------------------------------------------------------------

UPDATE_FIELDS: dict[str, EventUpdateField] = {
    "title": EventUpdateField.TITLE,
    "description": EventUpdateField.DESCRIPTION,
    "kind": EventUpdateField.KIND,
    "format": EventUpdateField.FORMAT,
    "audience": EventUpdateField.AUDIENCE,
    "starts_at": EventUpdateField.STARTS_AT,
    "ends_at": EventUpdateField.ENDS_AT,
    "registration_closes_at": EventUpdateField.REGISTRATION_CLOSES_AT,
    "venue": EventUpdateField.VENUE,
    "capacity": EventUpdateField.CAPACITY,
    "meeting_url": EventUpdateField.MEETING_URL,
}
"""The columns `updateEvent` may change, and how a notification names each."""


def normalised(values: Mapping[str, Any]) -> dict[str, Any]:
    """The given values as stored: text stripped (empty text is none), times on Japan's clock."""
    result: dict[str, Any] = {}
    for name, value in values.items():
        if name not in UPDATE_FIELDS:
            raise ValueError(f"updateEvent cannot change {name!r}")
        if isinstance(value, str) and name != "description":
            value = value.strip() or (None if name in {"venue", "meeting_url"} else "")
        if isinstance(value, dt.datetime):
            value = in_japan(value)
        result[name] = value
    return result


def check_capacity_holds(capacity: int | None, confirmed: int) -> None:
    """A capacity below the places already given is refused: nobody loses a confirmed place
    because the organiser shrank the event; the organiser cancels registrations first."""
    if capacity is not None and capacity < confirmed:
        raise Refused(
            "INVALID",
            message("events.errors.capacity_below_confirmed", confirmed=confirmed),
            field=("input", "capacity"),
        )


async def update_event(
    actor: Actor, event_id: int, values: Mapping[str, Any], theme_numbers: list[int] | None = None
) -> Change[Event]:
    """Change an event that goes ahead and has not ended. A registration deadline that was the
    start moves with the start; more places confirm the waiting list in order; every municipality
    registered or waiting is told which details changed; its calendar entry's SEQUENCE goes up."""
    event = await managed_event(actor, event_id, "events.errors.update_not_allowed")
    if now() >= event.ends_at:
        raise Refused(
            "OUTSIDE_PERIOD", message("events.errors.ended", event=event.title), field=("input", "eventId")
        )
    values = normalised(values)
    if "starts_at" in values and "registration_closes_at" not in values and event.registration_closes_at == event.starts_at:
        values["registration_closes_at"] = values["starts_at"]
    moved = "starts_at" in values and values["starts_at"] != event.starts_at
    changes = assign(event, **values)
    check_event(event)
    check_capacity_holds(event.capacity, await confirmed_count(event.id))
    changed = [UPDATE_FIELDS[name] for name in UPDATE_FIELDS if name in changes]
    if theme_numbers is not None:
        themes = await themes_numbered(theme_numbers)
        before = sorted(await column(event.themes.all(), "number"))
        if before != sorted(t.number for t in themes):
            await event.themes.clear()
            await event.themes.add(*themes)
            changes["theme_numbers"] = [before, sorted(t.number for t in themes)]
            changed.append(EventUpdateField.THEMES)
    if not changed:
        raise Refused("UNCHANGED", message("events.errors.unchanged"), field=("input",))
    changes["sequence"] = [event.sequence, event.sequence + 1]
    event.sequence += 1
    await event.save()
    if moved:
        await EventRegistration.filter(event_id=event.id, status__in=LIVE).update(reminded_at=None)
    told = await notify_all(
        await live_registrants(event.id),
        NotificationKind.EVENT_UPDATED,
        event,
        "Event",
        event=event.title,
        organiser=await organiser_named(event),
        changed=changed,
    )
    changes["notified"] = [None, told]
    promoted = await promote_waiting(event)
    if promoted:
        changes["promoted_registration_ids"] = [None, [r.id for r in promoted]]
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
    """A place if one is left, else a place on the waiting list; the registrant is emailed
    (`resolvers.event_mail`). Registering within a day of the start needs no reminder."""
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
    moment = now()
    registration = await EventRegistration.create(
        event=event,
        municipality_id=municipality_id,
        registered_by_id=actor.user_id,
        status=Status.WAITLISTED if full else Status.CONFIRMED,
        reminded_at=moment if event.starts_at - moment <= REMINDER_LEAD else None,
    )
    position = await EventRegistration.filter(
        event_id=event.id, status=Status.WAITLISTED, id__lte=registration.id
    ).count() if full else None
    await mail_registration(registration, event, position)
    return Change(
        registration,
        target_of(registration),
        created(registration, "event_id", "municipality_id", "status"),
    )


async def promote_waiting(event: Event) -> list[EventRegistration]:
    """Confirm the earliest waitlisted registrations for the places now free (all of them once the
    capacity is lifted), and tell them."""
    queue = EventRegistration.select_for_update().filter(event_id=event.id, status=Status.WAITLISTED).order_by("id")
    if event.capacity is not None:
        free = event.capacity - await confirmed_count(event.id)
        if free <= 0:
            return []
        queue = queue.limit(free)
    waiting = await queue
    organiser = await organiser_named(event) if waiting else None
    for registration in waiting:
        assign(registration, status=Status.CONFIRMED, promoted_at=in_japan(now()))
        await registration.save()
        await notify(
            Recipient(municipality_id=registration.municipality_id),
            NotificationKind.WAITLIST_PROMOTED,
            registration,
            "EventRegistration",
            event=event.title,
            organiser=organiser,
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
