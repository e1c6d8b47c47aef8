"""The member portal's tier limits and membership application in a real browser, in Japanese and
in English, on a desktop and on a 390 px phone, with screenshots in docs/screenshots/."""

import pytest
from playwright.async_api import expect

from tests.browser.conftest import assert_accessible, in_a_month, screenshot, sign_in

PHONE = {"width": 390, "height": 844}
MEMBERSHIP = """query($code: String!) { municipality(code: $code) { memberships { id status alliance { slug } } } }"""
APPROVE = """mutation($id: ID!) { approveMembership(input: {membershipId: $id}) { userErrors { field code message } } }"""
CREATE_EVENT = """mutation($title: String!, $starts: DateTime!, $ends: DateTime!) { createEvent(input: {
  allianceSlug: "expo2025", title: $title, description: "会場で地域の防災計画を見直します", kind: WORKSHOP,
  format: ONSITE, venue: "大阪府庁 本館", audience: ALL_MEMBERS, startsAt: $starts, endsAt: $ends, themeNumbers: [8]}) {
  event { id } userErrors { field code message } } }"""
TEXT = {
    "ja": {
        "apply": "入会を申し込む", "tier": "正会員", "note": "事務局への連絡事項（任意）", "sent": "入会を申し込みました。",
        "pending": "入会の申込は事務局で確認中です", "approved": "万博首長連合への入会が承認されました（正会員、",
        "workshop_reason": "賛助会員の皆さまにお申し込みいただけるのは、オンラインで参加できるセミナーです。",
        "group_reason": "ワーキンググループへの参加は正会員の特典です。", "register": "申し込む",
    },
    "en": {
        "apply": "Apply to join", "tier": "Full member", "note": "A note for the secretariat (optional)",
        "sent": "Your application has been sent.", "pending": "Your application (Full member, made on",
        "approved": "was approved (Full member, from",
        "workshop_reason": "Supporting members may register for seminars that can be attended online.",
        "group_reason": "Working groups are a benefit of full members.", "register": "Register",
    },
}
NEWCOMERS = {"ja": ("newcomer", "041009", "仙台市"), "en": ("newcomer_en", "141003", "Yokohama City")}

WIDER_THAN_THE_SCREEN = """() => [...document.querySelectorAll("body *")]
  .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
  .slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""
BROKEN_BUTTONS = """() => [...document.querySelectorAll("button, a")].filter(e => e.offsetParent !== null).filter(e => {
  const range = document.createRange(); range.selectNodeContents(e);
  return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1 && e.tagName === "BUTTON";
}).map(e => e.textContent.trim())"""


async def fits_a_phone(page) -> None:
    """No sideways scrolling, and no button's text broken across lines."""
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide: {await page.evaluate(WIDER_THAN_THE_SCREEN)}"
    assert await page.evaluate(BROKEN_BUTTONS) == []


async def on_phone(new_page):
    page = await new_page()
    await page.set_viewport_size(PHONE)
    return page


@pytest.mark.parametrize("language", ["ja", "en"])
async def test_a_non_member_applies_and_hears_of_its_approval(live_server, new_page, language):
    who, code, name = NEWCOMERS[language]
    text = TEXT[language]
    page = await new_page()

    await sign_in(page, live_server.tokens[who])
    await page.goto(f"/portal?lang={language}")
    await page.get_by_role("link", name=text["apply"]).click()
    await page.get_by_label(text["tier"], exact=True).check()
    await page.get_by_label(text["note"]).fill("市長の意向により入会を希望します。")
    await assert_accessible(page)
    await screenshot(page, f"member-apply-{language}")
    await page.get_by_role("button", name=text["apply"]).click()

    await expect(page.get_by_role("status")).to_have_text(text["sent"])
    await expect(page.get_by_role("note")).to_contain_text(text["pending"])
    await expect(page.get_by_role("button", name=text["apply"])).to_have_count(0)

    memberships = (await live_server.api("admin", MEMBERSHIP, {"code": code}))["municipality"]["memberships"]
    (membership,) = [m for m in memberships if m["alliance"]["slug"] == "expo2025"]
    await live_server.accepted("admin", APPROVE, {"id": membership["id"]})

    await page.set_viewport_size(PHONE)
    await page.goto("/portal/notifications")
    notice = page.locator(".card").filter(has_text=text["approved"])
    await expect(notice).to_contain_text(name)
    await fits_a_phone(page)
    await assert_accessible(page)


