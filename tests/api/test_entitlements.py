"""One rule decides what each tier may do (`resolvers.entitlements`): the refusals of the API and
what the pages show before a form is filled in (`audienceByTier`, `benefits`) say the same."""

import pytest

from tests.api.test_events import REGISTER, RYUGASAKI, SAPPORO, TAKAISHI, new_event
from tests.api.test_offerings import REQUEST, new_offering

EVENT_AUDIENCE = """
query($id: ID!) { node(id: $id) { ... on Event { audienceByTier { tier admitted code reason } } } }"""
OFFERING_AUDIENCE = """
query($id: ID!) { node(id: $id) { ... on Offering { audienceByTier { tier admitted code reason } } } }"""
BENEFITS = """
{ viewer { municipality { memberships { alliance { slug } tier benefits { benefit included reason } } } } }"""
CODES = {"FULL": TAKAISHI, "SUPPORTING": RYUGASAKI, None: SAPPORO}

# `node` returns the Node interface (graphql-core resolves the runtime types).
pytestmark = pytest.mark.plan_fallback("abstract_type")


@pytest.fixture
async def admin(sign_in):
    return await sign_in("ADMIN")


async def refusal(sign_in, code: str, mutation: str, id: str, language: str) -> tuple[str, str] | None:
    staff = (await sign_in("MUNICIPALITY", municipality=code)).reading(language)
    errors = (await staff.mutate(mutation, {"id": id}))["userErrors"]
    return (errors[0]["code"], errors[0]["message"]) if errors else None


def shown(admissions: list[dict]) -> dict:
    return {row["tier"]: (row["code"], row["reason"]) if not row["admitted"] else None for row in admissions}


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize(
    "event",
    [
        {"kind": "WORKSHOP", "format": "ONSITE", "venue": "大阪", "audience": "ALL_MEMBERS"},
        {"kind": "SEMINAR", "format": "HYBRID", "venue": "大阪", "audience": "ALL_MEMBERS"},
        {"kind": "SEMINAR", "format": "ONLINE", "audience": "FULL_MEMBERS"},
        {"kind": "CONFERENCE", "format": "ONSITE", "venue": "夢洲", "audience": "PUBLIC"},
    ],
)
async def test_an_event_shows_each_tier_the_refusal_it_would_get(sign_in, admin, event, language):
    id = await new_event(admin, **event)

    admissions = (await admin.reading(language).data(EVENT_AUDIENCE, {"id": id}))["node"]["audienceByTier"]
    refusals = {tier: await refusal(sign_in, code, REGISTER, id, language) for tier, code in CODES.items()}

    assert shown(admissions) == refusals


async def test_an_all_members_workshop_held_onsite_tells_a_supporting_member_why_not(admin):
    id = await new_event(admin, kind="WORKSHOP", format="ONSITE", venue="大阪", audience="ALL_MEMBERS")

    admissions = (await admin.reading("en").data(EVENT_AUDIENCE, {"id": id}))["node"]["audienceByTier"]

    assert [(row["tier"], row["admitted"]) for row in admissions] == [("FULL", True), ("SUPPORTING", False), (None, False)]
    reason = admissions[1]["reason"]
    assert "for full members" not in reason and "seminars that can be attended online" in reason


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("audience", ["FULL_MEMBERS", "ALL_MEMBERS", "PUBLIC"])
async def test_an_offering_shows_each_tier_the_refusal_it_would_get(sign_in, admin, audience, language):
    id = await new_offering(admin, audience=audience)

    admissions = (await admin.reading(language).data(OFFERING_AUDIENCE, {"id": id}))["node"]["audienceByTier"]
    refusals = {tier: await refusal(sign_in, code, REQUEST, id, language) for tier, code in CODES.items()}

    assert shown(admissions) == refusals


async def test_a_supporting_member_reads_which_benefits_its_tier_lacks_and_why(sign_in):
    staff = (await sign_in("MUNICIPALITY", municipality=RYUGASAKI)).reading("en")

    (membership,) = [
        m for m in (await staff.data(BENEFITS))["viewer"]["municipality"]["memberships"] if m["alliance"]["slug"] == "expo2025"
    ]

    assert membership["tier"] == "SUPPORTING"
    included = {row["benefit"]: row["included"] for row in membership["benefits"]}
    assert included == {
        "BULLETIN": True, "ONLINE_SEMINARS": True, "WORKING_GROUPS": False,
        "PROJECTS": False, "PARTNER_OFFERINGS": False, "SECRETARIAT_SUPPORT": False,
    }
    reasons = {row["benefit"]: row["reason"] for row in membership["benefits"]}
    assert reasons["BULLETIN"] is None
    assert "open to all members or to the public" in reasons["PARTNER_OFFERINGS"]


async def test_a_full_member_has_every_benefit(sign_in):
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)

    memberships = (await staff.data(BENEFITS))["viewer"]["municipality"]["memberships"]

    assert all(row["included"] and row["reason"] is None for m in memberships if m["tier"] == "FULL" for row in m["benefits"])
