"""Challenges and proposals: who may do what, and in which order."""

import datetime as dt

import pytest

from models import Challenge
from resolvers.calendar import today as japan_today
from tests.api.test_government_pitch import CREATE, PUBLISH, SELECT, SUBMIT, challenge_input

UPDATE = """
mutation($input: UpdateChallengeInput!) {
  updateChallenge(input: $input) { challenge { title } userErrors { field code message } }
}"""
REQUEST_REVIEW = """
mutation($id: ID!) { requestChallengeReview(input: {challengeId: $id}) { challenge { status } userErrors { code } } }"""
REVIEW = """
mutation($input: ReviewChallengeInput!) {
  reviewChallenge(input: $input) { challenge { status review { outcome comment } } userErrors { field code } }
}"""
WITHDRAW = """
mutation($id: ID!) { withdrawChallenge(input: {challengeId: $id}) { challenge { status } userErrors { code } } }"""
WITHDRAW_PROPOSAL = """
mutation($id: ID!) { withdrawProposal(input: {proposalId: $id}) { proposal { status } userErrors { code } } }"""
ADVANCE = """
mutation($input: AdvanceProjectInput!) {
  advanceProject(input: $input) { proposal { project { phase } } userErrors { field code message } }
}"""
END_PROJECT = """
mutation($id: ID!, $reason: String!) {
  endProject(input: {proposalId: $id, reason: $reason}) { proposal { project { phase endedReason } } userErrors { field code } }
}"""
REVIEW_SEEN = "query($id: ID!) { node(id: $id) { ... on Challenge { status review { outcome comment } } } }"
LIST = "{ challenges(first: 50) { totalCount nodes { id status } } }"
SEARCH = 'query($q: String!) { search(query: $q, kinds: [CHALLENGE]) { nodes { ... on Challenge { title } } } }'
PROPOSALS = "{ proposals { totalCount } }"

TAKAISHI, NANTO, RYUGASAKI, SAPPORO = "272256", "162108", "082082", "011002"


@pytest.fixture
async def city(sign_in):
    return await sign_in("MUNICIPALITY", municipality=TAKAISHI)


@pytest.fixture
async def published(city) -> str:
    id = (await city.accepted(CREATE, {"input": challenge_input()}))["challenge"]["id"]
    await city.accepted(PUBLISH, {"id": id})
    return id


@pytest.fixture
async def selected(city, published, sign_in) -> str:
    partner = await sign_in("PARTNER", partner="sompo-holdings")
    proposal = (await partner.accepted(SUBMIT, {"id": published, "title": "防災の提案"}))["proposal"]["id"]
    await city.accepted(SELECT, {"id": proposal})
    return proposal


@pytest.mark.parametrize(
    ("code", "expected"), [(RYUGASAKI, "NOT_A_FULL_MEMBER"), (SAPPORO, "NOT_A_MEMBER")]
)
async def test_only_full_members_draft_challenges(sign_in, code, expected):
    staff = await sign_in("MUNICIPALITY", municipality=code)
    assert await staff.refused(CREATE, {"input": challenge_input()}) == [expected]


async def test_partners_and_the_secretariat_do_not_draft_challenges(sign_in):
    for caller in (await sign_in("PARTNER", partner="sompo-holdings"), await sign_in("ADMIN")):
        assert await caller.refused(CREATE, {"input": challenge_input()}) == ["FORBIDDEN"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  "}, ["input", "title"]),
        ({"themeNumbers": [11]}, ["input", "themeNumbers"]),
        ({"attachments": [{"title": "x", "url": "javascript:alert(1)"}]}, ["input", "attachments"]),
        ({"attachments": [{"title": "x", "url": f"https://e.jp/{i}"} for i in range(11)]}, ["input", "attachments"]),
    ],
)
async def test_bad_drafts_are_refused_naming_the_field(city, fields, field):
    payload = await city.mutate(CREATE, {"input": challenge_input(**fields)})
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [("INVALID", field)]


async def test_a_challenge_needs_a_future_deadline_and_a_theme_to_be_published(city):
    past = (japan_today() - dt.timedelta(days=1)).isoformat()
    id = (await city.accepted(CREATE, {"input": challenge_input(deadline=past)}))["challenge"]["id"]
    assert await city.refused(PUBLISH, {"id": id}) == ["INVALID"]
    await city.accepted(UPDATE, {"input": {"challengeId": id, "deadline": japan_today().isoformat(), "themeNumbers": []}})
    assert await city.refused(PUBLISH, {"id": id}) == ["INVALID"]
    await city.accepted(UPDATE, {"input": {"challengeId": id, "themeNumbers": [8, 2]}})
    await city.accepted(PUBLISH, {"id": id})
    assert await city.refused(UPDATE, {"input": {"challengeId": id, "title": "後から変更"}}) == ["INVALID_TRANSITION"]


