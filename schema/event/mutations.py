"""Creating and cancelling events; registering for them and cancelling registrations."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types.unset import UNSET

import models
from resolvers import calendar_feed
from resolvers import event as event_resolvers
from resolvers.event import EventDraft
from schema.context import Info
from schema.event.types import Event, EventFormat, EventKind, EventRegistration
from schema.mutations import Payload, mutate, node_id
from schema.partner.types import Audience


@strawberry.input(description="A new event. Times without an offset are Japan time.")
class CreateEventInput:
    alliance_slug: str = strawberry.field(description='The alliance holding it, e.g. "expo2025".')
    title: str = strawberry.field(description="The title in Japanese.")
    description: str = strawberry.field(description="What the event is about.")
    kind: EventKind = strawberry.field(description="What sort of event it is.")
    format: EventFormat = strawberry.field(description="Onsite, online or hybrid.")
    audience: Audience = strawberry.field(description="Who may register.")
    starts_at: dt.datetime = strawberry.field(description="When it starts.")
    ends_at: dt.datetime = strawberry.field(description="When it ends; after the start.")
    theme_numbers: list[int] = strawberry.field(description="The themes it takes up (1 to 10).")
    registration_closes_at: dt.datetime | None = strawberry.field(
        default=None,
        description="When registration closes; at the start or before. Null: at the start.",
    )
    venue: str | None = strawberry.field(
        default=None, description="Where it is held; needed unless it is online."
    )
    capacity: int | None = strawberry.field(
        default=None,
        description="How many municipalities can take part; null for no limit. Later registrants wait.",
    )
    meeting_url: str | None = strawberry.field(
        default=None,
        description="Where an online or hybrid event is joined (http or https); shown only to those "
        "taking part (`Event.meetingUrl`).",
    )
    partner_slug: str | None = strawberry.field(
        default=None,
        description="The organising partner. Partner staff may leave it out (their own); the "
        "secretariat leaves it and `workingGroupId` out for an event of the alliance itself.",
    )
    working_group_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="The organising WorkingGroup of the same alliance (secretariat only).",
    )


@strawberry.type(description="The result of createEvent.")
class CreateEventPayload(Payload):
    event: Event | None = strawberry.field(default=None, description="The new event.")


@strawberry.input(
    description="Changes to an event that goes ahead and has not ended; a field left out stays as it "
    "is. Times without an offset are Japan time."
)
class UpdateEventInput:
    event_id: relay.GlobalID = strawberry.field(description="The Event's ID.")
    title: str | None = strawberry.field(default=None, description="A new title; null: unchanged.")
    description: str | None = strawberry.field(default=None, description="A new description; null: unchanged.")
    kind: EventKind | None = strawberry.field(default=None, description="A new kind; null: unchanged.")
    format: EventFormat | None = strawberry.field(default=None, description="A new format; null: unchanged.")
    audience: Audience | None = strawberry.field(
        default=None,
        description="A new audience; null: unchanged. Registrations already made stay.",
    )
    starts_at: dt.datetime | None = strawberry.field(
        default=None,
        description="A new start; null: unchanged. A registration deadline that was the start moves with it.",
    )
    ends_at: dt.datetime | None = strawberry.field(default=None, description="A new end; null: unchanged.")
    registration_closes_at: dt.datetime | None = strawberry.field(
        default=None, description="A new registration deadline, at the start or before; null: unchanged."
    )
    venue: str | None = strawberry.field(default=UNSET, description="A new venue; null or empty to remove it.")
    capacity: int | None = strawberry.field(
        default=UNSET,
        description="A new capacity; null for no limit. More places confirm the waiting list in order; a "
        "capacity below the places already confirmed is refused (cancel registrations first).",
    )
    meeting_url: str | None = strawberry.field(
        default=UNSET, description="A new meeting URL (http or https); null or empty to remove it."
    )
    theme_numbers: list[int] | None = strawberry.field(
        default=None, description="The themes it takes up (1 to 10); null: unchanged."
    )

    def given(self) -> dict[str, Any]:
        """The columns the caller sent, as the model's values."""
        values: dict[str, Any] = {}
        for name in ("title", "description", "starts_at", "ends_at", "registration_closes_at"):
            if getattr(self, name) is not None:
                values[name] = getattr(self, name)
        for name, model_enum in (
            ("kind", models.EventKind),
            ("format", models.EventFormat),
            ("audience", models.Audience),
        ):
            if getattr(self, name) is not None:
                values[name] = model_enum(getattr(self, name).value)
        for name in ("venue", "capacity", "meeting_url"):
            if getattr(self, name) is not UNSET:
                values[name] = getattr(self, name)
        return values


@strawberry.type(description="The result of updateEvent.")
class UpdateEventPayload(Payload):
    event: Event | None = strawberry.field(default=None, description="The event as it is now.")


@strawberry.input(description="The event to cancel, and why.")
class CancelEventInput:
    event_id: relay.GlobalID = strawberry.field(description="The Event's ID.")
    reason: str | None = strawberry.field(
        default=None,
        description="Why it is cancelled (at most 1,000 characters); every municipality registered or "
        "waiting is told it. The portals require one.",
    )


@strawberry.type(description="The result of cancelEvent.")
class CancelEventPayload(Payload):
    event: Event | None = strawberry.field(default=None, description="The event, now cancelled.")


