"""Public–private co-creation in a real browser, in Japanese and in English: a member municipality
drafts a challenge without a deadline, edits it, publishes it, declines one proposal with a message
and selects another, runs the pilot, commercialises and publishes the case study; the secretariat
sees its review queue; a partner follows its proposals on a phone. Screenshots in
docs/screenshots/ (`challenge-steps-<lang>.png`, `project-steps-<lang>.png`,
`admin-challenges-ja.png`, `partner-proposals-390-ja.png`)."""

import datetime as dt

import pytest
from playwright.async_api import expect

from resolvers.calendar import today as japan_today
from tests.browser.conftest import assert_accessible, menu, screenshot, sign_in
from tests.browser.test_languages_on_a_phone import PHONE, fits_the_screen

CREATE = """mutation($title: String!, $deadline: Date) { createChallenge(input: {title: $title,
  background: "避難所の混雑が分からない。", desiredOutcome: "混雑を見える化する。", themeNumbers: [8], deadline: $deadline}) {
  challenge { id } userErrors { field code message } } }"""
PUBLISH = """mutation($id: ID!) { publishChallenge(input: {challengeId: $id}) { challenge { id } userErrors { field code message } } }"""
REQUEST_REVIEW = """mutation($id: ID!) { requestChallengeReview(input: {challengeId: $id}) {
  challenge { id } userErrors { field code message } } }"""
SUBMIT = """mutation($id: ID!, $title: String!) { submitProposal(input: {challengeId: $id, title: $title,
  summary: "センサーと地図で見える化します。"}) { proposal { id } userErrors { field code message } } }"""

WORDS = {
    "ja": {
        "draft": "下書き", "published": "提案の募集", "selection": "採択・プロジェクト", "defining": "課題の定義",
        "pilot": "実証実験", "result": "実証の結果", "commercialisation": "事業化",
        "edit": "下書きを編集する", "save": "下書きを保存する", "publish": "公開する",
        "decline": "「{title}」を不採択にする", "send": "不採択としてメッセージを送る", "select": "「{title}」を採択する",
        "open": "「{title}」のプロジェクトを開く", "start": "実証実験を開始する", "end_pilot": "実証の終了を記録する",
        "commercialise": "事業化に進める", "publish_case": "事例として公開する", "close": "提案の募集を締め切る",
        "case_done": "事例「{title}」として公開しました。", "closed": "提案の募集を締め切りました。",
    },
    "en": {
        "draft": "Draft", "published": "Taking proposals", "selection": "Selection and projects",
        "defining": "Defining the challenge", "pilot": "Pilot", "result": "Pilot result",
        "commercialisation": "Commercialisation",
        "edit": "Edit the draft", "save": "Save the draft", "publish": "Publish",
        "decline": "Decline 「{title}」", "send": "Decline and send the message", "select": "Select “{title}”",
        "open": "Open the project 「{title}」", "start": "Start the pilot", "end_pilot": "Record the end of the pilot",
        "commercialise": "Move to commercialisation", "publish_case": "Publish as a case study",
        "close": "Close proposals", "case_done": "Published as the case study 「{title}」.",
        "closed": "Proposals are closed.",
    },
}


async def expect_step(page, name: str) -> None:
    await expect(page.locator('.steps [aria-current="step"]')).to_contain_text(name)


