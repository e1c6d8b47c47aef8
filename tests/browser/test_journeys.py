"""The main journey of each portal in a real browser, with an accessibility check of each main
page and the screenshots in docs/screenshots/."""

import re

from playwright.async_api import expect

from tests.browser.conftest import assert_accessible, in_a_month, menu, screenshot, sign_in

APPLY = """mutation { applyForMembership(input: {allianceSlug: "expo2025", tier: FULL, note: "市長の意向"}) {
  membership { id } userErrors { field code message } } }"""
CREATE_EVENT = """mutation($starts: DateTime!, $ends: DateTime!) { createEvent(input: {allianceSlug: "expo2025",
  title: "防災DXオンラインセミナー", description: "避難所運営のデジタル化", kind: SEMINAR, format: ONLINE,
  audience: ALL_MEMBERS, startsAt: $starts, endsAt: $ends, themeNumbers: [8], capacity: 30}) {
  event { id } userErrors { field code message } } }"""
CREATE_OFFERING = """mutation { createOffering(input: {partnerSlug: "sompo-holdings", title: "防災ワークショップ",
  kind: WORKSHOP, summary: "地域の防災力を高めるワークショップ", audience: FULL_MEMBERS, themeNumbers: [8]}) {
  offering { id } userErrors { field code message } } }"""
REQUEST_OFFERING = """mutation($o: ID!) { requestOffering(input: {offeringId: $o, message: "秋に開催したい"}) {
  offeringRequest { id } userErrors { field code message } } }"""
CREATE_CHALLENGE = """mutation { createChallenge(input: {title: "高齢者の見守りを地域で", background: "独居高齢者の増加",
  desiredOutcome: "見守りの仕組み", themeNumbers: [4], deadline: "2099-03-31"}) {
  challenge { id } userErrors { field code message } } }"""
PUBLISH = """mutation($c: ID!) { publishChallenge(input: {challengeId: $c}) { userErrors { field code message } } }"""
MEMBERSHIP = """{ municipality(code: "011002") { memberships { tier status alliance { slug } } } }"""


async def test_an_admin_approves_an_application_and_changes_the_tier(live_server, new_page):
    await live_server.accepted("applicant", APPLY)
    page = await new_page()

    await sign_in(page, live_server.tokens["admin"])
    await expect(page.get_by_role("heading", level=1)).to_contain_text("ダッシュボード")
    await expect(page.locator(".tile-map li")).to_have_count(47)
    await assert_accessible(page)
    await screenshot(page, "admin-dashboard")

    await menu(page, "入会申請").click()
    await page.get_by_role("button", name="札幌市の申請を承認する").click()
    await expect(page.get_by_role("status")).to_have_text("入会を承認しました。")
    await expect(page.get_by_role("button", name="札幌市の申請を承認する")).to_have_count(0)

    await menu(page, "会員名簿").click()
    await page.get_by_label("名称").fill("札幌")
    await page.get_by_role("button", name="絞り込む").click()
    await assert_accessible(page)
    await page.get_by_role("link", name="札幌市", exact=True).click()
    await page.get_by_label("新しい会員区分").select_option("SUPPORTING")
    await page.get_by_role("button", name="区分を変更する").click()
    await expect(page.get_by_role("status")).to_have_text("会員区分を変更しました。")
    await assert_accessible(page)

    data = await live_server.api("admin", MEMBERSHIP)
    (membership,) = [m for m in data["municipality"]["memberships"] if m["alliance"]["slug"] == "expo2025"]
    assert membership == {"tier": "SUPPORTING", "status": "ACTIVE", "alliance": {"slug": "expo2025"}}


async def test_a_full_member_joins_a_working_group_and_registers_for_an_event(live_server, new_page):
    starts, ends = in_a_month()
    await live_server.accepted("admin", CREATE_EVENT, {"starts": starts, "ends": ends})
    page = await new_page()

    await sign_in(page, live_server.tokens["full_member"])
    await expect(page.get_by_role("heading", level=1)).to_contain_text("南砺市")
    await expect(page.locator(".facts")).to_contain_text("正会員")
    await assert_accessible(page)
    await screenshot(page, "member-portal-home")

    await page.keyboard.press("Tab")
    await expect(page.locator(":focus")).to_have_text("本文へ移動")

    await menu(page, "ワーキンググループ").click()
    join = page.get_by_role("button", name=re.compile("に参加する$")).first
    group = (await join.get_attribute("aria-label")).removesuffix(" に参加する")
    await join.click()
    await expect(page.get_by_role("status")).to_have_text("ワーキンググループに参加しました。")
    await expect(page.get_by_role("button", name=f"{group} への参加をやめる")).to_be_visible()
    await assert_accessible(page)

    await menu(page, "イベント").click()
    await page.get_by_role("button", name="「防災DXオンラインセミナー」に申し込む").first.click()
    await expect(page.get_by_role("status")).to_have_text("イベントに申し込みました。")
    await expect(page.get_by_role("button", name="「防災DXオンラインセミナー」の申込を取り消す").first).to_be_visible()
    await assert_accessible(page)


async def test_a_partner_answers_a_request_and_submits_a_proposal(live_server, new_page):
    offering = await live_server.accepted("admin", CREATE_OFFERING)
    await live_server.accepted("challenger", REQUEST_OFFERING, {"o": offering["offering"]["id"]})
    challenge = await live_server.accepted("challenger", CREATE_CHALLENGE)
    await live_server.accepted("challenger", PUBLISH, {"c": challenge["challenge"]["id"]})
    page = await new_page()

    await page.goto(live_server.login_link("partner"))
    await page.get_by_role("button", name="サインイン").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("SOMPOホールディングス")
    await assert_accessible(page)
    await screenshot(page, "partner-dashboard-home")

    await menu(page, "利用依頼").click()
    answer = page.get_by_role("group", name="高石市からの「防災ワークショップ」への回答")
    await answer.get_by_label("承諾する").check()
    await answer.get_by_label("自治体へのメッセージ").fill("9月に伺います")
    await page.get_by_role("listitem").filter(has=answer).get_by_role("button", name="回答を送る").click()
    await expect(page.get_by_role("status")).to_have_text("回答を送りました。")
    await assert_accessible(page)

    await menu(page, "募集中の地域課題").click()
    await page.get_by_role("link", name="高齢者の見守りを地域で", exact=True).click()
    await page.get_by_label("タイトル").fill("見守りと健康づくりの連携")
    await page.get_by_label("提案の概要").fill("ウォーキングの記録を見守りに生かす")
    await page.get_by_role("button", name="提案を提出する").click()
    await expect(page.get_by_role("status")).to_have_text("提案を提出しました。")
    await expect(page.get_by_role("row", name=re.compile("見守りと健康づくりの連携"))).to_contain_text("提出済み")
    await assert_accessible(page)

    await page.get_by_role("link", name="English", exact=True).click()
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await expect(page.get_by_role("heading", level=1)).to_have_text("My proposals")


async def test_every_page_of_the_menus_and_the_sign_in_page_is_accessible(live_server, new_page):
    page = await new_page()
    await page.goto("/login")
    await assert_accessible(page)

    for who in ("admin", "challenger", "partner"):
        await sign_in(page, live_server.tokens[who])
        links = page.get_by_role("navigation", name="ポータルのメニュー").get_by_role("link")
        for href in [await link.get_attribute("href") for link in await links.all()]:
            await page.goto(href)
            await assert_accessible(page)
        await page.get_by_role("button", name="サインアウト").click()
        await expect(page.get_by_role("status")).to_have_text("サインアウトしました。")
