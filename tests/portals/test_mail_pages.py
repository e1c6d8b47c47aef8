"""Email in the portals: the secretariat's outbox page (by status, paged, failed ones sent again),
users' addresses on the accounts page, and each person's own email preferences in every portal."""

from __future__ import annotations

import html
import re

import pytest

from i18n import Text
from models import NotificationEmail, OutboundEmail, OutboundEmailStatus, User
from resolvers.mail.letter import Letter
from resolvers.mail.outbox import enqueue

LETTER = Letter(subject=Text("email.login_link.subject"), paragraphs=("本文",))
ROW_EMAIL_FORM = re.compile(r'action="/admin/accounts/([^"]+)/email"')


async def outbox_of(count: int, failed: int = 0) -> list[OutboundEmail]:
    rows = [await enqueue(f"user{number}@example.jp", LETTER, "ja") for number in range(count)]
    for row in rows[:failed]:
        await OutboundEmail.filter(id=row.id).update(
            status=OutboundEmailStatus.FAILED, attempts=1, last_error="550 5.1.1 <user@example.jp>: No such mailbox"
        )
    return rows


async def test_the_outbox_lists_emails_by_status_with_the_servers_answer(signed_in):
    await outbox_of(3, failed=1)
    admin = await signed_in("ADMIN")

    everything = await admin.get("/admin/outbox")
    failed = await admin.get("/admin/outbox?status=FAILED")
    queued = await admin.get("/admin/outbox?status=QUEUED&lang=en")

    assert everything.status_code == 200 and '<a href="/admin/outbox" aria-current="page">送信メール</a>' in everything.text
    assert "3件" in everything.text and everything.text.count('class="card"') == 3
    assert failed.text.count('class="card"') == 1
    assert "送信失敗" in failed.text and html.escape("550 5.1.1 <user@example.jp>: No such mailbox") in failed.text
    assert "再送する" in failed.text
    assert queued.text.count('class="card"') == 2 and "Queued" in queued.text and "Send again" not in queued.text


async def test_the_outbox_pages_through_many_emails(signed_in):
    await outbox_of(25)
    admin = await signed_in("ADMIN")

    first = await admin.get("/admin/outbox")
    following = re.search(r'href="(/admin/outbox\?after=[^"]+)" rel="next"', first.text).group(1)
    second = await admin.get(html.unescape(following))

    assert first.text.count('class="card"') == 20 and second.text.count('class="card"') == 5
    assert 'rel="prev"' in second.text


async def test_the_secretariat_sends_a_failed_email_again(signed_in):
    (row,) = await outbox_of(1, failed=1)
    admin = await signed_in("ADMIN")
    page = await admin.get("/admin/outbox?status=FAILED")
    action = re.search(r'action="(/admin/outbox/[^"]+/resend)"', page.text).group(1)

    resent = await admin.post(action)
    again = await admin.post(action)

    assert resent.status_code == 303 and resent.headers["location"] == "/admin/outbox?status=FAILED&done=email_resent"
    assert (await OutboundEmail.get(id=row.id)).status is OutboundEmailStatus.QUEUED
    assert again.status_code == 422 and "再送できるのは送信に失敗したメールだけです。" in again.text


async def test_the_secretariat_sets_and_removes_a_users_address_on_the_accounts_page(signed_in):
    staff = await signed_in("MUNICIPALITY", municipality_code="272256")
    assert staff
    admin = await signed_in("ADMIN")
    page = await admin.get("/admin/accounts")
    token_id = next(
        token for token in ROW_EMAIL_FORM.findall(page.text)
        if "Municipality portal user" in page.text.split(f'action="/admin/accounts/{token}/email"')[0].rsplit("<tr>", 1)[-1]
    )

    saved = await admin.post(f"/admin/accounts/{token_id}/email", {"email": "Taro@City.Takaishi.LG.JP"})
    shown = await admin.get("/admin/accounts")
    refused = await admin.post(f"/admin/accounts/{token_id}/email", {"email": "taro@x.jp\r\nBcc: evil@attacker.example"})
    removed = await admin.post(f"/admin/accounts/{token_id}/email", {"email": ""})

    assert saved.status_code == 303 and saved.headers["location"] == "/admin/accounts?done=email_saved"
    assert "Taro@city.takaishi.lg.jp" in shown.text
    assert refused.status_code == 422 and "メールアドレスの形式が正しくありません" in refused.text
    assert removed.status_code == 303
    assert (await User.get(name="Municipality portal user")).email is None


@pytest.mark.parametrize(("role", "organisation", "prefix"), [
    ("MUNICIPALITY", {"municipality_code": "272256"}, "/portal"),
    ("PARTNER", {"partner_slug": "kanko-yoho-platform"}, "/partner"),
    ("ADMIN", {}, "/admin"),
])
async def test_each_person_sets_their_own_address_and_email_preference(signed_in, role, organisation, prefix):
    person = await signed_in(role, **organisation)

    blank = await person.get(f"{prefix}/preferences")
    saved = await person.post(f"{prefix}/preferences", {"email": "aoi@Example.JP", "notificationEmail": "DAILY"})
    shown = await person.get(f"{prefix}/preferences?lang=en")
    refused = await person.post(f"{prefix}/preferences", {"email": "aoi@example.jp\nBcc: x@evil.example", "notificationEmail": "OFF"})

    assert blank.status_code == 200 and f'href="{prefix}/preferences" aria-current="page">設定</a>' in blank.text
    assert 'value="IMMEDIATE" checked' in blank.text
    assert saved.status_code == 303 and saved.headers["location"] == f"{prefix}/preferences?done=preferences_saved"
    assert 'value="aoi@example.jp"' in shown.text and 'value="DAILY" checked' in shown.text
    assert "Once a day, at 08:00 (Japan time)" in shown.text
    assert refused.status_code == 422 and 'aria-invalid="true"' in refused.text
    user = await User.get(email="aoi@example.jp")
    assert user.notification_email is NotificationEmail.DAILY, "a refused form changes nothing"
