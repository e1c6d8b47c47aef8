"""The messages the API writes — a refusal, a notification, the audit log — read in the page's
language, Japanese or English, in a real browser. Screenshots in docs/screenshots/
(`refusal-<lang>.png`; `notification-<lang>.png` is made by test_notification_pages.py)."""

import re

import pytest
from playwright.async_api import expect

from tests.browser.conftest import assert_accessible, screenshot, sign_in

CREATE_OFFERING = """mutation($title: String!) { createOffering(input: {partnerSlug: "sompo-holdings", title: $title,
  kind: WORKSHOP, summary: "地域の防災力を高めるワークショップ", audience: FULL_MEMBERS, themeNumbers: [8]}) {
  offering { id } userErrors { field code message } } }"""
REQUEST_OFFERING = """mutation($o: ID!) { requestOffering(input: {offeringId: $o, message: "秋に開催したい"}) {
  offeringRequest { id } userErrors { field code message } } }"""
JAPANESE_REFUSAL = "ワーキンググループへの参加は正会員の特典です。"
ENGLISH_REFUSAL = "Working groups are a benefit of full members."
JOIN = """mutation($g: ID!) { joinWorkingGroup(input: {workingGroupId: $g}) { userErrors { code } } }"""
GROUPS = '{ alliance(slug: "expo2025") { workingGroups { id } } }'
JAPANESE_SENTENCE = re.compile("[ぁ-んァ-ン一-龥]+。")


def join_button_name(language: str) -> re.Pattern[str]:
    return re.compile("に参加する$") if language == "ja" else re.compile("^Join ")


@pytest.mark.parametrize(("language", "said", "unsaid"), [
    ("ja", JAPANESE_REFUSAL, "benefit of full members"),
    ("en", ENGLISH_REFUSAL, "正会員の特典"),
])
async def test_a_refusal_reads_in_the_pages_language_and_is_in_the_audit_log(
    live_server, new_page, language, said, unsaid
):
    page = await new_page()

    await sign_in(page, live_server.tokens["supporting_member"])
    await page.goto(f"/portal/working-groups?lang={language}")
    await expect(page.locator("html")).to_have_attribute("lang", language)
    await expect(page.get_by_role("button", name=join_button_name(language))).to_have_count(0)

    summary = page.get_by_role("note").first
    await expect(summary).to_contain_text(said)
    await expect(summary).not_to_contain_text(unsaid)
    if language == "en":
        await expect(summary).not_to_contain_text(JAPANESE_SENTENCE)
    await assert_accessible(page)
    await screenshot(page, f"refusal-{language}")
    group = (await live_server.api("supporting_member", GROUPS))["alliance"]["workingGroups"][0]["id"]
    refusal = (await live_server.api("supporting_member", JOIN, {"g": group}))["joinWorkingGroup"]
    assert refusal["userErrors"] == [{"code": "NOT_A_FULL_MEMBER"}]

    secretariat = await new_page()
    await sign_in(secretariat, live_server.tokens["admin"])
    await secretariat.goto(f"/admin/audit?action=joinWorkingGroup&outcome=REFUSED&lang={language}")
    await expect(secretariat.get_by_role("heading", level=1)).to_have_text("監査ログ" if language == "ja" else "Audit log")
    action = "ワーキンググループへの参加" if language == "ja" else "Join a working group"
    refused = secretariat.get_by_role("row").filter(has=secretariat.get_by_text(action, exact=True))
    await expect(refused.first).to_contain_text("拒否" if language == "ja" else "Refused")
    await expect(refused.first).to_contain_text("自治体職員" if language == "ja" else "municipality staff")
    await assert_accessible(secretariat)


@pytest.mark.parametrize(("language", "message", "unsaid"), [
    ("ja", "高石市から「{title}」の依頼がありました。", "was requested by"),
    ("en", "Your offering 「{title}」 was requested by Takaishi City.", "の依頼がありました"),
])
async def test_a_partner_reads_a_notification_in_the_pages_language(live_server, new_page, language, message, unsaid):
    title = f"防災ワークショップ（{language}）"
    offering = await live_server.accepted("admin", CREATE_OFFERING, {"title": title})
    await live_server.accepted("challenger", REQUEST_OFFERING, {"o": offering["offering"]["id"]})
    page = await new_page()

    await sign_in(page, live_server.tokens["partner"])
    await page.goto(f"/partner/notifications?lang={language}")
    await expect(page.get_by_role("heading", level=1)).to_have_text("お知らせ" if language == "ja" else "Notifications")
    card = page.locator(".card").filter(has_text=title)
    await expect(card).to_have_count(1)
    await expect(card).to_contain_text(message.format(title=title))
    await expect(card).not_to_contain_text(unsaid)
    await assert_accessible(page)
