"""The daily digest: the past day's notifications in one email at 08:00 Japan time, once per user
per day whatever the number of senders, with a one-click unsubscribe link that works without a
sign-in (RFC 8058), as immediate notification emails carry it; its use is in the audit log."""

from __future__ import annotations

import asyncio
import datetime as dt
from urllib.parse import urlsplit

import pytest

from models import NotificationEmail, OutboundEmail, User
from resolvers.calendar import JAPAN, in_japan, now
from resolvers.mail.digest import send_due_digests
from resolvers.mail.sender import send_all_due
from tests.api.test_audit_readable import LOG
from tests.api.test_email import (  # noqa: F401 (fixtures)
    KANKO,
    OFFERING,
    PREFERENCES,
    REQUEST,
    TAKAISHI,
    mail_settings,
    parts_of,
    smtp,
    subject_of,
)

ORIGIN = "http://localhost:8000"
DEMO_OFFERINGS = ("kanko-yoho-demo-accounts", "kanko-yoho-training")


def next_digest_time(minutes_after: int = 5) -> dt.datetime:
    """The first 08:00 Japan time after now, plus a few minutes: the digest that covers now."""
    local = in_japan(now())
    eight = dt.datetime.combine(local.date(), dt.time(8, 0), tzinfo=JAPAN)
    if local >= eight:
        eight += dt.timedelta(days=1)
    return eight + dt.timedelta(minutes=minutes_after)


async def daily_reader(sign_in, address: str, language: str | None = None):
    partner = await sign_in("PARTNER", partner=KANKO)
    preferences = {"email": address, "notificationEmail": "DAILY"}
    if language:
        preferences["language"] = language
    saved = await partner.accepted(PREFERENCES, {"input": preferences})
    assert saved["notificationEmail"] == "DAILY"
    return partner


async def request_offerings(sign_in, count: int) -> None:
    member = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    offerings = {o["slug"]: o["id"] for o in (await member.data(OFFERING))["partner"]["offerings"]}
    slugs = [slug for slug in offerings if slug.startswith("kanko-yoho")][:count]
    assert len(slugs) == count
    for slug in slugs:
        await member.accepted(REQUEST, {"id": offerings[slug]})


async def test_a_daily_reader_gets_the_past_days_notifications_in_one_email_at_eight_in_their_language(
    sign_in, mail_settings, smtp
):
    japanese = await daily_reader(sign_in, "hanako@kanko.example.jp")
    await daily_reader(sign_in, "ken@kanko.example.jp", "EN")
    await request_offerings(sign_in, 2)
    assert await OutboundEmail.all().count() == 0, "a daily reader gets no email per notification"

    before_eight = await send_due_digests(ORIGIN, next_digest_time(minutes_after=-1))
    at_eight = await send_due_digests(ORIGIN, next_digest_time())
    later_that_day = await send_due_digests(ORIGIN, next_digest_time(minutes_after=600))
    await send_all_due(mail_settings)

    assert (before_eight, at_eight, later_that_day) == (0, 2, 0)
    received = {message["To"]: message for message in smtp.recorder.received}
    assert sorted(received) == ["hanako@kanko.example.jp", "ken@kanko.example.jp"]
    assert subject_of(received["hanako@kanko.example.jp"]) == "【Tsunagu】本日のお知らせ（2件）"
    assert subject_of(received["ken@kanko.example.jp"]) == "[Tsunagu] Your daily digest (2 notifications)"
    for address, language in (("hanako@kanko.example.jp", "ja"), ("ken@kanko.example.jp", "en")):
        text = parts_of(received[address])["text/plain"]
        notes = await japanese.reading(language).data("{ notifications(first: 10) { nodes { message } } }")
        messages = [node["message"] for node in notes["notifications"]["nodes"]]
        assert len(messages) == 2 and all(message in text for message in messages)
        assert f"{ORIGIN}/partner/notifications" in text
        assert received[address]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert received[address]["List-Unsubscribe"].startswith(f"<{ORIGIN}/unsubscribe/notifications/")


async def test_the_next_day_brings_only_that_days_notifications(sign_in, mail_settings, smtp):
    await daily_reader(sign_in, "hanako@kanko.example.jp")
    await request_offerings(sign_in, 1)

    first = await send_due_digests(ORIGIN, next_digest_time())
    next_day = await send_due_digests(ORIGIN, next_digest_time() + dt.timedelta(days=1))

    assert (first, next_day) == (1, 0), "nothing new the next day: no digest"


async def test_no_digest_is_sent_on_a_day_without_notifications(sign_in):
    await daily_reader(sign_in, "hanako@kanko.example.jp")

    queued = await send_due_digests(ORIGIN, next_digest_time())

    assert queued == 0 and await OutboundEmail.all().count() == 0
    assert (await User.get(email="hanako@kanko.example.jp")).last_digest_on == next_digest_time().date()


