"""Events as iCalendar (RFC 5545), for an `.ics` file or a calendar feed (`resolvers.calendar_feed`).

Each event keeps one UID, and its SEQUENCE counts its changes (`Event.sequence`), so a calendar
replaces its copy rather than adding another; a cancelled event is STATUS:CANCELLED, so that
subscribed calendars drop it. Times are Japan time with a VTIMEZONE for Asia/Tokyo.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import icalendar

from i18n import Text, message
from models import Event, EventStatus
from resolvers.calendar import JAPAN, now

PRODUCT_ID = "-//Tsunagu//Events//JA"


def uid_of(event_id: int) -> str:
    """The event's UID: the same in every file and feed, whatever changes."""
    return f"event-{event_id}@tsunagu"


@dataclass(frozen=True)
class Entry:
    """An event as one reader's calendar shows it: the meeting URL only if they may see it."""

    event: Event
    meeting_url: str | None


def description_of(entry: Entry, language: str) -> str:
    event = entry.event
    parts = [event.description.strip()]
    if entry.meeting_url:
        parts.append(message("events.calendar.meeting_url", url=entry.meeting_url).render(language))
    if event.status is EventStatus.CANCELLED:
        reason = event.cancellation_reason or message("events.calendar.no_reason").render(language)
        parts.append(message("events.calendar.cancelled", reason=reason).render(language))
    return "\n\n".join(part for part in parts if part)


def vevent(entry: Entry, language: str, stamp: dt.datetime) -> icalendar.Event:
    event = entry.event
    item = icalendar.Event()
    item.add("uid", uid_of(event.id))
    item.add("dtstamp", stamp)
    item.add("sequence", event.sequence)
    item.add("summary", event.title)
    item.add("dtstart", event.starts_at.astimezone(JAPAN))
    item.add("dtend", event.ends_at.astimezone(JAPAN))
    item.add("status", "CANCELLED" if event.status is EventStatus.CANCELLED else "CONFIRMED")
    item.add("description", description_of(entry, language))
    location = event.venue or entry.meeting_url
    if location:
        item.add("location", location)
    if entry.meeting_url:
        item.add("url", entry.meeting_url)
    return item


def icalendar_of(entries: Sequence[Entry], language: str, name: Text | None = None) -> bytes:
    """A VCALENDAR of the entries, with the VTIMEZONE their times need."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name is not None:
        calendar.add("x-wr-calname", name.render(language))
        calendar.add("x-wr-timezone", "Asia/Tokyo")
    stamp = now()
    for entry in entries:
        calendar.add_component(vevent(entry, language, stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()
