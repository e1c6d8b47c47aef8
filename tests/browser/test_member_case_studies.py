"""A member finds a case study on a 390 px phone and records, then withdraws, its adoption
(横展開), in Japanese and in English. Screenshots: docs/screenshots/member-case-study-{ja,en}.png."""

import pytest
from playwright.async_api import expect

from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.browser.test_languages_on_a_phone import PHONE, fits_the_screen

WORDS = {
    "ja": {"record": "横展開を記録する", "recorded": "横展開を記録しました。", "adopter": "高石市",
           "withdraw": "横展開の記録を取り消す", "withdrawn": "横展開の記録を取り消しました。"},
    "en": {"record": "Record the adoption", "recorded": "The adoption is recorded.", "adopter": "Takaishi City",
           "withdraw": "Withdraw the adoption", "withdrawn": "The adoption is withdrawn."},
}


@pytest.mark.parametrize("language", ["ja", "en"])
async def test_a_member_records_an_adoption_on_a_phone(live_server, new_page, language):
    words = WORDS[language]
    page = await new_page()
    await page.set_viewport_size(PHONE)
    await sign_in(page, live_server.tokens["challenger"])

    await page.goto(f"/portal/case-studies?lang={language}&themeNumber=7")
    await fits_the_screen(page)
    await assert_accessible(page)
    await page.locator(".card h3 a").first.click()
    await page.get_by_role("textbox").fill("令和8年度に予算化し、実証を始めました。" if language == "ja" else "Budgeted for 2026.")
    await page.get_by_role("button", name=words["record"]).click()

    await expect(page.get_by_role("status")).to_have_text(words["recorded"])
    await expect(page.locator("#adopters-title ~ .cards")).to_contain_text(words["adopter"])
    await fits_the_screen(page)
    await assert_accessible(page)
    await page.locator("#adopt-title").scroll_into_view_if_needed()
    await screenshot(page, f"member-case-study-{language}")

    await page.get_by_role("button", name=words["withdraw"]).click()
    await expect(page.get_by_role("status")).to_have_text(words["withdrawn"])
    await expect(page.get_by_role("button", name=words["record"])).to_be_visible()
