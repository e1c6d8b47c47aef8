"""Creating and cancelling events; registering for them and cancelling registrations."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry import relay

import models
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


@strawberry.input(description="The event to cancel.")
class CancelEventInput:
    event_id: relay.GlobalID = strawberry.field(description="The Event's ID.")


@strawberry.type(description="The result of cancelEvent.")
class CancelEventPayload(Payload):
    event: Event | None = strawberry.field(default=None, description="The event, now cancelled.")


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
                info.context.actor, node_id(input.event_id, "Event", "eventId")
            ),
        )
        return CancelEventPayload(event=Event.from_model(row) if row else None, user_errors=errors)

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
