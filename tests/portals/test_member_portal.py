"""The member portal through HTTP: benefits by tier, the reason a supporting member hears, and the
member's own dues."""

import pytest

from models import Dues, DuesStatus, Membership, WorkingGroup
from tests.helpers import global_id


async def test_home_shows_the_tier_and_what_it_entitles(signed_in):
    full = await signed_in("MUNICIPALITY", municipality_code="272256")
    supporting = await signed_in("MUNICIPALITY", municipality_code="082082")

    full_home = (await full.get("/portal")).text
    supporting_home = (await supporting.get("/portal")).text

    assert "<strong>正会員</strong>" in full_home and "正会員の特典" in full_home
    assert "<strong>賛助会員</strong>" in supporting_home
    assert supporting_home.count('class="excluded"') == 4 and full_home.count('class="excluded"') == 0
    assert "全会員向けまたは一般公開の提供サービスはご利用いただけます" in supporting_home


async def any_working_group() -> str:
    return global_id("WorkingGroup", (await WorkingGroup.filter(alliance__slug="expo2025").first()).pk)


@pytest.mark.parametrize(
    ("language", "reason"),
    [
        ("ja", "ワーキンググループへの参加は正会員の特典です。賛助会員の皆さまには、月例会報とオンラインセミナーをお届けしています。"),
        ("en", "Working groups are a benefit of full members. Supporting members receive the monthly bulletin and online seminars."),
    ],
)
async def test_a_supporting_member_is_told_why_before_it_tries_to_join(signed_in, language, reason):
    staff = await signed_in("MUNICIPALITY", municipality_code="082082")

    page = await staff.get(f"/portal/working-groups?lang={language}")
    response = await staff.post("/portal/working-groups/join", {"workingGroupId": await any_working_group()})

    assert reason in page.text and 'name="workingGroupId"' not in page.text
    assert response.status_code == 422
    assert reason in response.text


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_challenge_is_drafted_and_published(signed_in):
    staff = await signed_in("MUNICIPALITY", municipality_code="272256")
    await staff.get("/portal/challenges")

    empty = await staff.post("/portal/challenges", {"title": "", "background": "b", "desiredOutcome": "o"})
    created = await staff.post(
        "/portal/challenges",
        {"title": "防災アプリの実証", "background": "避難所の混雑", "desiredOutcome": "見える化",
         "themeNumbers": "8", "deadline": "2099-03-31"},
    )
    page = await staff.get(created.headers["location"])
    published = await staff.post(created.headers["location"].split("?")[0] + "/publish")

    assert empty.status_code == 422 and 'id="f-title-error"' in empty.text
    assert created.status_code == 303 and "下書き" in page.text
    assert published.status_code == 303
    assert "公開中" in (await staff.get(published.headers["location"])).text


async def test_a_challenge_form_sent_twice_drafts_one_challenge(signed_in):
    staff = await signed_in("MUNICIPALITY", municipality_code="272256")
    form = (await staff.get("/portal/challenges")).text
    submission = form.split('name="submission" value="', 1)[1].split('"', 1)[0]
    values = {"title": "二度押しの課題", "background": "b", "desiredOutcome": "o", "themeNumbers": "8",
              "deadline": "2099-03-31", "submission": submission}

    first = await staff.post("/portal/challenges", values)
    second = await staff.post("/portal/challenges", values)

    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"], "both go to the one draft"
    assert (await staff.get("/portal/challenges")).text.count("二度押しの課題") == 1


async def test_bulletins_page_shows_what_the_tier_entitles(signed_in, sign_in):
    from tests.api.test_bulletins import published

    admin = await sign_in("ADMIN")
    await published(admin, month=10, title="全会員向け 10月号", audience="ALL_MEMBERS")
    await published(admin, month=11, title="正会員向け 11月号", audience="FULL_MEMBERS")
    await admin.accepted(
        'mutation($input: CreateBulletinInput!) { createBulletin(input: $input) { userErrors { code } } }',
        {"input": {"allianceSlug": "expo2025", "year": 2026, "month": 12, "title": "下書き 12月号",
                   "body": "未公開", "audience": "PUBLIC"}},
    )
    full = await signed_in("MUNICIPALITY", municipality_code="272256")
    supporting = await signed_in("MUNICIPALITY", municipality_code="082082")

    full_page = (await full.get("/portal/bulletins")).text
    supporting_page = (await supporting.get("/portal/bulletins")).text

    assert "全会員向け 10月号" in full_page and "正会員向け 11月号" in full_page
    assert "全会員向け 10月号" in supporting_page and "正会員向け 11月号" not in supporting_page
    assert "下書き 12月号" not in full_page + supporting_page


async def test_home_shows_the_members_own_dues_and_balance(signed_in):
    takaishi = await Membership.get(municipality__code="272256", alliance__slug="expo2025")
    await Dues.create(membership=takaishi, fiscal_year=2025, amount=100_000, status=DuesStatus.PAID)
    await Dues.create(membership=takaishi, fiscal_year=2026, amount=120_000)
    staff = await signed_in("MUNICIPALITY", municipality_code="272256")
    other = await signed_in("MUNICIPALITY", municipality_code="162108")

    home = (await staff.get("/portal")).text
    others_home = (await other.get("/portal")).text

    assert "<td>2026年度（令和8年度）</td><td>120,000円</td><td>未納</td>" in home
    assert "<td>2025年度（令和7年度）</td><td>100,000円</td><td>納付済み</td>" in home
    assert "未納の負担金: 120,000円" in home
    assert "120,000円" not in others_home and "負担金の請求はありません。" in others_home