@strawberry.type(description="The result of issueCalendarFeed.")
class IssueCalendarFeedPayload(Payload):
    url: str | None = strawberry.field(
        default=None,
        description="The feed's address, shown this once (only a digest of its secret is kept): give it "
        "to a calendar app as a subscription. It lists the upcoming events of the alliance the caller's "
        "tier may attend and the events its municipality registered for.",
    )


@strawberry.input(description="A registration for an event, for the caller's municipality.")
class RegisterForEventInput:
    event_id: relay.GlobalID = strawberry.field(description="The Event's ID.")


@strawberry.type(description="The result of registerForEvent.")
class RegisterForEventPayload(Payload):
    registration: EventRegistration | None = strawberry.field(
        default=None,
        description="The registration: CONFIRMED, or WAITLISTED with its position when the event is full.",
    )


@strawberry.input(description="The registration to cancel.")
class CancelEventRegistrationInput:
    registration_id: relay.GlobalID = strawberry.field(description="The EventRegistration's ID.")


@strawberry.type(description="The result of cancelEventRegistration.")
class CancelEventRegistrationPayload(Payload):
    registration: EventRegistration | None = strawberry.field(
        default=None, description="The registration, now cancelled."
    )


def draft_of(input: CreateEventInput) -> EventDraft:
    return EventDraft(
        alliance_slug=input.alliance_slug,
        title=input.title,
        description=input.description,
        kind=models.EventKind(input.kind.value),
        format=models.EventFormat(input.format.value),
        audience=models.Audience(input.audience.value),
        starts_at=input.starts_at,
        ends_at=input.ends_at,
        theme_numbers=input.theme_numbers,
        registration_closes_at=input.registration_closes_at,
        venue=input.venue,
        capacity=input.capacity,
        meeting_url=input.meeting_url,
        partner_slug=input.partner_slug,
        working_group_id=(
            node_id(input.working_group_id, "WorkingGroup", "workingGroupId")
            if input.working_group_id
            else None
        ),
    )


@strawberry.type
class EventMutation:
    @strawberry.mutation(
        description="Announce an event of the alliance, a working group or a partner."
    )
    async def create_event(
        self,
        info: Info,
        input: Annotated[CreateEventInput, strawberry.argument(description="The event.")],
    ) -> CreateEventPayload:
        row, errors = await mutate(
            info, lambda: event_resolvers.create_event(info.context.actor, draft_of(input))
        )
        return CreateEventPayload(event=Event.from_model(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="Cancel an event; its registrations are kept as history.")
    async def cancel_event(
        self,
        info: Info,
        input: Annotated[CancelEventInput, strawberry.argument(description="The event.")],
    ) -> CancelEventPayload:
        row, errors = await mutate(
            info,
            lambda: event_resolvers.cancel_event(
                info.context.actor, node_id(input.event_id, "Event", "eventId"), input.reason
            ),
        )
        return CancelEventPayload(event=Event.from_model(row) if row else None, user_errors=errors)

    @strawberry.mutation(
        description="Change an event; every municipality registered or waiting is notified of what "
        "changed, and its calendar entry's SEQUENCE goes up."
    )
    async def update_event(
        self,
        info: Info,
        input: Annotated[UpdateEventInput, strawberry.argument(description="The changes.")],
    ) -> UpdateEventPayload:
        row, errors = await mutate(
            info,
            lambda: event_resolvers.update_event(
                info.context.actor,
                node_id(input.event_id, "Event", "eventId"),
                input.given(),
                input.theme_numbers,
            ),
        )
        return UpdateEventPayload(event=Event.from_model(row) if row else None, user_errors=errors)

    @strawberry.mutation(
        description="Issue the caller a new secret calendar-feed address (iCalendar); the one issued "
        "before stops working."
    )
    async def issue_calendar_feed(self, info: Info) -> IssueCalendarFeedPayload:
        issued, errors = await mutate(info, lambda: calendar_feed.issue_feed(info.context.actor))
        url = f"{info.context.settings.link_origin}{issued.path}" if issued else None
        return IssueCalendarFeedPayload(url=url, user_errors=errors)

    @strawberry.mutation(
        description="Register the caller's municipality for an event: a place if one is left, else "
        "a place on the waiting list."
    )
    async def register_for_event(
        self,
        info: Info,
        input: Annotated[RegisterForEventInput, strawberry.argument(description="The event.")],
    ) -> RegisterForEventPayload:
        row, errors = await mutate(
            info,
            lambda: event_resolvers.register(
                info.context.actor, node_id(input.event_id, "Event", "eventId")
            ),
        )
        return RegisterForEventPayload(
            registration=EventRegistration.from_model(row) if row else None, user_errors=errors
        )

    @strawberry.mutation(
        description="Cancel a registration; a confirmed place goes to the next on the waiting list, "
        "who is notified."
    )
    async def cancel_event_registration(
        self,
        info: Info,
        input: Annotated[
            CancelEventRegistrationInput, strawberry.argument(description="The registration.")
        ],
    ) -> CancelEventRegistrationPayload:
        row, errors = await mutate(
            info,
            lambda: event_resolvers.cancel_registration(
                info.context.actor,
                node_id(input.registration_id, "EventRegistration", "registrationId"),
            ),
        )
        return CancelEventRegistrationPayload(
            registration=EventRegistration.from_model(row) if row else None, user_errors=errors
        )
