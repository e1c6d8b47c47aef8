"""The government pitch (seed 004) end to end through the API: a municipality publishes a
challenge, three partners propose without seeing each other, two are selected, a project runs
its pilot, is commercialised and published as a case study, and another municipality adopts it."""

import datetime as dt

import pytest

from resolvers.calendar import today as japan_today

CREATE = """
mutation($input: CreateChallengeInput!) {
  createChallenge(input: $input) { challenge { id status } userErrors { field code message } }
}"""
PUBLISH = """
mutation($id: ID!) {
  publishChallenge(input: {challengeId: $id}) { challenge { id status isOpen publishedAt } userErrors { field code message } }
}"""
CLOSE = """
mutation($id: ID!) { closeChallenge(input: {challengeId: $id}) { challenge { status } userErrors { code } } }"""
SUBMIT = """
mutation($id: ID!, $title: String!) {
  submitProposal(input: {challengeId: $id, title: $title, summary: "提案の概要"}) {
    proposal { id status partner { slug } challenge { title } } userErrors { field code message }
  }
}"""
SHORTLIST = """
mutation($id: ID!) { shortlistProposal(input: {proposalId: $id}) { proposal { status } userErrors { code } } }"""
SELECT = """
mutation($id: ID!) {
  selectProposal(input: {proposalId: $id}) { proposal { status project { phase } } userErrors { code } }
}"""
ADVANCE = """
mutation($input: AdvanceProjectInput!) {
  advanceProject(input: $input) {
    proposal { project { phase pilot { startsOn endsOn scale result } } } userErrors { field code message }
  }
}"""
END_PILOT = """
mutation($input: EndPilotInput!) {
  endPilot(input: $input) { proposal { project { phase pilot { endsOn result } } } userErrors { field code message } }
}"""
CHALLENGE = """
query($id: ID!) {
  node(id: $id) { ... on Challenge {
    title status proposalCount municipality { code } themes { number }
    proposals(first: 10) { totalCount nodes { title partner { slug } } }
  } }
}"""
PROPOSALS = "{ proposals(first: 10) { totalCount nodes { id title status } } }"
NODE = "query($id: ID!) { node(id: $id) { id } }"
NOTIFICATIONS = "{ notifications(first: 20) { nodes { kind subject { id } } } }"
PUBLISH_CASE = """
mutation($input: PublishProjectCaseStudyInput!) {
  publishProjectCaseStudy(input: $input) {
    caseStudy { id slug title organisation outcome pitch { proposalsReceived proposalsSelected }
                themes { number } municipalities { code } partners { slug } }
    userErrors { field code message }
  }
}"""
ADOPT = """
mutation($id: ID!) {
  recordCaseStudyAdoption(input: {caseStudyId: $id, adoptedOn: "2026-11-01"}) { userErrors { code message } }
}"""
LIBRARY = """
query($q: String!) { caseStudies(filter: {search: $q}) { nodes { title adoptionCount adoptions { nodes { municipality { code } } } } } }"""
PROJECT_CASE = 'query($id: ID!) { node(id: $id) { ... on Proposal { project { caseStudy { slug } } } } }'
PUBLIC_LIST = '{ challenges(filter: {themeNumber: 8, openOnly: true}) { totalCount nodes { title municipality { code } } } }'

TAKAISHI = "272256"
PARTNERS = ("sompo-holdings", "kanko-yoho-platform", "mori-building")


