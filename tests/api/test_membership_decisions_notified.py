"""The secretariat's decision on a membership reaches the municipality's staff as a notification
that names the municipality and the alliance and links to the membership."""

import pytest

from tests.api.test_membership_rules import APPLY, DECISION, SAPPORO, TAKAISHI

NOTIFICATIONS = """
{ notifications(first: 10) { totalCount nodes { kind message subject { __typename ... on Membership { id status } } } } }"""

# `subject` is the Node interface (graphql-core resolves the runtime types).
pytestmark = pytest.mark.plan_fallback("abstract_type")


async def applied(sign_in, code: str) -> tuple[object, str]:
    staff = await sign_in("MUNICIPALITY", municipality=code)
    payload = await staff.accepted(APPLY, {"input": {"allianceSlug": "expo2025", "tier": "SUPPORTING"}})
    return staff, payload["membership"]["id"]


async def test_an_approved_applicant_is_told_in_its_language(sign_in):
    admin = await sign_in("ADMIN")
    staff, membership = await applied(sign_in, SAPPORO)

    before = (await staff.data(NOTIFICATIONS))["notifications"]["totalCount"]
    await admin.accepted(DECISION % "approveMembership", {"id": membership})
    japanese = (await staff.reading("ja").data(NOTIFICATIONS))["notifications"]["nodes"]
    english = (await staff.reading("en").data(NOTIFICATIONS))["notifications"]["nodes"]

    assert before == 0
    assert [n["kind"] for n in japanese] == ["MEMBERSHIP_DECIDED"]
    assert japanese[0]["message"].startswith("札幌市の万博首長連合への入会が承認されました（賛助会員、")
    assert english[0]["message"].startswith("Sapporo City's application to join")
    assert "was approved (Supporting member, from " in english[0]["message"]
    assert japanese[0]["subject"] == {"__typename": "Membership", "id": membership, "status": "ACTIVE"}


async def test_a_rejected_applicant_is_told_and_no_other_municipality_is(sign_in):
    admin = await sign_in("ADMIN")
    staff, membership = await applied(sign_in, SAPPORO)
    other = await sign_in("MUNICIPALITY", municipality=TAKAISHI)

    await admin.accepted(DECISION % "rejectMembership", {"id": membership})

    (notification,) = (await staff.data(NOTIFICATIONS))["notifications"]["nodes"]
    assert notification["message"] == "札幌市の万博首長連合への入会申込は承認されませんでした。"
    assert (await other.data(NOTIFICATIONS))["notifications"]["totalCount"] == 0
