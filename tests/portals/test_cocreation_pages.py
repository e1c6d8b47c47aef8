"""Co-creation through the portals' pages: a member municipality takes a challenge from a draft
to a case study, the secretariat reviews challenges and oversees projects and offering requests,
and partners change and withdraw their proposals."""

import re

import pytest

from resolvers.calendar import today as japan_today

TAKAISHI = "272256"
# Steps aside: the pages read challenges and proposals through `node`, which returns the Node
# interface (graphql-core resolves the runtime types).
pytestmark = pytest.mark.plan_fallback("abstract_type")


def hidden_value(page: str, name: str) -> str:
    return page.split(f'name="{name}" value="', 1)[1].split('"', 1)[0]


def current_step(page: str) -> str:
    return re.search(r'aria-current="step">\s*<span[^>]*>[^<]*</span>\s*<span>([^<]*)', page).group(1)


async def draft(staff, title: str = "津波避難の高齢者支援", **fields) -> str:
    await staff.get("/portal/challenges")
    created = await staff.post("/portal/challenges", {
        "title": title, "background": "沿岸部の避難に時間がかかる。", "desiredOutcome": "避難開始を早める。",
        "themeNumbers": "8", **fields})
    assert created.status_code == 303, created.text
    return created.headers["location"].split("?")[0]


async def test_a_draft_without_a_deadline_is_edited_then_published(signed_in):
    staff = await signed_in("MUNICIPALITY", municipality_code=TAKAISHI)
    challenge = await draft(staff)
    page = (await staff.get(challenge)).text
    assert current_step(page) == "下書き" and "下書きを編集する" in page

    assert "締切日がまだ入力されていません。" in page
    refused = await staff.post(f"{challenge}/publish")
    assert refused.status_code == 422 and "公開するには、締切日を入力してください" in refused.text

    form = (await staff.get(f"{challenge}/edit")).text
    assert 'value="津波避難の高齢者支援"' in form and 'value="8" checked' in form
    saved = await staff.post(f"{challenge}/edit", {
        "title": "津波避難の高齢者支援（改）", "background": "沿岸部の避難に時間がかかる。", "desiredOutcome": "避難開始を早める。",
        "themeNumbers": "8", "deadline": "2099-03-31"})
    assert saved.status_code == 303 and saved.headers["location"].endswith("done=challenge_updated")
    published = await staff.post(f"{challenge}/publish")
    page = (await staff.get(published.headers["location"])).text
    assert "地域課題を公開しました。" in page and current_step(page) == "提案の募集"
    assert (await staff.get(f"{challenge}/edit")).status_code == 303, "a published challenge is not edited"


async def test_a_challenge_runs_from_proposals_to_a_case_study(signed_in):
    staff = await signed_in("MUNICIPALITY", municipality_code=TAKAISHI)
    challenge = await draft(staff, deadline="2099-03-31")
    await staff.post(f"{challenge}/publish")
    challenge_id = challenge.rsplit("/", 1)[1]
    partners = {}
    for slug, title in (("sompo-holdings", "見守りセンサーの提案"), ("mori-building", "避難ビルの提案")):
        partners[slug] = await signed_in("PARTNER", partner_slug=slug)
        await partners[slug].get(f"/partner/challenges/{challenge_id}")
        submitted = await partners[slug].post(f"/partner/challenges/{challenge_id}/proposals", {"title": title, "summary": "概要"})
        assert submitted.status_code == 303, submitted.text

    page = (await staff.get(challenge)).text
    sensor = page.split("見守りセンサーの提案", 1)[1]
    sensor_id, building_id = hidden_value(sensor, "proposalId"), hidden_value(page.split("避難ビルの提案", 1)[1], "proposalId")
    refused = await staff.post(f"{challenge}/proposals/decline", {"proposalId": building_id, "message": ""})
    assert refused.status_code == 422 and "パートナーへのメッセージを入力してください。" in refused.text
    declined = await staff.post(f"{challenge}/proposals/decline", {"proposalId": building_id, "message": "今回は見送ります。"})
    assert declined.status_code == 303
    selected = await staff.post(f"{challenge}/proposals/select", {"proposalId": sensor_id})
    page = (await staff.get(selected.headers["location"])).text
    assert current_step(page) == "採択・プロジェクト" and "今回は見送ります。" in page

    project = f"/portal/projects/{sensor_id}"
    today = japan_today().isoformat()
    assert current_step((await staff.get(project)).text) == "課題の定義"
    missing = await staff.post(f"{project}/pilot", {"startsOn": "", "scale": "沿岸3地区"})
    assert missing.status_code == 422
    for step, values, now in (
        ("pilot", {"startsOn": today, "scale": "沿岸3地区・高齢者200人"}, "実証実験"),
        ("end-pilot", {"endedOn": today, "result": "避難開始が平均12分早まった"}, "実証の結果"),
        ("commercialise", {}, "事業化"),
    ):
        moved = await staff.post(f"{project}/{step}", values)
        assert moved.status_code == 303, moved.text
        assert current_step((await staff.get(moved.headers["location"])).text) == now
    published = await staff.post(f"{project}/case-study", {"summary": "沿岸地区で避難支援を実証し事業化した。"})
    page = (await staff.get(published.headers["location"])).text
    assert "事例として公開しました。" in page and 'aria-current="step"' not in page and page.count("（完了）") == 5

    closed = await staff.post(f"{challenge}/close")
    assert closed.status_code == 303 and "提案の募集を締め切りました。" in (await staff.get(closed.headers["location"])).text

    building = (await partners["mori-building"].get(f"/partner/proposals/{building_id}")).text
    assert "不採択となりました。" in building and "今回は見送ります。" in building
    sensor_page = (await partners["sompo-holdings"].get(f"/partner/proposals/{sensor_id}?lang=en")).text
    assert "The project moved to commercialisation." in sensor_page


