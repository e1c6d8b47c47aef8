"""A member joins a joint-procurement group on a 390 px phone, in Japanese.
Screenshot: docs/screenshots/member-procurement-390-ja.png."""

import datetime as dt

from playwright.async_api import expect

from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.browser.test_languages_on_a_phone import PHONE, fits_the_screen

CREATE = """mutation($closes: Date!) { createProcurementGroup(input: {allianceSlug: "expo2025",
  item: "非常用備蓄食料（アルファ化米）", unit: "食", description: "5年保存。各自治体の備蓄倉庫へ納品します。",
  closesOn: $closes, municipalityCode: "162108"}) { procurementGroup { id } userErrors { field code message } } }"""


async def test_a_member_joins_a_joint_procurement_on_a_phone(live_server, new_page):
    closes = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    await live_server.accepted("admin", CREATE, {"closes": closes})
    page = await new_page()
    await page.set_viewport_size(PHONE)
    await sign_in(page, live_server.tokens["challenger"])

    await page.goto("/portal/procurement?lang=ja")
    card = page.locator(".card", has_text="非常用備蓄食料（アルファ化米）")
    await card.get_by_label("数量（食）").fill("1200")
    await card.get_by_role("button", name="この数量で参加する").click()

    await expect(page.get_by_role("status")).to_have_text("共同調達に参加しました。")
    await expect(page.locator(".card", has_text="非常用備蓄食料（アルファ化米）")).to_contain_text("貴団体の数量：1,200食")
    await fits_the_screen(page)
    await assert_accessible(page)
    await page.locator(".card", has_text="非常用備蓄食料（アルファ化米）").scroll_into_view_if_needed()
    await screenshot(page, "member-procurement-390-ja")
