"""The bulletin from the secretariat's editor to a supporting member's screen, in Japanese and in
English: written in Markdown, previewed, a PDF attached, scheduled, published, then read (and its
file downloaded) on a 390 px phone. Screenshots: admin-bulletin-editor-{ja,en}.png,
member-bulletin-390-{ja,en}.png."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.async_api import expect

from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.browser.test_languages_on_a_phone import PHONE, fits_the_screen

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
BODY = """## 今月のトピック

- 防災ワーキンググループの報告
- 総会の資料を添付しました

<script>document.title = "pwned"</script>

[連合のサイト](https://expo2025-mayors.example.jp/news) · [危険なリンク](javascript:alert(1))
"""
WORDS = {
    "ja": {"new": "会報を作成", "title": "タイトル", "body": "本文", "year": "年", "month": "月", "preview": "プレビュー",
           "save": "下書きを保存", "attach": "添付する", "publish_at": "配信日時",
           "schedule": "この日時に配信を予約", "publish": "今すぐ発行", "scheduled": "配信予約", "published": "発行済み"},
    "en": {"new": "New bulletin", "title": "Title", "body": "Text", "year": "Year", "month": "Month", "preview": "Preview",
           "save": "Save the draft", "attach": "Attach", "publish_at": "Publish at",
           "schedule": "Schedule for this time", "publish": "Publish now", "scheduled": "Scheduled", "published": "Published"},
}


@pytest.mark.parametrize(("language", "month"), [("ja", 1), ("en", 2)])
async def test_the_secretariat_writes_schedules_and_publishes_a_bulletin_that_a_supporting_member_reads(
    live_server, new_page, tmp_path, language, month
):
    words = WORDS[language]
    title = f"会報 2031年{month}月号"
    attachment = tmp_path / "総会資料.pdf"
    attachment.write_bytes(PDF)
    page = await new_page()
    await sign_in(page, live_server.tokens["admin"])

    await page.goto(f"/admin/bulletins?lang={language}")
    await page.get_by_role("link", name=words["new"]).click()
    await page.get_by_label(words["year"]).fill("2031")
    await page.get_by_label(words["month"]).fill(str(month))
    await page.get_by_label(words["title"]).fill(title)
    await page.get_by_label(words["body"]).fill(BODY)
    await page.get_by_role("button", name=words["preview"]).click()
    preview = page.locator("#preview")
    await expect(preview.get_by_role("link", name="連合のサイト")).to_have_attribute("rel", "noopener nofollow")
    await expect(preview).to_contain_text('<script>document.title = "pwned"</script>')
    await expect(preview.locator("a[href^='javascript']")).to_have_count(0)
    await assert_accessible(page)
    await screenshot(page, f"admin-bulletin-editor-{language}")
    await page.get_by_role("button", name=words["save"]).click()
    await page.locator("#f-file").set_input_files(str(attachment))
    await page.get_by_role("button", name=words["attach"]).click()
    await expect(page.get_by_role("link", name="総会資料.pdf")).to_be_visible()
    tomorrow = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1, hours=9)).strftime("%Y-%m-%dT%H:%M")
    await page.get_by_label(words["publish_at"]).fill(tomorrow)
    await page.get_by_role("button", name=words["schedule"]).click()
    await expect(page.locator("p.meta")).to_contain_text(words["scheduled"])
    await assert_accessible(page)
    await page.get_by_role("button", name=words["publish"]).click()
    await expect(page.locator("p.meta")).to_contain_text(words["published"])
    await expect(page.locator("#delivery-status")).to_be_visible()
    assert await page.title() != "pwned"

    reader = await new_page()
    await reader.set_viewport_size(PHONE)
    await sign_in(reader, live_server.tokens["supporting_member"])
    await reader.goto(f"/portal/bulletins?lang={language}")
    await reader.get_by_role("link", name=f"2031-{month:02d} {title}").click()
    await expect(reader.get_by_role("heading", level=1)).to_contain_text(title)
    await expect(reader.get_by_role("link", name="連合のサイト")).to_have_attribute("href", "https://expo2025-mayors.example.jp/news")
    await expect(reader.locator(".bulletin-body")).to_contain_text("防災ワーキンググループの報告")
    async with reader.expect_download() as download:
        await reader.get_by_role("link", name="総会資料.pdf").click()
    saved = tmp_path / "downloaded.pdf"
    await (await download.value).save_as(saved)
    assert saved.read_bytes() == PDF
    assert await reader.title() != "pwned"
    await fits_the_screen(reader)
    await assert_accessible(reader)
    await screenshot(reader, f"member-bulletin-390-{language}")
