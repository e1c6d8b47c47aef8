"""Email in the portals, in a browser: the secretariat reads the outbox and sends a failed email
again (Japanese and English, and on a 390 px phone), and a member chooses how notifications
reach them by email on the preferences page. Screenshots `admin-outbox-{ja,en}.png`,
`admin-outbox-390-ja.png` and `preferences-390-ja.png` in docs/screenshots/."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect
from tortoise import Tortoise

from database.connection import open_database
from i18n import Text
from models import OutboundEmail, OutboundEmailStatus
from resolvers.mail.letter import Letter
from resolvers.mail.outbox import enqueue
from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.browser.test_languages_on_a_phone import PHONE, fits_the_screen

REFUSAL = "550 5.1.1 <kikaku@city.nanto.example.lg.jp>: Recipient address rejected: User unknown"


async def a_failed_email(database_url: str) -> None:
    """An email the mail server refused for good, beside one sent, in the live server's outbox."""
    await open_database(database_url)
    try:
        letter = Letter(subject=Text("email.login_link.subject"), paragraphs=("本文",))
        await enqueue("sato@city.takaishi.example.lg.jp", letter, "ja")
        failed = await enqueue("kikaku@city.nanto.example.lg.jp", letter, "ja")
        await OutboundEmail.filter(id=failed.id).update(status=OutboundEmailStatus.FAILED, attempts=1, last_error=REFUSAL)
    finally:
        await Tortoise.close_connections()


@pytest.mark.parametrize(("language", "heading", "failed", "resend", "done"), [
    ("ja", "送信メール", "送信失敗", "再送する", "メールを送信待ちに戻しました。"),
    ("en", "Outbox", "Failed", "Send again", "The email is queued again"),
])
async def test_the_secretariat_reads_the_outbox_and_sends_a_failed_email_again(
    live_server, new_page, language, heading, failed, resend, done
):
    await a_failed_email(live_server.database_url)
    page = await new_page()
    await sign_in(page, live_server.tokens["admin"])

    await page.goto(f"/admin/outbox?lang={language}")
    await expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    await expect(page.locator(".card").first).to_be_visible()
    await assert_accessible(page)
    await screenshot(page, f"admin-outbox-{language}")
    await page.get_by_role("navigation").get_by_role("link", name=failed, exact=True).click()
    card = page.locator(".card", has_text="kikaku@city.nanto.example.lg.jp").first
    await expect(card).to_contain_text(REFUSAL)
    await card.get_by_role("button", name=re.compile(resend)).click()

    await expect(page.get_by_role("status")).to_contain_text(done)


async def test_the_outbox_fits_a_phone(live_server, new_page):
    await a_failed_email(live_server.database_url)
    page = await new_page()
    await page.set_viewport_size(PHONE)
    await sign_in(page, live_server.tokens["admin"])

    await page.goto("/admin/outbox?status=FAILED&lang=ja")

    await expect(page.locator(".card").first).to_contain_text("メールサーバーの応答")
    await fits_the_screen(page)
    await assert_accessible(page)
    await screenshot(page, "admin-outbox-390-ja")


async def test_a_member_chooses_a_daily_digest_on_a_phone(live_server, new_page):
    page = await new_page()
    await page.set_viewport_size(PHONE)
    await sign_in(page, live_server.tokens["full_member"])

    await page.goto("/portal?lang=ja")
    await page.get_by_role("link", name="設定", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("メールの設定")
    await page.get_by_label("メールアドレス").fill("kikaku@City.Nanto.LG.JP")
    await page.get_by_label("1日1回まとめて送信（午前8時）").check()
    await fits_the_screen(page)
    await assert_accessible(page)
    await screenshot(page, "preferences-390-ja")
    await page.get_by_role("button", name="保存する").click()

    await expect(page.get_by_role("status")).to_have_text("設定を保存しました。")
    await expect(page.get_by_label("メールアドレス")).to_have_value("kikaku@city.nanto.lg.jp")
    await expect(page.get_by_label("1日1回まとめて送信（午前8時）")).to_be_checked()
    await fits_the_screen(page)
