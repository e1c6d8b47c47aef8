"""Introductions between peer municipalities: asked for with a message, notified to the peer,
accepted or declined; once accepted each side sees the other's named contact, and nobody else
does (a third municipality, a partner, an anonymous caller)."""

import datetime as dt

import pytest

from models import AuditEntry, Contact, ContactRole, Municipality

TAKAISHI, NANTO, MURORAN = "272256", "162108", "012050"  # full members
RYUGASAKI = "082082"  # a supporting member
SAPPORO = "011002"  # not a member

REQUEST = """
mutation($peer: String!, $message: String!) { requestIntroduction(input: {peerCode: $peer, message: $message}) {
  introduction { id status message requester { code } peer { code } peerContact { name } }
  userErrors { field code message } } }"""
ANSWER = """
mutation($id: ID!, $accept: Boolean!) { answerIntroduction(input: {introductionId: $id, accept: $accept}) {
  introduction { id status answeredAt } userErrors { field code message } } }"""
SHOWN = """
query($id: ID!) { node(id: $id) { ... on Introduction { status requester { code } peer { code }
  requesterContact { name email } peerContact { name email } } } }"""
LIST = """
query($direction: IntroductionDirection, $first: Int, $after: String) {
  introductions(direction: $direction, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id requester { code } peer { code } } } }"""
NOTIFICATIONS = "{ notifications(first: 10) { nodes { kind message subject { __typename ... on Introduction { id } } } } }"

# `node` and a notification's `subject` are the Node interface (graphql-core resolves the runtime types).
pytestmark = pytest.mark.plan_fallback("abstract_type")


async def named_contact(code: str, name: str) -> None:
    municipality = await Municipality.get(code=code)
    await Contact.filter(municipality_id=municipality.id).update(ended_on=dt.date(2026, 3, 31))
    await Contact.create(
        municipality_id=municipality.id, role=ContactRole.MAIN, name=name, email=f"{code}@example.jp",
        fiscal_year=2026, started_on=dt.date(2026, 4, 1),
    )


@pytest.fixture
async def staff(sign_in):
    async def of(code: str):
        return await sign_in("MUNICIPALITY", municipality=code)

    return of


async def requested(staff, requester: str = TAKAISHI, peer: str = NANTO) -> str:
    payload = await (await staff(requester)).accepted(REQUEST, {"peer": peer, "message": "防災DXの取組を伺いたいです。"})
    return payload["introduction"]["id"]


async def test_a_member_asks_for_an_introduction_and_the_peer_is_told(staff):
    takaishi, nanto = await staff(TAKAISHI), await staff(NANTO)

    payload = await takaishi.accepted(REQUEST, {"peer": NANTO, "message": "防災DXの取組を伺いたいです。"})
    told = (await nanto.data(NOTIFICATIONS))["notifications"]["nodes"]
    entry = await AuditEntry.get(action="requestIntroduction")

    introduction = payload["introduction"]
    assert (introduction["status"], introduction["requester"], introduction["peer"]) == (
        "REQUESTED", {"code": TAKAISHI}, {"code": NANTO}
    )
    assert introduction["peerContact"] is None
    assert [(n["kind"], n["message"], n["subject"]) for n in told] == [
        ("INTRODUCTION_REQUESTED", "高石市から紹介の依頼が届きました。", {"__typename": "Introduction", "id": introduction["id"]})
    ]
    assert entry.outcome == "ACCEPTED" and entry.target.startswith("Introduction:")


@pytest.mark.parametrize(
    ("requester", "peer", "message", "expected"),
    [
        (TAKAISHI, TAKAISHI, "x", [("INVALID", ["input", "peerCode"])]),
        (TAKAISHI, SAPPORO, "x", [("NOT_A_MEMBER", ["input", "peerCode"])]),
        (SAPPORO, TAKAISHI, "x", [("NOT_A_MEMBER", None)]),
        (TAKAISHI, NANTO, "  ", [("INVALID", ["input", "message"])]),
        (TAKAISHI, "999999", "x", [("NOT_FOUND", ["input", "peerCode"])]),
    ],
)
async def test_a_request_is_refused_with_the_reason(staff, requester, peer, message, expected):
    payload = await (await staff(requester)).mutate(REQUEST, {"peer": peer, "message": message})

    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == expected
    assert all(e["message"] for e in payload["userErrors"])
    entry = await AuditEntry.get(action="requestIntroduction")
    assert (entry.outcome, entry.errors) == ("REFUSED", [code for code, _ in expected])


async def test_one_open_request_per_pair_either_way(staff):
    await requested(staff)

    assert await (await staff(TAKAISHI)).refused(REQUEST, {"peer": NANTO, "message": "再度"}) == ["ALREADY_REQUESTED"]
    assert await (await staff(NANTO)).refused(REQUEST, {"peer": TAKAISHI, "message": "こちらからも"}) == ["ALREADY_REQUESTED"]


async def test_partners_and_anonymous_callers_cannot_ask(gql, sign_in):
    partner = await sign_in("PARTNER", partner="sompo-holdings")

    assert await partner.refused(REQUEST, {"peer": NANTO, "message": "x"}) == ["FORBIDDEN"]
    assert await gql.refused(REQUEST, {"peer": NANTO, "message": "x"}) == ["UNAUTHENTICATED"]


