"""The event as the organiser and the members see it, in a real browser: the secretariat edits and
cancels an event (with a confirmed reason) in Japanese and in English and the registrant reads
what changed; a member on a phone adds an event to a calendar and subscribes to its feed, which is
fetched and parsed back. Screenshots: `admin-event-{ja,en}.png`, `member-event-390-ja.png`."""

import icalendar
import pytest
from playwright.async_api import expect

from tests.browser.conftest import assert_accessible, in_a_month, screenshot, sign_in
from tests.browser.test_languages_on_a_phone import PHONE, fits_the_screen

CREATE_EVENT = """mutation($title: String!, $starts: DateTime!, $ends: DateTime!, $url: String) {
  createEvent(input: {allianceSlug: "expo2025", title: $title, description: "避難所運営のデジタル化の事例を共有します",
  kind: SEMINAR, format: HYBRID, venue: "大阪府庁 本館", audience: ALL_MEMBERS, startsAt: $starts, endsAt: $ends,
  themeNumbers: [8], capacity: 30, meetingUrl: $url}) { event { id } userErrors { field code message } } }"""
REGISTER = "mutation($id: ID!) { registerForEvent(input: {eventId: $id}) { userErrors { code } } }"
MEETING = "https://meet.example.jp/j/2026"
WORDS = {
    "ja": {"save": "変更を保存", "saved": "申込済みの自治体にお知らせしました", "reason": "中止の理由",
           "next": "中止の確認へ進む", "confirm": "中止する", "cancelled": "理由をお知らせしました"},
    "en": {"save": "Save the changes", "saved": "registered municipalities have been told", "reason": "Reason for cancelling",
           "next": "Continue to confirm", "confirm": "Cancel the event", "cancelled": "have been told why"},
}
TOLD = {
    "ja": ("変更箇所：名称", "理由：台風の接近のため"),
    "en": ("has changed (title", "Reason: 台風の接近のため"),
}


async def an_event_with_a_registrant(live_server, title: str) -> str:
    starts, ends = in_a_month()
    created = await live_server.accepted("admin", CREATE_EVENT, {"title": title, "starts": starts, "ends": ends, "url": MEETING})
    event_id = created["event"]["id"]
    await live_server.accepted("challenger", REGISTER, {"id": event_id})
    return event_id


@pytest.mark.parametrize("language", ["ja", "en"])
async def test_the_secretariat_edits_and_cancels_an_event_and_the_registrant_is_told(live_server, new_page, language):
    words = WORDS[language]
    event_id = await an_event_with_a_registrant(live_server, f"防災DX勉強会（{language}）")
    admin = await new_page()
    await sign_in(admin, live_server.tokens["admin"])

    await admin.goto(f"/admin/events/{event_id}?lang={language}")
    await expect(admin.get_by_role("table").first).to_contain_text("高石市" if language == "ja" else "Takaishi")
    await admin.locator("#f-title").fill(f"防災DX勉強会（{language}・第2回）")
    await admin.get_by_role("button", name=words["save"]).click()
    await expect(admin.get_by_role("status").first).to_contain_text(words["saved"])
    await expect(admin.get_by_role("heading", level=1)).to_have_text(f"防災DX勉強会（{language}・第2回）")
    await assert_accessible(admin)
    await screenshot(admin, f"admin-event-{language}")

    await admin.get_by_label(words["reason"]).fill("台風の接近のため")
    await admin.get_by_role("button", name=words["next"]).click()
    await expect(admin.locator("blockquote")).to_have_text("台風の接近のため")
    await assert_accessible(admin)
    await admin.get_by_role("button", name=words["confirm"]).click()
    await expect(admin.get_by_role("status").first).to_contain_text(words["cancelled"])

    member = await new_page()
    await sign_in(member, live_server.tokens["challenger"])
    await member.goto(f"/portal/notifications?lang={language}")
    for said in TOLD[language]:
        await expect(member.locator(".card").filter(has_text=f"防災DX勉強会（{language}・第2回）").filter(has_text=said)).to_have_count(1)


async def test_a_member_on_a_phone_adds_an_event_to_a_calendar_and_subscribes_to_the_feed(live_server, new_page):
    await an_event_with_a_registrant(live_server, "オンライン防災セミナー")
    page = await new_page()
    await page.set_viewport_size(PHONE)
    await sign_in(page, live_server.tokens["challenger"])

    await page.goto("/portal/events?lang=ja")
    card = page.locator(".card").filter(has_text="オンライン防災セミナー")
    await expect(card.get_by_role("link", name=MEETING)).to_have_count(1)
    ics = await page.request.get(await card.get_by_role("link", name="カレンダーに追加（.ics）：「オンライン防災セミナー」").get_attribute("href"))
    (event,) = icalendar.Calendar.from_ical(await ics.body()).walk("VEVENT")
    assert str(event["SUMMARY"]) == "オンライン防災セミナー"

    await page.get_by_role("button", name="カレンダーのURLを発行する").click()
    url = await page.get_by_label("カレンダーのURL").input_value()
    await fits_the_screen(page)
    await assert_accessible(page)
    await screenshot(page, "member-event-390-ja")

    feed = await page.request.get(url.replace("http://localhost:8000", live_server.url))
    titles = [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(await feed.body()).walk("VEVENT")]
    assert "オンライン防災セミナー" in titles


UPDATE_EVENT = """mutation($id: ID!, $venue: String!) { updateEvent(input: {eventId: $id, venue: $venue}) {
  userErrors { field code message } } }"""
EVENT_PAGE = {"ja": ("変更箇所：会場", "申込済み", "イベント一覧へ戻る"), "en": ("venue", "Registered", "Back to all events")}


@pytest.mark.parametrize("language", ["ja", "en"])
async def test_a_registrant_follows_a_notification_to_the_events_own_page_on_a_phone(live_server, new_page, language):
    told, registered, back = EVENT_PAGE[language]
    title = f"避難所DX説明会（{language}）"
    event_id = await an_event_with_a_registrant(live_server, title)
    await live_server.accepted("admin", UPDATE_EVENT, {"id": event_id, "venue": "大阪府咲洲庁舎"})
    page = await new_page()
    await page.set_viewport_size(PHONE)
    await sign_in(page, live_server.tokens["challenger"])

    await page.goto(f"/portal/notifications?lang={language}")
    await page.locator(".card").filter(has_text=title).filter(has_text=told).get_by_role("link").click()

    await expect(page).to_have_url(f"{live_server.url}/portal/events/{event_id}")
    await expect(page.get_by_role("heading", level=1)).to_have_text(title)
    await expect(page.locator("article")).to_contain_text("大阪府咲洲庁舎")
    await expect(page.locator("article")).to_contain_text(registered)
    await expect(page.get_by_role("link", name=MEETING)).to_be_visible()
    await expect(page.get_by_role("link", name=back)).to_be_visible()
    await fits_the_screen(page)
    await assert_accessible(page)
    await screenshot(page, f"member-event-page-390-{language}")