@pytest.mark.parametrize("language", ["ja", "en"])
async def test_a_challenge_from_draft_to_case_study(live_server, new_page, language):
    words = WORDS[language]
    title = f"避難所の混雑の見える化（{language}）"
    page = await new_page()
    await sign_in(page, live_server.tokens["challenger"])

    await page.goto(f"/portal/challenges?lang={language}")
    await page.locator("#f-title").fill(title)
    await page.locator("#f-background").fill("避難所の混雑が分からない。")
    await page.locator("#f-desiredOutcome").fill("混雑を見える化する。")
    await page.locator("#f-themeNumbers-8").check()
    await page.locator("form[action='/portal/challenges'] button[type=submit]").click()
    await expect_step(page, words["draft"])
    await assert_accessible(page)

    await page.get_by_role("link", name=words["edit"]).click()
    await expect(page.locator("#f-title")).to_have_value(title)
    await page.locator("#f-deadline").fill((japan_today() + dt.timedelta(days=30)).isoformat())
    await page.get_by_role("button", name=words["save"]).click()
    await page.get_by_role("button", name=words["publish"], exact=True).click()
    await expect_step(page, words["published"])

    challenge_id = page.url.split("/portal/challenges/", 1)[1].split("?", 1)[0]
    chosen, other = f"見守りセンサーの提案（{language}）", f"避難ビルの提案（{language}）"
    await live_server.accepted("partner", SUBMIT, {"id": challenge_id, "title": chosen})
    await live_server.accepted("second_partner", SUBMIT, {"id": challenge_id, "title": other})
    await page.reload()
    await page.get_by_text(words["decline"].format(title=other)).click()
    declining = page.locator("details.decline[open]")
    await declining.locator("textarea").fill("今回は沿岸部に限った提案を求めています。")
    await declining.get_by_role("button", name=words["send"]).click()
    await page.get_by_role("button", name=words["select"].format(title=chosen)).click()
    await expect_step(page, words["selection"])
    await expect(page.get_by_text("今回は沿岸部に限った提案を求めています。")).to_be_visible()
    await assert_accessible(page)
    await screenshot(page, f"challenge-steps-{language}")

    await page.get_by_role("link", name=words["open"].format(title=chosen)).click()
    await expect_step(page, words["defining"])
    today = japan_today().isoformat()
    await page.locator("#f-startsOn").fill(today)
    await page.locator("#f-scale").fill("沿岸3地区の避難所")
    await page.get_by_role("button", name=words["start"]).click()
    await expect_step(page, words["pilot"])
    await page.locator("#f-endedOn").fill(today)
    await page.locator("#f-result").fill("混雑の問い合わせが半減した。")
    await page.get_by_role("button", name=words["end_pilot"]).click()
    await expect_step(page, words["result"])
    await page.get_by_role("button", name=words["commercialise"]).click()
    await expect_step(page, words["commercialisation"])
    await assert_accessible(page)
    await screenshot(page, f"project-steps-{language}")
    await page.locator("#f-summary").fill("避難所の混雑を地図で見える化し、事業化した。")
    await page.get_by_role("button", name=words["publish_case"]).click()
    await expect(page.get_by_text(words["case_done"].format(title=title))).to_be_visible()
    await expect(page.locator('.steps [aria-current="step"]')).to_have_count(0)

    await page.goto(f"/portal/challenges/{challenge_id}")
    await page.get_by_role("button", name=words["close"]).click()
    await expect(page.get_by_role("status")).to_contain_text(words["closed"])


async def test_the_secretariat_sees_the_review_queue_first(live_server, new_page):
    title = "審査待ちの地域課題"
    created = await live_server.accepted("challenger", CREATE, {"title": title, "deadline": None})
    await live_server.accepted("challenger", REQUEST_REVIEW, {"id": created["challenge"]["id"]})
    page = await new_page()
    await sign_in(page, live_server.tokens["admin"])

    await page.goto("/admin")
    await menu(page, "官民共創").click()
    queue = page.get_by_role("region", name="確認待ち")
    await expect(queue).to_contain_text(title)
    await assert_accessible(page)
    await screenshot(page, "admin-challenges-ja")

    await queue.get_by_role("link", name=f"「{title}」を確認する").click()
    await page.locator("#f-comment").fill("締切日を入れてください。")
    await page.get_by_role("button", name="コメントを付けて差し戻す").click()
    await expect(page.get_by_role("status")).to_contain_text("コメントを付けて差し戻し")


async def test_a_partner_follows_and_withdraws_its_proposal_on_a_phone(live_server, new_page):
    deadline = (japan_today() + dt.timedelta(days=30)).isoformat()
    created = await live_server.accepted("challenger", CREATE, {"title": "公共施設の予約の一元化", "deadline": deadline})
    await live_server.accepted("challenger", PUBLISH, {"id": created["challenge"]["id"]})
    await live_server.accepted("partner", SUBMIT, {"id": created["challenge"]["id"], "title": "予約システムの提案"})
    page = await new_page()
    await page.set_viewport_size(PHONE)
    await sign_in(page, live_server.tokens["partner"])

    await page.goto("/partner/proposals")
    await page.get_by_role("link", name="予約システムの提案").click()
    await expect_step(page, "提出")
    await fits_the_screen(page)
    await assert_accessible(page)
    await screenshot(page, "partner-proposals-390-ja")

    await page.locator("#f-summary").fill("予約と決済を一つの窓口にまとめます。")
    await page.get_by_role("button", name="修正を保存する").click()
    await expect(page.get_by_role("status")).to_contain_text("提案を更新しました。")
    await page.get_by_role("link", name="提案を取り下げる").click()
    await expect(page.get_by_text("取り下げた提案は元に戻せません。")).to_be_visible()
    await fits_the_screen(page)
    await page.get_by_role("button", name="取り下げる", exact=True).click()
    await expect(page.get_by_role("status")).to_contain_text("提案を取り下げました。")