async def test_only_the_peer_answers_and_only_once(staff):
    id = await requested(staff)

    assert await (await staff(TAKAISHI)).refused(ANSWER, {"id": id, "accept": True}) == ["NOT_FOUND"]
    assert await (await staff(MURORAN)).refused(ANSWER, {"id": id, "accept": True}) == ["NOT_FOUND"]
    declined = await (await staff(NANTO)).accepted(ANSWER, {"id": id, "accept": False})
    again = await (await staff(NANTO)).refused(ANSWER, {"id": id, "accept": True})
    told = (await (await staff(TAKAISHI)).data(NOTIFICATIONS))["notifications"]["nodes"]

    assert declined["introduction"]["status"] == "DECLINED" and again == ["INVALID_TRANSITION"]
    assert [n["message"] for n in told] == ["南砺市は紹介の依頼を辞退しました。"]
    assert await AuditEntry.filter(action="answerIntroduction", outcome="ACCEPTED").count() == 1


async def test_once_accepted_each_side_sees_the_others_contact_and_nobody_else_does(gql, sign_in, staff):
    await named_contact(TAKAISHI, "高石 太郎")
    await named_contact(NANTO, "南砺 花子")
    id = await requested(staff)
    takaishi, nanto, muroran = await staff(TAKAISHI), await staff(NANTO), await staff(MURORAN)
    partner, admin = await sign_in("PARTNER", partner="sompo-holdings"), await sign_in("ADMIN")

    before = (await takaishi.data(SHOWN, {"id": id}))["node"]
    await nanto.accepted(ANSWER, {"id": id, "accept": True})
    seen = {name: (await client.data(SHOWN, {"id": id}))["node"]
            for name, client in (("takaishi", takaishi), ("nanto", nanto), ("admin", admin), ("muroran", muroran),
                                 ("partner", partner), ("anonymous", gql))}
    told = (await takaishi.data(NOTIFICATIONS))["notifications"]["nodes"]

    assert (before["requesterContact"], before["peerContact"]) == (None, None)
    for side in ("takaishi", "nanto", "admin"):
        assert seen[side]["peerContact"] == {"name": "南砺 花子", "email": f"{NANTO}@example.jp"}
        assert seen[side]["requesterContact"] == {"name": "高石 太郎", "email": f"{TAKAISHI}@example.jp"}
    assert (seen["muroran"], seen["partner"], seen["anonymous"]) == (None, None, None)
    assert told[0]["message"] == "南砺市が紹介の依頼を承諾しました。担当者の連絡先をご確認いただけます。"


# Steps aside: the anonymous caller's error in Query.introductions, as the test means.
@pytest.mark.plan_fallback("field_error")
async def test_lists_of_received_and_sent_are_paged_and_private(gql, sign_in, staff):
    await requested(staff, TAKAISHI, NANTO)
    await requested(staff, MURORAN, NANTO)
    await requested(staff, NANTO, RYUGASAKI)
    nanto, muroran = await staff(NANTO), await staff(MURORAN)
    partner = await sign_in("PARTNER", partner="sompo-holdings")

    first = (await nanto.data(LIST, {"direction": "RECEIVED", "first": 1}))["introductions"]
    second = (await nanto.data(LIST, {"direction": "RECEIVED", "first": 1, "after": first["pageInfo"]["endCursor"]}))["introductions"]
    sent = (await nanto.data(LIST, {"direction": "SENT", "first": 10}))["introductions"]

    assert first["totalCount"] == 2 and first["pageInfo"]["hasNextPage"]
    assert [n["requester"]["code"] for n in first["nodes"] + second["nodes"]] == [MURORAN, TAKAISHI]
    assert [n["peer"]["code"] for n in sent["nodes"]] == [RYUGASAKI]
    assert (await muroran.data(LIST, {"direction": "RECEIVED"}))["introductions"]["totalCount"] == 0
    assert (await partner.data(LIST, {}))["introductions"]["totalCount"] == 0
    assert (await gql.errors(LIST, {}))[0]["extensions"]["code"] == "UNAUTHENTICATED"


PEERS = """query($code: String!) { municipality(code: $code) {
  peers(themeNumber: 8, first: 50) { municipality { code } introduction { status requester { code } peer { code } } } } }"""


async def test_a_recommended_peer_shows_the_request_between_the_two_to_them_and_the_secretariat_only(
    gql, sign_in, staff
):
    takaishi = await staff(TAKAISHI)
    peers = (await takaishi.data(PEERS, {"code": TAKAISHI}))["municipality"]["peers"]
    asked, other = peers[0]["municipality"]["code"], peers[1]["municipality"]["code"]
    await requested(staff, TAKAISHI, asked)
    partner, admin, muroran = await sign_in("PARTNER", partner="sompo-holdings"), await sign_in("ADMIN"), await staff(MURORAN)

    def introductions(client_peers: list[dict]) -> dict[str, dict | None]:
        return {p["municipality"]["code"]: p["introduction"] for p in client_peers}

    seen = {name: introductions((await client.data(PEERS, {"code": TAKAISHI}))["municipality"]["peers"])
            for name, client in (("takaishi", takaishi), ("admin", admin), ("muroran", muroran),
                                 ("partner", partner), ("anonymous", gql))}

    expected = {"status": "REQUESTED", "requester": {"code": TAKAISHI}, "peer": {"code": asked}}
    assert seen["takaishi"][asked] == seen["admin"][asked] == expected
    assert seen["takaishi"][other] is None, "no request with that peer"
    for outsider in ("muroran", "partner", "anonymous"):
        assert set(seen[outsider].values()) == {None}, outsider