def challenge_input(**fields) -> dict:
    return {
        "title": "津波避難の高齢者支援",
        "background": "沿岸部の高齢者の避難に時間がかかる。",
        "desiredOutcome": "避難開始までの時間を半分にする。",
        "themeNumbers": [8],
        "budgetNote": "実証は市の負担なし",
        "deadline": (japan_today() + dt.timedelta(days=30)).isoformat(),
        "attachments": [{"title": "募集要項", "url": "https://example.jp/pitch.pdf"}],
    } | fields


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_the_government_pitch_from_challenge_to_commercialisation(gql, sign_in):
    city = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    challenge = (await city.accepted(CREATE, {"input": challenge_input()}))["challenge"]
    assert challenge["status"] == "DRAFT"
    assert (await gql.data(NODE, {"id": challenge["id"]}))["node"] is None, "a draft is private"

    published = (await city.accepted(PUBLISH, {"id": challenge["id"]}))["challenge"]
    assert (published["status"], published["isOpen"]) == ("PUBLISHED", True)
    assert (await gql.data(PUBLIC_LIST))["challenges"]["nodes"] == [
        {"title": "津波避難の高齢者支援", "municipality": {"code": TAKAISHI}}
    ]

    partners = {slug: await sign_in("PARTNER", partner=slug) for slug in PARTNERS}
    proposals = {}
    for slug, partner in partners.items():
        payload = await partner.accepted(SUBMIT, {"id": challenge["id"], "title": f"{slug}の提案"})
        proposals[slug] = payload["proposal"]["id"]

    # No partner sees another's proposal, by any road.
    for slug, partner in partners.items():
        mine = (await partner.data(PROPOSALS))["proposals"]["nodes"]
        assert [p["title"] for p in mine] == [f"{slug}の提案"]
        seen = (await partner.data(CHALLENGE, {"id": challenge["id"]}))["node"]
        assert seen["proposalCount"] == 3
        assert [p["partner"]["slug"] for p in seen["proposals"]["nodes"]] == [slug]
        for other, id in proposals.items():
            if other != slug:
                assert (await partner.data(NODE, {"id": id}))["node"] is None
    seen_by_city = (await city.data(CHALLENGE, {"id": challenge["id"]}))["node"]
    assert seen_by_city["proposals"]["totalCount"] == 3
    received = [n for n in (await city.data(NOTIFICATIONS))["notifications"]["nodes"]]
    assert sorted(n["subject"]["id"] for n in received if n["kind"] == "PROPOSAL_RECEIVED") == sorted(proposals.values())

    first, second, third = (proposals[slug] for slug in PARTNERS)
    await city.accepted(SHORTLIST, {"id": first})
    await city.accepted(SHORTLIST, {"id": second})
    for id in (first, second):
        selected = (await city.accepted(SELECT, {"id": id}))["proposal"]
        assert selected == {"status": "SELECTED", "project": {"phase": "DEFINING"}}
    assert (await city.accepted(CLOSE, {"id": challenge["id"]}))["challenge"]["status"] == "CLOSED"

    statuses = {p["id"]: p["status"] for p in (await city.data(PROPOSALS))["proposals"]["nodes"]}
    assert statuses == {first: "SELECTED", second: "SELECTED", third: "NOT_SELECTED"}
    told = {
        slug: [n["kind"] for n in (await partner.data(NOTIFICATIONS))["notifications"]["nodes"]]
        for slug, partner in partners.items()
    }
    assert told == {
        PARTNERS[0]: ["PROPOSAL_SELECTED", "PROPOSAL_SHORTLISTED"],
        PARTNERS[1]: ["PROPOSAL_SELECTED", "PROPOSAL_SHORTLISTED"],
        PARTNERS[2]: ["PROPOSAL_NOT_SELECTED"],
    }

    started = japan_today() - dt.timedelta(days=90)
    pilot = {"startsOn": started.isoformat(), "scale": "沿岸3地区・高齢者200人"}
    project = (await city.accepted(ADVANCE, {"input": {"proposalId": first, "phase": "PILOT", "pilot": pilot}}))
    assert project["proposal"]["project"]["phase"] == "PILOT"
    ended = (await city.accepted(END_PILOT, {"input": {
        "proposalId": first, "endedOn": japan_today().isoformat(), "result": "避難開始が平均12分早まった"}}))
    assert ended["proposal"]["project"]["pilot"] == {"endsOn": japan_today().isoformat(), "result": "避難開始が平均12分早まった"}
    done = await city.accepted(ADVANCE, {"input": {"proposalId": first, "phase": "COMMERCIALISATION"}})
    assert done["proposal"]["project"]["phase"] == "COMMERCIALISATION"
    phases = [n["kind"] for n in (await partners[PARTNERS[0]].data(NOTIFICATIONS))["notifications"]["nodes"]]
    assert phases[:3] == ["PROJECT_PHASE_CHANGED"] * 3

    case = (await city.accepted(PUBLISH_CASE, {"input": {"proposalId": first, "summary": "沿岸地区で避難支援を実証し事業化した。"}}))["caseStudy"]
    assert case["pitch"] == {"proposalsReceived": 3, "proposalsSelected": 2}
    assert (case["outcome"], case["themes"], case["municipalities"], case["partners"]) == (
        "避難開始が平均12分早まった", [{"number": 8}], [{"code": TAKAISHI}], [{"slug": PARTNERS[0]}])
    assert await city.refused(PUBLISH_CASE, {"input": {"proposalId": first, "summary": "二度目"}}) == ["ALREADY_EXISTS"]
    assert (await city.data(PROJECT_CASE, {"id": first}))["node"]["project"]["caseStudy"] == {"slug": case["slug"]}

    neighbour = await sign_in("MUNICIPALITY", municipality="162108")
    await neighbour.accepted(ADOPT, {"id": case["id"]})
    (found,) = (await gql.data(LIBRARY, {"q": "つなみひなん"}))["caseStudies"]["nodes"]
    assert found == {"title": "津波避難の高齢者支援", "adoptionCount": 1,
                     "adoptions": {"nodes": [{"municipality": {"code": "162108"}}]}}
