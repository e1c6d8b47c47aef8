"""The portals on a 390 px phone in Japanese and in English: each page reads in one language, its
dates as that reader writes them, and nothing is wider than the screen. Screenshots in
docs/screenshots/ (`*-390-ja.png`, `*-390-en.png`)."""

import re

import pytest
from playwright.async_api import expect

from tests.browser.conftest import assert_accessible, in_a_month, screenshot, sign_in

PHONE = {"width": 390, "height": 844}
CREATE_EVENT = """mutation($starts: DateTime!, $ends: DateTime!) { createEvent(input: {allianceSlug: "expo2025",
  title: "防災DX勉強会", description: "避難所運営のデジタル化の事例を共有します", kind: SEMINAR, format: HYBRID,
  venue: "大阪府庁 本館", audience: ALL_MEMBERS, startsAt: $starts, endsAt: $ends, themeNumbers: [8], capacity: 30}) {
  event { id } userErrors { field code message } } }"""
JAPANESE_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日\([月火水木金土日]\) \d{2}:\d{2}")
ENGLISH_DATE = re.compile(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}.\d{2}:\d{2} JST")


WIDER_THAN_THE_SCREEN = """() => [...document.querySelectorAll("body *")]
  .filter(e => e.getBoundingClientRect().right > innerWidth + 1 && !e.closest(".tile-map-frame"))
  .slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""


async def fits_the_screen(page) -> None:
    """Nothing but the scrolling map frame's own contents reaches past the screen's right edge."""
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide: {await page.evaluate(WIDER_THAN_THE_SCREEN)}"


@pytest.mark.parametrize(("language", "date", "heading"), [
    ("ja", JAPANESE_DATE, "イベント"),
    ("en", ENGLISH_DATE, "Events"),
])
async def test_a_member_reads_home_and_events_on_a_phone(live_server, new_page, language, date, heading):
    starts, ends = in_a_month()
    await live_server.accepted("admin", CREATE_EVENT, {"starts": starts, "ends": ends})
    page = await new_page()
    await page.set_viewport_size(PHONE)

    await sign_in(page, live_server.tokens["challenger"])
    await page.goto(f"/portal?lang={language}")
    await expect(page.get_by_role("heading", level=1)).to_contain_text("高石市" if language == "ja" else "Takaishi City")
    await expect(page.locator(".subtitle").first).to_contain_text("大阪府" if language == "ja" else "Osaka")
    await fits_the_screen(page)
    await assert_accessible(page)
    await screenshot(page, f"member-portal-home-390-{language}")

    await page.goto("/portal/events")
    await expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    await expect(page.locator(".card .meta").first).to_contain_text(date)
    await fits_the_screen(page)
    await assert_accessible(page)
    await screenshot(page, f"member-events-390-{language}")


async def test_the_dashboard_in_english_on_a_phone_names_every_prefecture_apart(live_server, new_page):
    page = await new_page()
    await page.set_viewport_size(PHONE)

    await sign_in(page, live_server.tokens["admin"])
    await page.goto("/admin?lang=en")

    await expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Mayoral Alliance for EXPO2025"))
    await fits_the_screen(page)
    labels = await page.locator(".tile-name abbr").all_inner_texts()
    assert len(labels) == 47 and len(set(labels)) == 47
    await expect(page.locator("body")).not_to_contain_text("万博首長連合")
    await assert_accessible(page)
    await screenshot(page, "admin-dashboard-390-en")
    await page.locator(".tile-map-frame").scroll_into_view_if_needed()
    await screenshot(page, "admin-dashboard-map-390-en")
