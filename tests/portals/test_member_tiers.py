"""The member portal shows each tier what it may not do, and why, before a form is filled in; the
reason is the one the API's refusal would give."""

import pytest

from tests.api.test_events import new_event
from tests.api.test_offerings import new_offering

RYUGASAKI = "082082"  # a supporting member
TAKAISHI = "272256"  # a full member


@pytest.fixture
async def admin(sign_in):
    return await sign_in("ADMIN")


def card_of(page: str, title: str) -> str:
    return page.split(title, 1)[1].split('<li class="card"', 1)[0]


# Steps aside: an event's organiser is a union (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
@pytest.mark.parametrize(
    ("language", "reason", "audience"),
    [
        ("ja", "賛助会員の皆さまにお申し込みいただけるのは、オンラインで参加できるセミナーです。", "参加できる会員:"),
        ("en", "Supporting members may register for seminars that can be attended online.", "Who may attend:"),
    ],
)
async def test_a_supporting_member_sees_why_it_cannot_register_for_an_onsite_workshop(
    signed_in, admin, language, reason, audience
):
    await new_event(admin, title="会場ワークショップ", kind="WORKSHOP", format="ONSITE", venue="大阪")
    await new_event(admin, title="オンライン防災セミナー")
    supporting = await signed_in("MUNICIPALITY", municipality_code=RYUGASAKI)
    full = await signed_in("MUNICIPALITY", municipality_code=TAKAISHI)

    page = (await supporting.get(f"/portal/events?lang={language}")).text
    full_page = (await full.get(f"/portal/events?lang={language}")).text

    workshop, seminar = card_of(page, "会場ワークショップ"), card_of(page, "オンライン防災セミナー")
    assert reason in workshop and 'name="eventId"' not in workshop and audience in workshop
    assert reason not in seminar and 'name="eventId"' in seminar
    assert reason not in full_page and 'name="eventId"' in card_of(full_page, "会場ワークショップ")


@pytest.mark.parametrize(
    ("language", "reason"),
    [
        ("ja", "この提供サービスは正会員向けです。賛助会員の皆さまは、全会員向けまたは一般公開の提供サービスをご利用いただけます。"),
        ("en", "This offering is for full members. Supporting members may use the offerings open to all members or to the public."),
    ],
)
async def test_a_supporting_member_sees_which_offerings_are_open_to_it(signed_in, admin, language, reason):
    await new_offering(admin, title="正会員向けの研修", audience="FULL_MEMBERS")
    await new_offering(admin, title="全会員向けの研修", audience="ALL_MEMBERS")
    supporting = await signed_in("MUNICIPALITY", municipality_code=RYUGASAKI)

    page = (await supporting.get(f"/portal/offerings?lang={language}&search=研修")).text

    full_only, all_members = card_of(page, "正会員向けの研修"), card_of(page, "全会員向けの研修")
    assert reason in full_only and 'name="offeringId"' not in full_only
    assert reason not in all_members and 'name="offeringId"' in all_members
