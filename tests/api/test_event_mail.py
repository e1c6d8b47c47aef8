"""What registrants are emailed about an event, delivered to a real SMTP server (aiosmtpd): the
confirmation with the event's `.ics`, the reminder a day before (once), and changes."""

from __future__ import annotations

import datetime as dt

import icalendar

from models import Event, EventRegistration, OutboundEmail
from resolvers.event_mail import queue_due_reminders
from resolvers.mail.outbox import now
from resolvers.mail.sender import send_all_due
from tests.api.test_email import PREFERENCES, mail_settings, parts_of, smtp, subject_of  # noqa: F401 (fixtures)
from tests.api.test_event_changes import CANCEL, ZOOM
from tests.api.test_events import NANTO, REGISTER, TAKAISHI, new_event, staff


async def staff_with_address(sign_in, code: str, address: str, language: str | None = None):
    client = await staff(sign_in, code)
    preferences = {"email": address, **({"language": language} if language else {})}
    await client.accepted(PREFERENCES, {"input": preferences})
    return client


def invitation(message) -> icalendar.Event:
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar" and attachment.get_filename().endswith(".ics")
    (event,) = icalendar.Calendar.from_ical(attachment.get_content()).walk("VEVENT")
    return event


async def test_a_confirmed_registrant_is_emailed_the_event_with_its_ics_in_their_language(sign_in, mail_settings, smtp):
    admin = await sign_in("ADMIN")
    event_id = await new_event(admin, capacity=1, meetingUrl=ZOOM)
    japanese = await staff_with_address(sign_in, TAKAISHI, "tanaka@city.takaishi.lg.jp")
    english = await staff_with_address(sign_in, NANTO, "smith@city.nanto.lg.jp", "EN")

    await japanese.accepted(REGISTER, {"id": event_id})
    await english.accepted(REGISTER, {"id": event_id})
    await send_all_due(mail_settings)

    by_address = {message["To"]: message for message in smtp.recorder.received}
    confirmed = by_address["tanaka@city.takaishi.lg.jp"]
    assert subject_of(confirmed) == "【Tsunagu】お申し込みが確定しました：防災DXセミナー"
    text = parts_of(confirmed)["text/plain"]
    assert "「防災DXセミナー」" in text and f"オンライン会議のURL：{ZOOM}" in text
    event = invitation(confirmed)
    assert (str(event["SUMMARY"]), str(event["STATUS"]), event["DTSTART"].dt.hour) == ("防災DXセミナー", "CONFIRMED", 14)
    assert ZOOM in str(event["DESCRIPTION"])
    waiting = by_address["smith@city.nanto.lg.jp"]
    assert subject_of(waiting) == "[Tsunagu] On the waiting list: 防災DXセミナー"
    assert "number 1" in parts_of(waiting)["text/plain"] and ZOOM not in parts_of(waiting)["text/plain"]
    assert list(waiting.iter_attachments()) == []


async def test_a_change_and_a_cancellation_are_emailed_to_the_registrants(sign_in, mail_settings, smtp):
    admin = await sign_in("ADMIN")
    event_id = await new_event(admin)
    member = await staff_with_address(sign_in, TAKAISHI, "tanaka@city.takaishi.lg.jp")
    await member.accepted(REGISTER, {"id": event_id})

    await admin.accepted(CANCEL, {"id": event_id, "reason": "台風の接近のため"})
    await send_all_due(mail_settings)

    subjects = [subject_of(message) for message in smtp.recorder.received]
    assert subjects == ["【Tsunagu】お申し込みが確定しました：防災DXセミナー", "【Tsunagu】イベントの中止"]
    assert "理由：台風の接近のため" in parts_of(smtp.recorder.received[1])["text/plain"]


async def starting_in(event_id: int, hours: int) -> None:
    starts = now() + dt.timedelta(hours=hours)
    await Event.filter(id=event_id).update(starts_at=starts, ends_at=starts + dt.timedelta(hours=2), registration_closes_at=starts)


async def test_the_reminder_a_day_before_is_sent_once_with_the_ics(sign_in, mail_settings, smtp):
    admin = await sign_in("ADMIN")
    soon_id = await new_event(admin, title="明日のセミナー", meetingUrl=ZOOM)
    later_id = await new_event(admin, title="来月のセミナー")
    member = await staff_with_address(sign_in, TAKAISHI, "tanaka@city.takaishi.lg.jp")
    for event_id in (soon_id, later_id):
        await member.accepted(REGISTER, {"id": event_id})
    await send_all_due(mail_settings)
    smtp.recorder.received.clear()
    (soon_row,) = await Event.filter(title="明日のセミナー")
    await starting_in(soon_row.id, hours=20)

    assert await queue_due_reminders() == 1
    assert await queue_due_reminders() == 0, "a reminder is queued once"
    await send_all_due(mail_settings)

    (reminder,) = smtp.recorder.received
    assert subject_of(reminder) == "【Tsunagu】明日開催：明日のセミナー"
    assert f"オンライン会議のURL：{ZOOM}" in parts_of(reminder)["text/plain"]
    assert str(invitation(reminder)["SUMMARY"]) == "明日のセミナー"
    assert await EventRegistration.filter(reminded_at__isnull=False).count() == 1


async def test_no_reminder_for_a_waiting_registration_a_cancelled_event_or_one_registered_the_day_before(sign_in, settings):
    admin = await sign_in("ADMIN")
    full_id = await new_event(admin, title="満席のセミナー", capacity=1)
    cancelled_id = await new_event(admin, title="中止のセミナー")
    await (await staff(sign_in, NANTO)).accepted(REGISTER, {"id": full_id})
    member = await staff_with_address(sign_in, TAKAISHI, "tanaka@city.takaishi.lg.jp")
    for event_id in (full_id, cancelled_id):
        await member.accepted(REGISTER, {"id": event_id})
    await admin.accepted(CANCEL, {"id": cancelled_id, "reason": "中止"})
    for title in ("満席のセミナー", "中止のセミナー"):
        await starting_in((await Event.get(title=title)).id, hours=20)
    starts = now() + dt.timedelta(hours=20)
    tomorrow = await new_event(
        admin, title="直前のセミナー", startsAt=starts.isoformat(), endsAt=(starts + dt.timedelta(hours=2)).isoformat()
    )
    await member.accepted(REGISTER, {"id": tomorrow})
    queued_before = await OutboundEmail.all().count()

    assert await queue_due_reminders() == 1, "only Nanto's confirmed place, whose staff has no address, is due"
    assert await OutboundEmail.all().count() == queued_before, "nobody with an address is reminded"
