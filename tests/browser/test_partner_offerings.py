"""A partner adds and edits an offering, a member requests it naming a contact, and the partner,
having accepted, sees who asked: in Japanese and in English, in a real browser, and the partner's
offerings on a 390 px phone. Screenshots in docs/screenshots/ (`partner-offerings-<lang>.png`,
`partner-request-contact-ja.png`, `partner-offerings-390-ja.png`)."""

import pytest
from playwright.async_api import expect

from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.browser.test_languages_on_a_phone import PHONE, fits_the_screen

CREATE_OFFERING = """mutation { createOffering(input: {partnerSlug: "sompo-holdings", title: "避難所運営ワークショップ",
  kind: WORKSHOP, summary: "避難所の運営を体験します。", audience: ALL_MEMBERS, themeNumbers: [8], capacity: 20,
  confirmDuplicate: true}) { offering { id } userErrors { field code message } } }"""
ADD_CONTACT = """mutation($name: String!) { addContact(input: {role: MAIN, name: $name, department: "企画課",
  email: "kikaku@example.jp", phone: "072-265-1001"}) { contact { id } userErrors { field code message } } }"""
WORDS = {
    "ja": {
        "title": "防災ドローン体験会", "edited": "防災ドローン体験会（秋）", "contact": "高石 陽子",
        "saved": "提供メニューを更新しました。", "request": "利用を依頼する", "send": "回答を送る",
        "status": "受付中", "accepted": "承諾", "heading": "提供メニューの管理",
    },
    "en": {
        "title": "Drone disaster drill", "edited": "Drone disaster drill (autumn)", "contact": "Yoko Takaishi",
        "saved": "The offering was saved.", "request": "Request this offering", "send": "Send the answer",
        "status": "Open", "accepted": "Accepted", "heading": "Manage offerings",
    },
}


async def add_and_edit_an_offering(page, language: str) -> None:
    words = WORDS[language]
    await page.goto(f"/partner/offerings?lang={language}")
    await expect(page.get_by_role("heading", level=1)).to_have_text(words["heading"])
    await page.locator("#f-title").fill(words["title"])
    await page.locator("#f-kind").select_option("WORKSHOP")
    await page.locator("#f-summary").fill("ドローンを使った災害時の情報収集を体験します。")
    await page.locator("#f-audience").select_option("ALL_MEMBERS")
    await page.locator("#f-themeNumbers-8").check()
    await page.locator("#f-capacity").fill("10")
    await page.locator("form.card button[type=submit]").click()
    await expect(page.locator("h1")).to_have_text(words["title"])

    await page.locator("#f-title").fill(words["edited"])
    await page.locator("form.card button[type=submit]").last.click()
    await expect(page.get_by_text(words["saved"])).to_be_visible()
    await expect(page.locator("h1")).to_have_text(words["edited"])


async def request_it_naming_a_contact(page, live_server, language: str) -> None:
    words = WORDS[language]
    await live_server.accepted("challenger", ADD_CONTACT, {"name": words["contact"]})
    await sign_in(page, live_server.tokens["challenger"])
    await page.goto(f"/portal/offerings?lang={language}&search={words['edited']}")
    card = page.locator(".card").filter(has=page.get_by_role("heading", name=words["edited"]))
    await card.get_by_text(words["request"], exact=True).click()
    await card.locator("select[name=contactId]").select_option(label=f"{words['contact']}{'（主担当）' if language == 'ja' else ' (Main contact)'}")
    await card.locator("button[type=submit]").click()
    await expect(page.get_by_role("table").get_by_role("row").filter(has_text=words["edited"]).first).to_contain_text(words["contact"])


async def accept_and_see_the_contact(page, language: str) -> None:
    words = WORDS[language]
    await page.goto(f"/partner/requests?lang={language}&status=REQUESTED")
    card = page.locator(".card").filter(has=page.get_by_role("heading", name=words["edited"]))
    await expect(card).not_to_contain_text(words["contact"])
    await card.get_by_role("button", name=words["send"]).click()
    await page.goto(f"/partner/offerings?lang={language}")
    await page.get_by_role("link", name=words["edited"]).click()
    request = page.locator(".card").filter(has_text=words["contact"])
    await expect(request).to_contain_text(words["accepted"])
    await expect(request.get_by_role("link", name="kikaku@example.jp")).to_be_visible()


@pytest.mark.parametrize("language", ["ja", "en"])
async def test_a_partner_adds_an_offering_a_member_requests_it_and_the_partner_sees_the_contact(
    live_server, new_page, language
):
    partner = await new_page()
    await sign_in(partner, live_server.tokens["partner"])
    await add_and_edit_an_offering(partner, language)
    await assert_accessible(partner)
    await screenshot(partner, f"partner-offerings-{language}")

    member = await new_page()
    await request_it_naming_a_contact(member, live_server, language)
    await assert_accessible(member)

    await accept_and_see_the_contact(partner, language)
    await assert_accessible(partner)
    if language == "ja":
        await screenshot(partner, "partner-request-contact-ja")
    await partner.goto(f"/partner/offerings?lang={language}")
    await expect(partner.locator(".card").filter(has_text=WORDS[language]["edited"])).to_contain_text(WORDS[language]["status"])


async def test_the_partners_offerings_fit_a_phone(live_server, new_page):
    await live_server.accepted("admin", CREATE_OFFERING)
    page = await new_page()
    await page.set_viewport_size(PHONE)
    await sign_in(page, live_server.tokens["partner"])

    await page.goto("/partner/offerings?lang=ja")
    await fits_the_screen(page)
    await page.get_by_role("link", name="避難所運営ワークショップ").first.click()
    await fits_the_screen(page)
    await assert_accessible(page)
    await page.goto("/partner/offerings?lang=ja")
    await screenshot(page, "partner-offerings-390-ja")


@pytest.mark.parametrize(("language", "reason", "withdrawn"), [
    ("ja", "講師の都合により開催できなくなったため", "取り下げ済み"),
    ("en", "The speaker can no longer come", "Withdrawn"),
])
async def test_the_secretariat_edits_a_partner_and_withdraws_an_offering_after_confirming(
    live_server, new_page, language, reason, withdrawn
):
    title = f"出前講座（{language}）"
    created = await live_server.accepted("admin", CREATE_OFFERING.replace("避難所運営ワークショップ", title))
    page = await new_page()
    await sign_in(page, live_server.tokens["admin"])

    await page.goto(f"/admin/partners/sompo-holdings/edit?lang={language}")
    await expect(page.locator("#f-name")).to_have_value("SOMPOホールディングス株式会社")
    await assert_accessible(page)
    await screenshot(page, f"admin-partner-edit-{language}")

    await page.goto(f"/admin/offerings/{created['offering']['id']}?lang={language}")
    await page.get_by_role("button", name="取り下げる…" if language == "ja" else "Withdraw…").click()
    await page.locator("#f-reason").fill(reason)
    await assert_accessible(page)
    await screenshot(page, f"offering-withdraw-{language}")
    await page.get_by_role("button", name="取り下げを確定する" if language == "ja" else "Withdraw it").click()
    await expect(page.locator("p.meta")).to_contain_text(withdrawn)
