"""The secretariat confirms a suspension with a reason and finds it in the audit log by its
filters, in Japanese and in English, and reads the log on a phone. Screenshots in
docs/screenshots/ (`confirm-suspension-ja.png`, `audit-log-<lang>.png`, `audit-log-390-ja.png`)."""

import pytest
from playwright.async_api import expect

from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.browser.test_languages_on_a_phone import PHONE, fits_the_screen

MEMBER = """query($search: String!) { alliance(slug: "expo2025") {
  members(first: 1, filter: {search: $search, status: ACTIVE}) { nodes { id } } } }"""
WORDS = {
    "ja": {"suspend": "停止する", "submit": "停止する", "reason": "理由", "filter": "絞り込む",
           "target": "対象（名称）", "action": "操作", "action_name": "会員資格の停止", "change": "状態：活動中 → 停止中",
           "what": "{town}の会員資格を停止します。"},
    "en": {"suspend": "Suspend", "submit": "Suspend", "reason": "Reason", "filter": "Filter",
           "target": "Target (name)", "action": "Action", "action_name": "Suspend a membership",
           "change": "Status: Active → Suspended", "what": "{town}'s membership will be suspended."},
}


@pytest.mark.parametrize(("language", "search", "town", "reason"), [
    ("ja", "小樽", "小樽市", "会費の長期未納のため（理事会決定）"),
    ("en", "室蘭", "Muroran City", "Dues unpaid for two years (board decision)"),
])
async def test_a_suspension_confirmed_with_a_reason_is_found_in_the_audit_log(
    live_server, new_page, language, search, town, reason
):
    words = WORDS[language]
    member = (await live_server.api("admin", MEMBER, {"search": search}))["alliance"]["members"]["nodes"][0]
    page = await new_page()
    await sign_in(page, live_server.tokens["admin"])

    await page.goto(f"/admin/members/{member['id']}?lang={language}")
    await page.get_by_role("button", name=words["suspend"], exact=True).click()
    await expect(page.locator(".consequence")).to_contain_text(words["what"].format(town=town))
    await assert_accessible(page)
    if language == "ja":
        await screenshot(page, "confirm-suspension-ja")
    await page.get_by_label(words["reason"]).fill(reason)
    await page.get_by_role("button", name=words["submit"], exact=True).click()
    await expect(page).to_have_url(f"{live_server.url}/admin/members/{member['id']}?done=membership_suspend")

    await page.goto(f"/admin/audit?lang={language}")
    await page.get_by_label(words["target"]).fill(search)
    await page.get_by_label(words["action"], exact=True).select_option(label=words["action_name"])
    await page.get_by_role("button", name=words["filter"]).click()
    rows = page.locator("table.audit tbody tr")
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text(words["action_name"])
    await expect(rows.first).to_contain_text(words["change"])
    await expect(rows.first).to_contain_text(reason)
    await expect(rows.first.get_by_role("link", name=town)).to_have_attribute("href", f"/admin/members/{member['id']}")
    await assert_accessible(page)
    await screenshot(page, f"audit-log-{language}")

    await page.set_viewport_size(PHONE)
    await fits_the_screen(page)
    if language == "ja":
        await page.locator("table.audit caption").scroll_into_view_if_needed()
        await screenshot(page, "audit-log-390-ja")
