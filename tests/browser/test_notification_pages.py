"""Notifications name whom they concern and open the page about it: a partner reads that Takaishi
requested its offering and selected its proposal and clicks through to each; the member reads
which partner proposed for its challenge and clicks through to the challenge; in Japanese and in
English, in a real browser, and on a 390 px phone. Screenshots in docs/screenshots/
(`notification-<lang>.png`, `notification-<lang>-390.png`: the partner's notifications)."""

import pytest
from playwright.async_api import expect

from tests.api.test_government_pitch import CREATE, PUBLISH, SELECT, SUBMIT, challenge_input
from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.browser.test_languages_on_a_phone import PHONE, fits_the_screen

CREATE_OFFERING = """mutation($title: String!) { createOffering(input: {partnerSlug: "sompo-holdings", title: $title,
  kind: WORKSHOP, summary: "避難訓練の進め方を学びます。", audience: ALL_MEMBERS, themeNumbers: [8],
  confirmDuplicate: true}) { offering { id } userErrors { field code message } } }"""
REQUEST = """mutation($id: ID!) { requestOffering(input: {offeringId: $id}) {
  offeringRequest { id } userErrors { field code message } } }"""
NAMES = {
    "ja": {"municipality": "高石市", "partner": "SOMPOホールディングス株式会社", "heading": "お知らせ"},
    "en": {"municipality": "Takaishi City", "partner": "Sompo Holdings, Inc.", "heading": "Notifications"},
}


# Each test's titles are its own (the browser tests share one database): the round's number.
ROUNDS = {"ja": 1, "en": 2, "ja-member": 3, "en-member": 4, "ja-390": 5, "en-390": 6}


async def a_request_and_a_selected_proposal(live_server, run: str) -> dict[str, str]:
    """Takaishi requests a SOMPO offering, publishes a challenge, gets SOMPO's proposal and selects it."""
    round_ = f"第{ROUNDS[run]}回"
    titles = {
        "offering": f"避難訓練ワークショップ {round_}",
        "challenge": f"高齢者の避難支援 {round_}",
        "proposal": f"見守りセンサーの提案 {round_}",
    }
    offering = (await live_server.accepted("admin", CREATE_OFFERING, {"title": titles["offering"]}))["offering"]["id"]
    await live_server.accepted("challenger", REQUEST, {"id": offering})
    challenge = (await live_server.accepted("challenger", CREATE, {"input": challenge_input(title=titles["challenge"])}))
    challenge_id = challenge["challenge"]["id"]
    await live_server.accepted("challenger", PUBLISH, {"id": challenge_id})
    proposal = await live_server.accepted("partner", SUBMIT, {"id": challenge_id, "title": titles["proposal"]})
    await live_server.accepted("challenger", SELECT, {"id": proposal["proposal"]["id"]})
    return titles | {"offering_id": offering, "challenge_id": challenge_id, "proposal_id": proposal["proposal"]["id"]}


def notice(page, *texts: str):
    """The link of the notification that says all of `texts`."""
    link = page.locator("ul.cards a")
    for text in texts:
        link = link.filter(has_text=text)
    return link


@pytest.mark.parametrize("language", ["ja", "en"])
async def test_a_partner_reads_which_municipality_and_opens_the_request_and_the_proposal(live_server, new_page, language):
    names = NAMES[language]
    made = await a_request_and_a_selected_proposal(live_server, language)
    page = await new_page()
    await sign_in(page, live_server.tokens["partner"])

    await page.goto(f"/partner/notifications?lang={language}")
    await expect(page.get_by_role("heading", level=1)).to_have_text(names["heading"])
    await expect(notice(page, names["municipality"], made["offering"])).to_have_count(1)
    await expect(notice(page, names["municipality"], made["proposal"])).to_have_count(1)
    await assert_accessible(page)
    await screenshot(page, f"notification-{language}")

    await notice(page, names["municipality"], made["offering"]).click()
    await expect(page).to_have_url(f"{live_server.url}/partner/offerings/{made['offering_id']}")
    await expect(page.locator("h1")).to_have_text(made["offering"])

    await page.goto(f"/partner/notifications?lang={language}")
    await notice(page, names["municipality"], made["proposal"]).click()
    await expect(page).to_have_url(f"{live_server.url}/partner/proposals/{made['proposal_id']}")
    await expect(page.locator("h1")).to_have_text(made["proposal"])


@pytest.mark.parametrize("language", ["ja", "en"])
async def test_a_member_reads_which_partner_proposed_and_opens_the_challenge(live_server, new_page, language):
    names = NAMES[language]
    made = await a_request_and_a_selected_proposal(live_server, f"{language}-member")
    page = await new_page()
    await sign_in(page, live_server.tokens["challenger"])

    await page.goto(f"/portal/notifications?lang={language}")
    link = notice(page, names["partner"], made["proposal"])
    await expect(link).to_have_count(1)
    await expect(link).to_contain_text(made["challenge"])
    await assert_accessible(page)

    await link.click()
    await expect(page).to_have_url(f"{live_server.url}/portal/challenges/{made['challenge_id']}")
    await expect(page.locator("h1")).to_have_text(made["challenge"])
    await expect(page.locator("main")).to_contain_text(made["proposal"])


@pytest.mark.parametrize("language", ["ja", "en"])
async def test_notifications_fit_a_phone(live_server, new_page, language):
    names = NAMES[language]
    made = await a_request_and_a_selected_proposal(live_server, f"{language}-390")
    partner = await new_page()
    await partner.set_viewport_size(PHONE)
    await sign_in(partner, live_server.tokens["partner"])
    await partner.goto(f"/partner/notifications?lang={language}")
    await expect(notice(partner, names["municipality"], made["proposal"])).to_have_count(1)
    await fits_the_screen(partner)
    await assert_accessible(partner)
    await screenshot(partner, f"notification-{language}-390")

    member = await new_page()
    await member.set_viewport_size(PHONE)
    await sign_in(member, live_server.tokens["challenger"])
    await member.goto(f"/portal/notifications?lang={language}")
    await expect(notice(member, names["partner"], made["proposal"])).to_have_count(1)
    await fits_the_screen(member)