@pytest.mark.parametrize("language", ["ja", "en"])
async def test_a_supporting_member_sees_why_before_it_tries(live_server, new_page, language):
    text = TEXT[language]
    title = f"防災計画見直しワークショップ（{language}）"
    starts, ends = in_a_month()
    await live_server.accepted("admin", CREATE_EVENT, {"title": title, "starts": starts, "ends": ends})
    page = await on_phone(new_page)

    await sign_in(page, live_server.tokens["supporting_member"])
    await page.goto(f"/portal/working-groups?lang={language}")
    await expect(page.get_by_role("note").first).to_contain_text(text["group_reason"])
    await expect(page.get_by_role("button", name=text["register"])).to_have_count(0)
    await fits_a_phone(page)
    await assert_accessible(page)

    await page.goto("/portal/events")
    card = page.locator(".card").filter(has_text=title)
    await expect(card.get_by_role("note")).to_contain_text(text["workshop_reason"])
    await expect(card.get_by_role("button")).to_have_count(0)
    await fits_a_phone(page)
    await assert_accessible(page)
    await card.scroll_into_view_if_needed()
    await screenshot(page, f"member-tier-limits-{language}")


REQUEST_INTRODUCTION = """mutation($message: String!) { requestIntroduction(input: {peerCode: "272256", message: $message}) {
  introduction { id } userErrors { field code message } } }"""
ADD_CONTACT = """mutation($code: String!, $name: String!) { addContact(input: {municipalityCode: $code, role: MAIN,
  name: $name, department: "企画課", email: "kikaku@example.jp"}) { contact { id } userErrors { field code message } } }"""
INTRODUCTION = {
    # Who asks 高石市 (the challenger) for an introduction through the API, and what each page says.
    "ja": {
        "requester": "supporting_member", "requester_name": "嬬恋村", "requester_code": "104256",
        "contact": "嬬恋 一郎", "message": "メッセージ",
        "ask": "紹介を依頼する", "asked": "紹介を依頼しました。先方の回答をお待ちください。", "awaiting": "回答待ち",
        "accept": "嬬恋村からの紹介の依頼を承諾する", "accepted": "紹介の依頼を承諾しました。",
        "accepted_status": "承諾済み", "their_contact": "嬬恋村の担当者", "see_sent": "送った依頼を見る",
    },
    "en": {
        "requester": "full_member", "requester_name": "Nanto City", "requester_code": "162108",
        "contact": "南砺 次郎", "message": "Message",
        "ask": "Ask for an introduction", "asked": "Your request has been sent. Please wait for their answer.",
        "awaiting": "Awaiting an answer", "accept": "Accept the request from Nanto City",
        "accepted": "You accepted the request.", "accepted_status": "Accepted",
        "their_contact": "Contact at Nanto City", "see_sent": "See the request you sent",
    },
}


@pytest.mark.parametrize("language", ["ja", "en"])
async def test_an_introduction_between_two_peers_on_a_phone(live_server, new_page, language):
    text = INTRODUCTION[language]
    await live_server.accepted("admin", ADD_CONTACT, {"code": text["requester_code"], "name": text["contact"]})
    await live_server.accepted(text["requester"], REQUEST_INTRODUCTION, {"message": "観光DXの取組について伺いたいです。"})
    page = await on_phone(new_page)

    await sign_in(page, live_server.tokens["challenger"])
    await page.goto(f"/portal/peers?lang={language}&themeNumber=8")
    first_peer = page.locator(".card").filter(has=page.locator("details")).first
    await first_peer.locator("summary").click()
    await first_peer.get_by_label(text["message"]).fill("防災DXの取組について情報交換をお願いできますか。")
    await fits_a_phone(page)
    await assert_accessible(page)
    peer_heading = await first_peer.locator("h3").inner_text()
    await first_peer.get_by_role("button", name=text["ask"]).click()
    await expect(page.get_by_role("status")).to_have_text(text["asked"])
    await expect(page.locator(".card").first).to_contain_text(text["awaiting"])

    await page.goto(f"/portal/peers?lang={language}&themeNumber=8")
    asked = page.locator(".card").filter(has=page.get_by_role("heading", name=peer_heading, exact=True))
    await expect(asked).to_contain_text(text["awaiting"])
    await expect(asked.locator("details")).to_have_count(0)
    await fits_a_phone(page)
    await asked.scroll_into_view_if_needed()
    await screenshot(page, f"member-peer-asked-390-{language}")
    await asked.get_by_role("link", name=text["see_sent"]).click()
    await expect(page.locator(".card").filter(has_text=text["awaiting"]).first).to_be_visible()

    await page.goto("/portal/introductions")
    await page.get_by_role("button", name=text["accept"]).click()
    await expect(page.get_by_role("status")).to_have_text(text["accepted"])
    card = page.locator(".card").filter(has_text=text["requester_name"])
    await expect(card).to_contain_text(text["accepted_status"])
    await expect(card).to_contain_text(text["their_contact"])
    await expect(card).to_contain_text(text["contact"])
    await fits_a_phone(page)
    await assert_accessible(page)
    await screenshot(page, f"member-introduction-390-{language}")
