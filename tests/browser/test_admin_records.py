"""The secretariat's admin portal in a browser: a member's records, the search box, the
dashboard's charts, and every menu page on a 390 px phone in both languages with nothing wider
than the screen. Screenshots in docs/screenshots/."""

import re

import pytest
from playwright.async_api import expect

from portals.admin import NAV
from tests.browser.conftest import assert_accessible, in_a_month, screenshot, sign_in

PHONE = {"width": 390, "height": 844}
MEMBERSHIP = """{ municipality(code: "272256") { memberships { id alliance { slug } } } }"""
ADD_CONTACT = """mutation { addContact(input: {municipalityCode: "272256", role: MAIN, name: "高石 花子",
  department: "企画部 企画課", email: "hanako.takaishi@example.jp", phone: "072-265-1001"}) {
  contact { id } userErrors { code } } }"""
BILL = """mutation($id: ID!) { billDues(input: {membershipId: $id, fiscalYear: 2026, amount: 120000}) {
  dues { id } userErrors { code } } }"""
CREATE_EVENT = """mutation($starts: DateTime!, $ends: DateTime!) { createEvent(input: {allianceSlug: "expo2025",
  title: "総会", description: "d", kind: SEMINAR, format: HYBRID, venue: "大阪府庁 本館", audience: ALL_MEMBERS,
  startsAt: $starts, endsAt: $ends, themeNumbers: [1]}) { event { id } userErrors { code } } }"""
REGISTER = """mutation($event: ID!) { registerForEvent(input: {eventId: $event}) { userErrors { code } } }"""
OVERFLOW = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
WIDER_THAN_THE_SCREEN = """() => [...document.querySelectorAll("body *")]
  .filter(e => e.getBoundingClientRect().right > innerWidth + 1 && !e.closest(".tile-map-frame"))
  .slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""


async def takaishi_membership(live_server) -> str:
    data = await live_server.api("admin", MEMBERSHIP)
    return next(m["id"] for m in data["municipality"]["memberships"] if m["alliance"]["slug"] == "expo2025")


async def no_sideways_scrolling(page) -> None:
    assert await page.evaluate(OVERFLOW), f"{page.url} scrolls sideways: {await page.evaluate(WIDER_THAN_THE_SCREEN)}"


RECORDS = {
    "ja": {"contacts": "担当者", "dues": "負担金", "era": "2026年度（令和8年度）", "add": "担当者を登録する",
           "name": "氏名", "submit": "登録する", "done": "担当者を登録しました。"},
    "en": {"contacts": "Contacts", "dues": "Dues", "era": "FY2026", "add": "Add a contact",
           "name": "Name", "submit": "Add", "done": "Contact added."},
}


async def test_the_secretariat_reads_and_adds_a_members_records_in_both_languages(live_server, new_page):
    membership = await takaishi_membership(live_server)
    await live_server.accepted("admin", BILL, {"id": membership})
    await live_server.accepted("admin", ADD_CONTACT)
    page = await new_page()
    await sign_in(page, live_server.tokens["admin"])

    for language, words in RECORDS.items():
        await page.goto(f"/admin/members/{membership}?lang={language}")

        contacts = page.get_by_role("region", name=words["contacts"], exact=True)
        await expect(contacts.get_by_role("table")).to_contain_text("高石 花子")
        await expect(page.get_by_role("region", name=words["dues"], exact=True)).to_contain_text(words["era"])
        await page.get_by_text(words["add"]).click()
        await page.get_by_label(words["name"], exact=False).first.fill(f"Deputy {language}")
        await page.locator("#f-role").select_option("DEPUTY")
        await assert_accessible(page)
        await page.get_by_role("button", name=words["submit"], exact=True).click()
        await expect(page.get_by_role("status")).to_have_text(words["done"])
        await expect(contacts.get_by_role("table")).to_contain_text(f"Deputy {language}")
        await contacts.scroll_into_view_if_needed()
        await screenshot(page, f"admin-member-records-{language}")


async def test_the_search_box_finds_every_kind_and_marks_the_terms(live_server, new_page):
    page = await new_page()
    await sign_in(page, live_server.tokens["admin"])

    await page.get_by_role("search", name="ポータル内の検索").get_by_role("searchbox").fill("脱炭素")
    await page.get_by_role("search", name="ポータル内の検索").get_by_role("button", name="検索").click()

    await expect(page.get_by_role("heading", level=1)).to_have_text("検索")
    await expect(page.locator("mark").first).to_be_visible()
    kinds = set(await page.locator(".results .meta .tag").all_inner_texts())
    assert len(kinds) >= 2, kinds
    await assert_accessible(page)
    await screenshot(page, "admin-search-ja")


@pytest.mark.parametrize(("language", "heading"), [("ja", "推移と状況"), ("en", "Trends")])
async def test_the_dashboard_charts_are_drawn_with_their_tables(live_server, new_page, language, heading):
    starts, ends = in_a_month()
    event = (await live_server.accepted("admin", CREATE_EVENT, {"starts": starts, "ends": ends}))["event"]
    await live_server.accepted("challenger", REGISTER, {"event": event["id"]})
    page = await new_page()
    await sign_in(page, live_server.tokens["admin"])

    await page.goto(f"/admin?lang={language}")

    charts = page.get_by_role("region", name=heading)
    await expect(charts.get_by_role("img")).to_have_count(3)
    await charts.get_by_text("表で見る" if language == "ja" else "Show as a table").first.click()
    await expect(charts.get_by_role("table").first).to_be_visible()
    await assert_accessible(page)
    await charts.scroll_into_view_if_needed()
    await screenshot(page, f"admin-dashboard-charts-{language}")


@pytest.mark.parametrize("language", ["ja", "en"])
async def test_every_admin_page_fits_a_phone(live_server, new_page, language):
    starts, ends = in_a_month()
    event = (await live_server.accepted("admin", CREATE_EVENT, {"starts": starts, "ends": ends}))["event"]
    await live_server.accepted("challenger", REGISTER, {"event": event["id"]})
    membership = await takaishi_membership(live_server)
    page = await new_page()
    await page.set_viewport_size(PHONE)
    await sign_in(page, live_server.tokens["admin"])
    await page.goto(f"/admin?lang={language}")

    extra = [f"/members/{membership}", "/search?q=%E9%98%B2%E7%81%BD", f"/events/{event['id']}/registrants"]
    for path in [path for path, _ in NAV] + extra:
        await page.goto(f"/admin{path}")
        await no_sideways_scrolling(page)
    await page.goto("/admin")
    title = page.get_by_role("heading", level=1)
    box = await title.bounding_box()
    line = float(re.sub("px", "", await title.evaluate("e => getComputedStyle(e).lineHeight")))
    assert box["height"] < 3 * line, f"the dashboard's title takes {box['height'] / line:.1f} lines"
    sign_out = page.get_by_role("button", name="サインアウト" if language == "ja" else "Sign out")
    assert (await sign_out.bounding_box())["height"] < 2 * line

    await page.goto("/admin/members")
    await expect(page.locator("td[data-label]").first).to_be_visible()
    await assert_accessible(page)
    await page.locator("tbody tr").first.scroll_into_view_if_needed()
    await screenshot(page, f"admin-roster-390-{language}")