async def test_drafts_are_seen_only_by_their_municipality_and_the_secretariat(city, sign_in, gql):
    id = (await city.accepted(CREATE, {"input": challenge_input()}))["challenge"]["id"]
    other_city = await sign_in("MUNICIPALITY", municipality=NANTO)
    partner = await sign_in("PARTNER", partner="sompo-holdings")
    for caller, sees in ((city, True), (await sign_in("ADMIN"), True), (other_city, False), (partner, False), (gql, False)):
        ids = [n["id"] for n in (await caller.data(LIST))["challenges"]["nodes"]]
        assert (id in ids) is sees
    assert await other_city.refused(PUBLISH, {"id": id}) == ["NOT_FOUND"]
    assert await partner.refused(SUBMIT, {"id": id, "title": "下書きへの提案"}) == ["NOT_FOUND"]


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_the_secretariat_review_holds_publication_until_answered(city, sign_in):
    admin = await sign_in("ADMIN")
    id = (await city.accepted(CREATE, {"input": challenge_input()}))["challenge"]["id"]
    await city.accepted(REQUEST_REVIEW, {"id": id})
    assert await city.refused(PUBLISH, {"id": id}) == ["INVALID_TRANSITION"]
    assert await city.refused(UPDATE, {"input": {"challengeId": id, "title": "改題"}}) == ["INVALID_TRANSITION"]
    assert await city.refused(REVIEW, {"input": {"challengeId": id, "outcome": "APPROVED"}}) == ["FORBIDDEN"]

    returned = await admin.mutate(REVIEW, {"input": {"challengeId": id, "outcome": "RETURNED"}})
    assert [(e["code"], e["field"]) for e in returned["userErrors"]] == [("INVALID", ["input", "comment"])]
    returned = await admin.accepted(REVIEW, {"input": {"challengeId": id, "outcome": "RETURNED", "comment": "予算欄を具体的に"}})
    assert returned["challenge"] == {"status": "DRAFT", "review": {"outcome": "RETURNED", "comment": "予算欄を具体的に"}}
    await city.accepted(REQUEST_REVIEW, {"id": id})
    await admin.accepted(REVIEW, {"input": {"challengeId": id, "outcome": "APPROVED"}})
    await city.accepted(PUBLISH, {"id": id})

    partner = await sign_in("PARTNER", partner="sompo-holdings")
    assert (await partner.data(REVIEW_SEEN, {"id": id}))["node"] == {"status": "PUBLISHED", "review": None}
    assert (await city.data(REVIEW_SEEN, {"id": id}))["node"]["review"] == {"outcome": "APPROVED", "comment": None}


async def test_proposals_close_with_the_deadline_and_the_challenge(city, published, sign_in):
    partner = await sign_in("PARTNER", partner="sompo-holdings")
    challenge = await Challenge.get(title=challenge_input()["title"])
    challenge.deadline = japan_today() - dt.timedelta(days=1)
    await challenge.save()
    assert await partner.refused(SUBMIT, {"id": published, "title": "遅れた提案"}) == ["OUTSIDE_PERIOD"]

    challenge.deadline = japan_today()
    await challenge.save()
    await partner.accepted(SUBMIT, {"id": published, "title": "締切当日の提案"})
    assert await partner.refused(SUBMIT, {"id": published, "title": "二つ目"}) == ["ALREADY_EXISTS"]
    await city.accepted("mutation($id: ID!) { closeChallenge(input: {challengeId: $id}) { userErrors { code } } }", {"id": published})
    late = await sign_in("PARTNER", partner="mori-building")
    assert await late.refused(SUBMIT, {"id": published, "title": "閉鎖後"}) == ["INVALID_TRANSITION"]


async def test_only_the_owner_municipality_selects(published, sign_in):
    partner = await sign_in("PARTNER", partner="sompo-holdings")
    proposal = (await partner.accepted(SUBMIT, {"id": published, "title": "提案"}))["proposal"]["id"]
    assert await (await sign_in("MUNICIPALITY", municipality=NANTO)).refused(SELECT, {"id": proposal}) == ["NOT_FOUND"]
    assert await partner.refused(SELECT, {"id": proposal}) == ["FORBIDDEN"]
    assert await (await sign_in("ADMIN")).refused(SELECT, {"id": proposal}) == ["FORBIDDEN"]