async def test_senders_at_once_queue_each_digest_once(sign_in, uneven_statement_latency):
    await daily_reader(sign_in, "hanako@kanko.example.jp")
    await daily_reader(sign_in, "ken@kanko.example.jp")
    await request_offerings(sign_in, 1)

    counts = await asyncio.wait_for(
        asyncio.gather(*(send_due_digests(ORIGIN, next_digest_time()) for _ in range(4))), 30
    )

    assert sum(counts) == 2
    assert sorted(await OutboundEmail.all().values_list("to_address", flat=True)) == [
        "hanako@kanko.example.jp",
        "ken@kanko.example.jp",
    ]


async def unsubscribe_link(sign_in) -> str:
    await daily_reader(sign_in, "hanako@kanko.example.jp")
    await request_offerings(sign_in, 1)
    await send_due_digests(ORIGIN, next_digest_time())
    (row,) = await OutboundEmail.all()
    return urlsplit(row.unsubscribe_url).path


async def test_the_unsubscribe_link_asks_first_then_one_click_post_turns_emails_off(sign_in, client):
    path = await unsubscribe_link(sign_in)

    page = await client.get(path)
    still = (await User.get(email="hanako@kanko.example.jp")).notification_email
    clicked = await client.post(
        path, content=b"List-Unsubscribe=One-Click", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )

    assert page.status_code == 200 and "hanako@kanko.example.jp 宛てのお知らせメール" in page.text
    assert f'action="{path}"' in page.text
    assert still is NotificationEmail.DAILY, "opening the link changes nothing"
    assert clicked.status_code == 200 and "お知らせメールを停止しました" in clicked.text
    assert (await User.get(email="hanako@kanko.example.jp")).notification_email is NotificationEmail.OFF


@pytest.mark.parametrize("tampered", ["1.AAAA", "x.y", "", "99999999.abc"])
async def test_a_link_not_signed_by_tsunagu_changes_nothing(sign_in, client, tampered):
    path = await unsubscribe_link(sign_in)
    user_id = path.rsplit("/", 1)[1].split(".")[0]
    forged = path.rsplit("/", 1)[0] + "/" + (tampered.replace("1.", f"{user_id}.", 1) if tampered else "")

    answer = await client.post(forged, content=b"List-Unsubscribe=One-Click")

    assert answer.status_code == 404
    assert (await User.get(email="hanako@kanko.example.jp")).notification_email is NotificationEmail.DAILY


async def test_the_unsubscribe_page_reads_in_english(sign_in, client):
    path = await unsubscribe_link(sign_in)

    page = await client.get(path + "?lang=en")

    assert "Stop notification emails (immediate and daily digest) to hanako@kanko.example.jp?" in page.text


async def test_an_immediate_notification_carries_the_one_click_link_and_its_use_is_in_the_audit_log(
    sign_in, client, mail_settings, smtp
):
    partner = await sign_in("PARTNER", partner=KANKO)
    await partner.accepted(PREFERENCES, {"input": {"email": "hanako@kanko.example.jp", "notificationEmail": "IMMEDIATE"}})
    await request_offerings(sign_in, 1)
    await send_all_due(mail_settings)

    (received,) = smtp.recorder.received
    link = received["List-Unsubscribe"].strip("<>")
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link.startswith(f"{ORIGIN}/unsubscribe/notifications/") and link in parts_of(received)["text/plain"]
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    clicked = await client.post(link.removeprefix(ORIGIN), content=b"List-Unsubscribe=One-Click", headers=form)
    again = await client.post(link.removeprefix(ORIGIN), content=b"List-Unsubscribe=One-Click", headers=form)

    assert clicked.status_code == again.status_code == 200
    assert (await User.get(email="hanako@kanko.example.jp")).notification_email is NotificationEmail.OFF
    admin = await sign_in("ADMIN")
    action = {"filter": {"action": "unsubscribeNotifications"}}
    (ja,) = (await admin.data(LOG, action))["auditLog"]["nodes"]
    (en,) = (await admin.reading("en").data(LOG, action))["auditLog"]["nodes"]
    assert (ja["actionName"], en["actionName"]) == (
        "お知らせメールの停止（メールのリンクから）", "Stop notification emails (from the link in an email)"
    )
    assert ja["actorName"] == "Partner test user" and ja["outcome"] == "ACCEPTED"
    assert ja["fieldChanges"] == [{"field": "notification_email", "label": "お知らせメール", "before": "その都度送信", "after": "送信しない"}]
    assert en["fieldChanges"][0]["after"] == "Never"