async def test_a_partner_changes_then_withdraws_its_proposal_after_confirming(signed_in):
    staff = await signed_in("MUNICIPALITY", municipality_code=TAKAISHI)
    challenge = await draft(staff, deadline="2099-03-31")
    await staff.post(f"{challenge}/publish")
    challenge_id = challenge.rsplit("/", 1)[1]
    partner = await signed_in("PARTNER", partner_slug="sompo-holdings")
    await partner.get(f"/partner/challenges/{challenge_id}")
    await partner.post(f"/partner/challenges/{challenge_id}/proposals", {"title": "見守りの提案", "summary": "概要"})
    challenge_page = (await partner.get(f"/partner/challenges/{challenge_id}")).text
    assert "「見守りの提案」の状況を見る・修正する" in challenge_page
    listing = (await partner.get("/partner/proposals")).text
    proposal = re.search(r'href="(/partner/proposals/[^"]+)">見守りの提案', listing).group(1)

    form = (await partner.get(proposal)).text
    assert 'value="見守りの提案"' in form and current_step(form) == "提出"
    blank = await partner.post(f"{proposal}/edit", {"title": "見守りの提案", "summary": ""})
    assert blank.status_code == 422
    changed = await partner.post(f"{proposal}/edit", {"title": "高齢者見守りの提案", "summary": "センサーで見守る。"})
    assert "提案を更新しました。" in (await partner.get(changed.headers["location"])).text
    assert "高齢者見守りの提案" in (await staff.get("/portal/notifications")).text

    confirm = (await partner.get(f"{proposal}/withdraw")).text
    assert "取り下げた提案は元に戻せません。" in confirm
    withdrawn = await partner.post(f"{proposal}/withdraw")
    page = (await partner.get(withdrawn.headers["location"])).text
    assert "提案を取り下げました。" in page and "提案の修正" not in page and "提案を取り下げる" not in page


async def test_the_secretariat_returns_a_challenge_with_comments_and_oversees_co_creation(signed_in):
    staff = await signed_in("MUNICIPALITY", municipality_code=TAKAISHI)
    challenge = await draft(staff, "審査を受ける課題", deadline="2099-03-31")
    await staff.post(f"{challenge}/request-review")
    assert current_step((await staff.get(challenge)).text) == "事務局の確認（任意）"
    admin = await signed_in("ADMIN")
    queue = (await admin.get("/admin/challenges")).text
    assert "確認待ち 1件" in queue and "審査を受ける課題" in queue
    review = re.search(r'href="(/admin/challenges/[^"]+)">「審査を受ける課題」を確認する', queue).group(1)

    await admin.get(review)
    empty = await admin.post(f"{review}/return", {"comment": ""})
    assert empty.status_code == 422
    returned = await admin.post(f"{review}/return", {"comment": "予算欄を具体的にしてください。"})
    assert "コメントを付けて差し戻し" in (await admin.get(returned.headers["location"])).text
    assert "予算欄を具体的にしてください。" in (await staff.get("/portal/notifications")).text
    page = (await staff.get(challenge)).text
    assert "事務局からの差し戻し：" in page and current_step(page) == "下書き"

    for path, heading in (("/admin/projects", "プロジェクト"), ("/admin/offering-requests?status=REQUESTED", "利用依頼"),
                          ("/admin/challenges?status=DRAFT", "すべての地域課題")):
        response = await admin.get(path)
        assert response.status_code == 200 and heading in response.text
    english = (await admin.get("/admin/challenges?lang=en")).text
    assert "Waiting for review: 0" in english and 'href="/admin/challenges" aria-current="page">Co-creation' in english
