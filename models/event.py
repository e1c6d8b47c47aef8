"""Events of an alliance (seminars, workshops, meetings…) and the registrations of municipalities.

Times are stored as Japan time (the alliance's clock). A municipality has at most one live
(CONFIRMED or WAITLISTED) registration per event: a partial unique index, created with the
schema in `database.connection`, enforces it; cancelled registrations stay as history.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.partner import Audience
from models.theme import Theme


class EventKind(StrEnum):
    SEMINAR = "SEMINAR"
    WORKSHOP = "WORKSHOP"
    WORKING_GROUP_MEETING = "WORKING_GROUP_MEETING"
    MATCHING_EVENT = "MATCHING_EVENT"
    CONFERENCE = "CONFERENCE"


class EventFormat(StrEnum):
    ONSITE = "ONSITE"
    ONLINE = "ONLINE"
    HYBRID = "HYBRID"


class OrganiserKind(StrEnum):
    """Who organises an event; WORKING_GROUP and PARTNER name theirs in the FK of that name."""

    ALLIANCE = "ALLIANCE"
    WORKING_GROUP = "WORKING_GROUP"
    PARTNER = "PARTNER"


class EventStatus(StrEnum):
    SCHEDULED = "SCHEDULED"
    CANCELLED = "CANCELLED"


class EventRegistrationStatus(StrEnum):
    CONFIRMED = "CONFIRMED"
    WAITLISTED = "WAITLISTED"
    CANCELLED = "CANCELLED"


class EventUpdateField(StrEnum):
    """What `updateEvent` changed, as a notification names it."""

    TITLE = "TITLE"
    DESCRIPTION = "DESCRIPTION"
    KIND = "KIND"
    FORMAT = "FORMAT"
    AUDIENCE = "AUDIENCE"
    STARTS_AT = "STARTS_AT"
    ENDS_AT = "ENDS_AT"
    REGISTRATION_CLOSES_AT = "REGISTRATION_CLOSES_AT"
    VENUE = "VENUE"
    CAPACITY = "CAPACITY"
    MEETING_URL = "MEETING_URL"
    THEMES = "THEMES"


class Event(Model):
    id = fields.IntField(primary_key=True)
    alliance: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Alliance", related_name="events", on_delete=fields.RESTRICT
    )
    alliance_id: int
    title = fields.CharField(max_length=200)
    description = fields.TextField()
    kind = fields.CharEnumField(EventKind, max_length=24)
    organiser_kind = fields.CharEnumField(OrganiserKind, max_length=16)
    working_group: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.WorkingGroup", related_name="events", null=True, on_delete=fields.RESTRICT
    )
    working_group_id: int | None
    partner: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Partner", related_name="events", null=True, on_delete=fields.RESTRICT
    )
    partner_id: int | None
    themes: fields.ManyToManyRelation[Theme] = fields.ManyToManyField(
        "models.Theme", related_name="events", through="event_theme"
    )
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    registration_closes_at = fields.DatetimeField()
    format = fields.CharEnumField(EventFormat, max_length=16)
    venue = fields.CharField(max_length=200, null=True)
    capacity = fields.IntField(null=True)
    audience = fields.CharEnumField(Audience, max_length=16)
    status = fields.CharEnumField(EventStatus, max_length=16, default=EventStatus.SCHEDULED)
    meeting_url = fields.CharField(max_length=500, null=True)
    """Where an ONLINE or HYBRID event is joined; shown only to those taking part."""
    sequence = fields.IntField(default=0)
    """How many times it was changed after it was announced: iCalendar's SEQUENCE."""
    created_at = fields.DatetimeField(auto_now_add=True)
    cancelled_at = fields.DatetimeField(null=True)
    cancellation_reason = fields.TextField(null=True)

    class Meta:
        table = "event"
        ordering = ["starts_at", "id"]
        indexes = (("starts_at", "id"),)


class EventRegistration(Model):
    """A municipality's place (or place in the queue) at an event, the waiting list runs by id."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "models.Event", related_name="registrations", on_delete=fields.RESTRICT
    )
    event_id: int
    municipality: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Municipality", related_name="event_registrations", on_delete=fields.RESTRICT
    )
    municipality_id: int
    registered_by_id = fields.IntField(null=True)
    status = fields.CharEnumField(EventRegistrationStatus, max_length=16)
    registered_at = fields.DatetimeField(auto_now_add=True)
    promoted_at = fields.DatetimeField(null=True)
    cancelled_at = fields.DatetimeField(null=True)
    reminded_at = fields.DatetimeField(null=True)
    """When the reminder of the day before was queued; set once, so it is sent once."""

    class Meta:
        table = "event_registration"
        ordering = ["event_id", "id"]
        indexes = (("event_id", "status"), ("municipality_id", "event_id"))


class CalendarFeed(Model):
    """A user's secret calendar-feed address: a calendar app cannot sign in, so the URL carries a
    token. Only its SHA-256 digest is stored (the URL is shown once); issuing anew replaces it."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.User", related_name="calendar_feed", on_delete=fields.CASCADE, unique=True
    )
    user_id: int
    digest = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "calendar_feed"
