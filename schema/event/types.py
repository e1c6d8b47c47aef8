"""Events and event registrations as the API shows them."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry import relay

import models
from i18n import language_in_use
from resolvers import event as event_resolvers
from resolvers.access import Actor
from resolvers.db.pagination import paginate_list
from resolvers.event_calendar import Entry, icalendar_of
from schema.alliance.types import Alliance, WorkingGroup
from schema.context import Info
from schema.entitlement.types import TierAdmission, event_admissions
from schema.node import ModelNode
from schema.pagination import (
    AfterArg,
    BeforeArg,
    Connection,
    FirstArg,
    LastArg,
    page_request,
    to_connection,
)
from schema.partner.types import Audience, Partner
from schema.registry.types import Municipality
from schema.relation import Loaded, related, relation
from schema.theme.types import Theme


@strawberry.enum(description="What sort of event it is.")
class EventKind(Enum):
    _value_: str
    SEMINAR = strawberry.enum_value("SEMINAR", description="A seminar or lecture.")
    WORKSHOP = strawberry.enum_value("WORKSHOP", description="A workshop.")
    WORKING_GROUP_MEETING = strawberry.enum_value(
        "WORKING_GROUP_MEETING", description="A meeting of a working group."
    )
    MATCHING_EVENT = strawberry.enum_value(
        "MATCHING_EVENT", description="A matching or networking event."
    )
    CONFERENCE = strawberry.enum_value("CONFERENCE", description="A conference or general meeting.")


@strawberry.enum(description="How an event is attended.")
class EventFormat(Enum):
    _value_: str
    ONSITE = strawberry.enum_value("ONSITE", description="In person, at the venue.")
    ONLINE = strawberry.enum_value("ONLINE", description="Online only.")
    HYBRID = strawberry.enum_value(
        "HYBRID",
        description="At the venue and online; supporting members may attend a hybrid seminar online.",
    )


@strawberry.enum(description="Who organises an event.")
class EventOrganiserKind(Enum):
    _value_: str
    ALLIANCE = strawberry.enum_value(
        "ALLIANCE", description="The alliance itself (its secretariat)."
    )
    WORKING_GROUP = strawberry.enum_value(
        "WORKING_GROUP", description="One of the alliance's working groups."
    )
    PARTNER = strawberry.enum_value("PARTNER", description="A partner organisation.")


@strawberry.enum(description="Whether an event goes ahead.")
class EventStatus(Enum):
    _value_: str
    SCHEDULED = strawberry.enum_value("SCHEDULED", description="It goes ahead as announced.")
    CANCELLED = strawberry.enum_value(
        "CANCELLED", description="It was cancelled; its registrations are kept as history."
    )


@strawberry.enum(description="Where a registration for an event stands.")
class EventRegistrationStatus(Enum):
    _value_: str
    CONFIRMED = strawberry.enum_value("CONFIRMED", description="The municipality has a place.")
    WAITLISTED = strawberry.enum_value(
        "WAITLISTED", description="On the waiting list; confirmed in turn when a place comes free."
    )
    CANCELLED = strawberry.enum_value("CANCELLED", description="Cancelled; kept as history.")


EventOrganiser = Annotated[
    Alliance | WorkingGroup | Partner,
    strawberry.union(
        "EventOrganiser",
        description="Who organises an event: the alliance, one of its working groups or a partner.",
    ),
]


@strawberry.type(
    description="A registration of a municipality for an event. Private: visible to the "
    "registering municipality's staff, the secretariat and the organising partner's staff."
)
class EventRegistration(ModelNode):
    model = models.EventRegistration
    id: relay.NodeID[int]
    status: EventRegistrationStatus = strawberry.field(
        description="Whether it has a place, waits, or was cancelled."
    )
    registered_at: dt.datetime = strawberry.field(description="When it was made (Japan time).")
    promoted_at: dt.datetime | None = strawberry.field(
        description="When it moved from the waiting list to a place; null if it never waited or still waits."
    )
    cancelled_at: dt.datetime | None = strawberry.field(
        description="When it was cancelled; null if it was not."
    )
    event_id: strawberry.Private[int]
    municipality_id: strawberry.Private[int]

    @classmethod
    def is_visible(cls, actor: Actor, row: Any) -> bool:
        return event_resolvers.may_see_registration(actor, row.event.partner_id, row)

    @relation("Event", description="The event.")
    def event(self, info: Info) -> Loaded[Event]:
        return related(info.context.loaders.event_by_id, self.event_id, Event.from_model)

    @relation("Municipality", description="The registered municipality.")
    def municipality(self, info: Info) -> Loaded[Municipality]:
        return related(
            info.context.loaders.municipality_by_id, self.municipality_id, Municipality.from_model
        )

    @strawberry.field(
        description="Its place on the waiting list, 1 for the next in line; null unless WAITLISTED."
    )
    async def waitlist_position(self, info: Info) -> int | None:
        registrations = await info.context.loaders.registrations_by_event.load(self.event_id)
        return event_resolvers.waitlist_position(self.id, registrations)


@strawberry.type(
    description="A seminar, workshop, meeting, matching event or conference of an alliance."
)
class Event(ModelNode):
    model = models.Event
    columns_read = {
        "icalendar": (
            "title", "description", "starts_at", "ends_at", "venue", "status", "sequence", "cancellation_reason",
        ),
        "places_left": ("capacity",),
        "audience_by_tier": ("audience", "format", "kind"),
        "is_registration_open": ("registration_closes_at", "status"),
    }
    id: relay.NodeID[int]
    title: str = strawberry.field(description="The title in Japanese.")
    description: str = strawberry.field(description="What the event is about.")
    kind: EventKind = strawberry.field(description="What sort of event it is.")
    organiser_kind: EventOrganiserKind = strawberry.field(description="Who organises it.")
    starts_at: dt.datetime = strawberry.field(description="When it starts (Japan time, +09:00).")
    ends_at: dt.datetime = strawberry.field(description="When it ends (Japan time, +09:00).")
    registration_closes_at: dt.datetime = strawberry.field(
        description="When registration closes (Japan time): at the start or before."
    )
    format: EventFormat = strawberry.field(description="Onsite, online or hybrid.")
    venue: str | None = strawberry.field(description="Where it is held; null for online events.")
    capacity: int | None = strawberry.field(
        description="How many municipalities can take part; null for no limit."
    )
    audience: Audience = strawberry.field(
        description="Who may register. ALL_MEMBERS means each member within its tier's benefits: "
        "supporting members attend seminars held online or hybrid."
    )
    status: EventStatus = strawberry.field(description="Whether it goes ahead.")
    cancelled_at: dt.datetime | None = strawberry.field(
        description="When it was cancelled; null if it was not."
    )
    cancellation_reason: str | None = strawberry.field(
        description="Why it was cancelled, as the organiser gave it; null if it was not cancelled or no reason was given."
    )
    sequence: int = strawberry.field(
        description="How many times it was changed or cancelled after it was announced (iCalendar's SEQUENCE)."
    )
    meeting_url: strawberry.Private[str | None]
    alliance_id: strawberry.Private[int]
    working_group_id: strawberry.Private[int | None]
    partner_id: strawberry.Private[int | None]

    @relation("Alliance", description="The alliance the event belongs to.")
    def alliance(self, info: Info) -> Loaded[Alliance]:
        return related(info.context.loaders.alliance_by_id, self.alliance_id, Alliance.from_model)

    @relation("EventOrganiser", description="Who organises it: the alliance, a working group or a partner.")
    def organiser(self, info: Info) -> Loaded[EventOrganiser]:
        loaders = info.context.loaders
        if self.working_group_id is not None:
            return related(loaders.working_group_by_id, self.working_group_id, WorkingGroup.from_model)
        if self.partner_id is not None:
            return related(loaders.partner_by_id, self.partner_id, Partner.from_model)
        return related(loaders.alliance_by_id, self.alliance_id, Alliance.from_model)

    @relation("list[Theme]", description="The themes it takes up, by number.")
    def themes(self, info: Info) -> Loaded[list[Theme]]:
        return related(info.context.loaders.themes_by_event, self.id, Theme.from_models)

    @strawberry.field(description="How many places are left; null if the capacity is open.")
    async def places_left(self, info: Info) -> int | None:
        counts = await info.context.loaders.registration_counts_by_event.load(self.id)
        return event_resolvers.places_left(self.capacity, counts)

    @strawberry.field(description="How many registrations wait for a place.")
    async def waitlist_count(self, info: Info) -> int:
        counts = await info.context.loaders.registration_counts_by_event.load(self.id)
        return counts.get(models.EventRegistrationStatus.WAITLISTED, 0)

    @strawberry.field(
        description="Who may register, tier by tier (then non-members), and the reason for each refusal: "
        "the audience as the tiers' benefits narrow it."
    )
    def audience_by_tier(self) -> list[TierAdmission]:
        return event_admissions(
            models.Audience(self.audience.value), models.EventKind(self.kind.value), models.EventFormat(self.format.value)
        )

    @strawberry.field(
        description="Whether a municipality can register now: the event is scheduled and registration has not closed."
    )
    def is_registration_open(self) -> bool:
        return event_resolvers.is_registration_open(
            models.EventStatus(self.status.value), self.registration_closes_at
        )

    @strawberry.field(
        description="The live (confirmed or waitlisted) registration of the caller's municipality; null otherwise."
    )
    async def viewer_registration(self, info: Info) -> EventRegistration | None:
        registrations = await info.context.loaders.registrations_by_event.load(self.id)
        row = event_resolvers.viewer_registration(info.context.actor, registrations)
        return EventRegistration.from_model(row) if row else None

    @strawberry.field(
        name="meetingUrl",
        description="Where an online or hybrid event is joined. Only for those taking part: the staff "
        "of a municipality with a confirmed place (not on the waiting list), the organising partner's "
        "staff and the secretariat; null for everyone else, and when none is set.",
    )
    async def visible_meeting_url(self, info: Info) -> str | None:
        if self.meeting_url is None:
            return None
        registrations = await info.context.loaders.registrations_by_event.load(self.id)
        visible = event_resolvers.may_see_meeting_url(info.context.actor, self.partner_id, registrations)
        return self.meeting_url if visible else None

    @strawberry.field(
        description="The event as an iCalendar (RFC 5545) document for calendar apps, in the "
        "request's language: a stable UID, SEQUENCE, STATUS:CANCELLED once cancelled, Japan time with "
        "its VTIMEZONE; the meeting URL only when the caller may see it (`meetingUrl`)."
    )
    async def icalendar(self, info: Info) -> str:
        meeting_url = await self.visible_meeting_url(info)
        return icalendar_of([Entry(self.as_row(), meeting_url)], language_in_use()).decode()

    def as_row(self) -> models.Event:
        """The model's row again, with the columns `icalendar` reads (`columns_read`)."""
        return models.Event(
            id=self.id,
            title=self.title,
            description=self.description,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            venue=self.venue,
            status=models.EventStatus(self.status.value),
            sequence=self.sequence,
            cancellation_reason=self.cancellation_reason,
        )

    @strawberry.field(
        description="The registrations the caller may see, oldest first; paged: the secretariat and "
        "the organising partner's staff see all, municipality staff their own, others none."
    )
    async def registrations(
        self,
        info: Info,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Connection[EventRegistration]:
        registrations = await info.context.loaders.registrations_by_event.load(self.id)
        visible = event_resolvers.visible_registrations(
            info.context.actor, self.partner_id, registrations
        )
        return to_connection(
            paginate_list(visible, page_request(first, after, last, before)),
            EventRegistration.from_model,
        )


@strawberry.input(description="Narrows events; every given field must match.")
class EventFilter:
    theme_number: int | None = strawberry.field(
        default=None, description="Only events on this theme (1 to 10)."
    )
    kind: EventKind | None = strawberry.field(default=None, description="Only this kind.")
    format: EventFormat | None = strawberry.field(default=None, description="Only this format.")
    organiser_partner_slug: str | None = strawberry.field(
        default=None, description="Only events this partner organises."
    )
    working_group_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Only events this WorkingGroup organises."
    )
    starts_from: dt.datetime | None = strawberry.field(
        default=None,
        name="from",
        description="Only events starting at or after this time (no offset: Japan time).",
    )
    until: dt.datetime | None = strawberry.field(
        default=None, description="Only events starting before this time (no offset: Japan time)."
    )
    upcoming_only: bool = strawberry.field(
        default=False, description="Only events that have not ended yet."
    )