async def test_a_partner_may_withdraw_its_undecided_proposal_only(city, published, sign_in):
    partner = await sign_in("PARTNER", partner="sompo-holdings")
    other = await sign_in("PARTNER", partner="mori-building")
    proposal = (await partner.accepted(SUBMIT, {"id": published, "title": "提案"}))["proposal"]["id"]
    assert await other.refused(WITHDRAW_PROPOSAL, {"id": proposal}) == ["NOT_FOUND"]
    assert (await partner.accepted(WITHDRAW_PROPOSAL, {"id": proposal}))["proposal"]["status"] == "WITHDRAWN"
    assert await city.refused(SELECT, {"id": proposal}) == ["INVALID_TRANSITION"]


async def test_project_phases_go_only_in_order(city, selected):
    publish_case = """
    mutation($id: ID!) { publishProjectCaseStudy(input: {proposalId: $id, summary: "概要"}) { userErrors { code } } }"""
    assert await city.refused(publish_case, {"id": selected}) == ["INVALID_TRANSITION"]
    skip = {"proposalId": selected, "phase": "COMMERCIALISATION"}
    assert await city.refused(ADVANCE, {"input": skip}) == ["INVALID_TRANSITION"]
    no_plan = await city.mutate(ADVANCE, {"input": {"proposalId": selected, "phase": "PILOT"}})
    assert [(e["code"], e["field"]) for e in no_plan["userErrors"]] == [("INVALID", ["input", "pilot"])]
    pilot = {"startsOn": japan_today().isoformat(), "scale": "1地区"}
    await city.accepted(ADVANCE, {"input": {"proposalId": selected, "phase": "PILOT", "pilot": pilot}})
    assert await city.refused(ADVANCE, {"input": {"proposalId": selected, "phase": "DEFINING"}}) == ["INVALID_TRANSITION"]
    assert await city.refused(ADVANCE, {"input": skip}) == ["INVALID_TRANSITION"], "the pilot has not ended"

    assert await city.refused(END_PROJECT, {"id": selected, "reason": " "}) == ["INVALID"]
    ended = await city.accepted(END_PROJECT, {"id": selected, "reason": "予算がつかなかった"})
    assert ended["proposal"]["project"] == {"phase": "ENDED", "endedReason": "予算がつかなかった"}
    assert await city.refused(ADVANCE, {"input": skip}) == ["INVALID_TRANSITION"]


# Steps aside: `search` returns the SearchResult union (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_withdrawing_a_challenge_takes_it_out_of_sight_and_search(city, published, sign_in, gql):
    assert (await gql.data(SEARCH, {"q": "津波避難"}))["search"]["nodes"] == [{"title": "津波避難の高齢者支援"}]
    partner = await sign_in("PARTNER", partner="sompo-holdings")
    proposal = (await partner.accepted(SUBMIT, {"id": published, "title": "提案"}))["proposal"]["id"]

    assert (await city.accepted(WITHDRAW, {"id": published}))["challenge"]["status"] == "WITHDRAWN"
    assert (await gql.data(SEARCH, {"q": "津波避難"}))["search"]["nodes"] == []
    assert published not in [n["id"] for n in (await partner.data(LIST))["challenges"]["nodes"]]
    assert await city.refused(SELECT, {"id": proposal}) == ["INVALID_TRANSITION"]


async def test_a_challenge_with_a_selected_proposal_cannot_be_withdrawn(city, published, selected):
    assert await city.refused(WITHDRAW, {"id": published}) == ["INVALID_TRANSITION"]


# Steps aside: an error in Query.proposals, as the test means (graphql-core reports it with its
# path).
@pytest.mark.plan_fallback("field_error")
async def test_anonymous_callers_cannot_list_proposals(gql):
    (error,) = await gql.errors(PROPOSALS)
    assert error["extensions"]["code"] == "UNAUTHENTICATED"


async def test_anonymous_callers_get_challenges_without_their_proposals(gql, sign_in, published, selected):
    query = "{ challenges(first: 5) { nodes { id proposalCount proposals(first: 5) { totalCount nodes { id } } } } }"
    outsider = await sign_in("PARTNER", partner="mori-building")

    anonymous = await gql.data(query)

    assert anonymous == await outsider.data(query)
    assert anonymous["challenges"]["nodes"] == [
        {"id": published, "proposalCount": 1, "proposals": {"totalCount": 0, "nodes": []}}
    ]
