"""What registrants are emailed about an event: the confirmation of a registration (with the
event's `.ics`), and a reminder a day before it starts.

Both go to the staff member who registered, at the address on their account and in their
language. A reminder is queued once: `queue_due_reminders` claims each due registration with a
conditional UPDATE of its `reminded_at`, which only one worker can win, in the transaction that
enqueues the message. The mail sender (`tsunagu send-mail`) queues them before each round, so
they are queued exactly once however many senders run. A registration made less than a day before the start is marked reminded at once: its
confirmation is the reminder. Moving an event's start clears the marks (`update_event`).
"""

from __future__ import annotations

import datetime as dt

from tortoise.transactions import in_transaction

from i18n import LANGUAGES, Named, Text, message
from i18n.dates import format_period
from models import Event, EventRegistration, EventRegistrationStatus, EventStatus, StoredFile, User
from resolvers.db.rows import column
from resolvers.event_calendar import Entry, icalendar_of
from resolvers.mail.letter import Letter
from resolvers.mail.outbox import enqueue, now, store_file

REMINDER_LEAD = dt.timedelta(days=1)
ICS_TYPE = "text/calendar; charset=utf-8"


def period_of(event: Event) -> Named:
    """When the event is held, as each language writes it (Japan time)."""
    ja, en = (format_period(event.starts_at, event.ends_at, language) for language in LANGUAGES)
    return Named(ja, en)


def where(event: Event) -> Text:
    if event.venue:
        return message("events.email.venue", venue=event.venue)
    return message("events.email.online")


async def attach_invitation(event: Event, language: str, meeting_url: str | None) -> list[StoredFile]:
    content = icalendar_of([Entry(event, meeting_url)], language)
    return [await store_file(f"event-{event.id}.ics", ICS_TYPE, content)]


def letter_about(event: Event, user: User, subject: Text, opening: Text, meeting_url: str | None) -> Letter:
    paragraphs: list[Text] = [message("events.email.greeting", name=user.name), opening, where(event)]
    if meeting_url:
        paragraphs.append(message("events.email.meeting_url", url=meeting_url))
    paragraphs.append(message("events.email.calendar"))
    return Letter(subject=subject, paragraphs=tuple(paragraphs))


async def mail_registration(registration: EventRegistration, event: Event, position: int | None) -> bool:
    """The registrant's confirmation: with the `.ics` when the place is confirmed, else their
    place in the queue. False when the registrant has no address."""
    user = await User.get_or_none(id=registration.registered_by_id) if registration.registered_by_id else None
    if user is None or user.email is None:
        return False
    language = user.language
    if registration.status is EventRegistrationStatus.WAITLISTED:
        letter = Letter(
            subject=message("events.email.waitlisted_subject", event=event.title),
            paragraphs=(
                message("events.email.greeting", name=user.name),
                message("events.email.waitlisted", event=event.title, when=period_of(event), position=position),
            ),
        )
        await enqueue(user.email, letter, language)
        return True
    letter = letter_about(
        event,
        user,
        message("events.email.confirmed_subject", event=event.title),
        message("events.email.confirmed", event=event.title, when=period_of(event)),
        event.meeting_url,
    )
    files = await attach_invitation(event, language or "ja", event.meeting_url)
    await enqueue(user.email, letter, language, attachments=files)
    return True


def due_for_reminder(moment: dt.datetime):
    return EventRegistration.filter(
        status=EventRegistrationStatus.CONFIRMED,
        reminded_at=None,
        event__status=EventStatus.SCHEDULED,
        event__starts_at__gt=moment,
        event__starts_at__lte=moment + REMINDER_LEAD,
    ).order_by("id")


async def queue_due_reminders() -> int:
    """Remind every confirmed registration whose event starts within a day and that has not been
    reminded; returns how many were (the registrant is emailed if they have an address)."""
    moment = now()  # in the ORM's zone, as events' times are stored: SQLite compares them as text
    reminded = 0
    for registration_id in await column(due_for_reminder(moment), "id"):
        async with in_transaction():
            if not await EventRegistration.filter(id=registration_id, reminded_at=None).update(reminded_at=moment):
                continue  # another worker claimed it
            await mail_reminder(await EventRegistration.get(id=registration_id))
            reminded += 1
    return reminded


async def mail_reminder(registration: EventRegistration) -> None:
    user = await User.get_or_none(id=registration.registered_by_id) if registration.registered_by_id else None
    if user is None or user.email is None:
        return
    event = await Event.get(id=registration.event_id)
    letter = letter_about(
        event,
        user,
        message("events.email.reminder_subject", event=event.title),
        message("events.email.reminder", event=event.title, when=period_of(event)),
        event.meeting_url,
    )
    files = await attach_invitation(event, user.language or "ja", event.meeting_url)
    await enqueue(user.email, letter, user.language, attachments=files)
