"""Partners, offerings and offering requests: who may create, ask and answer, and by which rules."""

import pytest

CREATE_PARTNER = """
mutation($input: CreatePartnerInput!) {
  createPartner(input: $input) { partner { slug name kind } userErrors { field code message } }
}"""
CREATE_OFFERING = """
mutation($input: CreateOfferingInput!) {
  createOffering(input: $input) {
    offering { id title audience capacity placesLeft partner { slug } themes { number } }
    userErrors { field code message }
  }
}"""
UPDATE_OFFERING = """
mutation($input: UpdateOfferingInput!) {
  updateOffering(input: $input) {
    offering { id title capacity placesLeft } userErrors { field code message }
  }
}"""
REQUEST = """
mutation($id: ID!) {
  requestOffering(input: {offeringId: $id, message: "ぜひお願いします"}) {
    offeringRequest { id status message municipality { code } offering { id } }
    userErrors { field code message }
  }
}"""
RESPOND = """
mutation($id: ID!, $response: OfferingResponse!) {
  respondToOfferingRequest(input: {requestId: $id, response: $response, note: "承知しました"}) {
    offeringRequest { id status response respondedAt }
    userErrors { field code message }
  }
}"""
REQUESTS = """
query($offering: ID) {
  offeringRequests(first: 100, filter: {offeringId: $offering}) {
    totalCount nodes { id status municipality { code } offering { partner { slug } } }
  }
}"""
OFFERING = "query($id: ID!) { node(id: $id) { ... on Offering { title audience capacity placesLeft } } }"
PARTNER_OFFERINGS = 'query($slug: String!) { partner(slug: $slug) { offerings { id slug } } }'
PARTNER_COUNT = "{ partners { totalCount } }"

KANKO = "kanko-yoho-platform"  # offers kanko-yoho-demo-accounts: FULL_MEMBERS, capacity 20
TAKAISHI, NANTO = "272256", "162108"  # full, active members of expo2025
RYUGASAKI = "082082"  # a supporting, active member
SAPPORO = "011002"  # not a member


def faults(payload: dict) -> list[tuple[str, list[str] | None]]:
    """Each userError's code and the input field it blames."""
    return [(e["code"], e["field"]) for e in payload["userErrors"]]


def offering_input(**fields) -> dict:
    return {
        "title": "防災ドローン体験会",
        "kind": "WORKSHOP",
        "summary": "ドローンを使った災害時の情報収集を体験する。",
        "audience": "FULL_MEMBERS",
        "themeNumbers": [8],
        **fields,
    }


async def offering_id(gql, partner: str, slug: str) -> str:
    offerings = (await gql.data(PARTNER_OFFERINGS, {"slug": partner}))["partner"]["offerings"]
    return next(o["id"] for o in offerings if o["slug"] == slug)


async def new_offering(admin, partner: str = "sompo-holdings", **fields) -> str:
    """An offering the secretariat adds for `partner`, with `fields` overriding the defaults."""
    input = offering_input(partnerSlug=partner, **fields)
    payload = await admin.accepted(CREATE_OFFERING, {"input": input})
    return payload["offering"]["id"]


async def offering(gql, id: str) -> dict:
    return (await gql.data(OFFERING, {"id": id}))["node"]


async def requests_for(admin, id: str) -> list[dict]:
    return (await admin.data(REQUESTS, {"offering": id}))["offeringRequests"]["nodes"]


@pytest.fixture
async def admin(sign_in):
    return await sign_in("ADMIN")


@pytest.fixture
async def demo_accounts(gql) -> str:
    return await offering_id(gql, KANKO, "kanko-yoho-demo-accounts")


async def request(sign_in, code: str, id: str) -> dict:
    """A new staff member of `code` asks for the offering; returns the accepted request."""
    staff = await sign_in("MUNICIPALITY", municipality=code)
    return (await staff.accepted(REQUEST, {"id": id}))["offeringRequest"]


# --- createPartner -----------------------------------------------------------------------------


async def test_the_secretariat_adds_a_partner(gql, admin):
    input = {"slug": "tsunagu-lab", "name": "つなぐ研究所", "kind": "ASSOCIATION", "description": "地域連携の研究会。"}

    payload = await admin.accepted(CREATE_PARTNER, {"input": input})
    found = await gql.data('{ partner(slug: "tsunagu-lab") { name kind offerings { id } } }')

    assert payload["partner"] == {"slug": "tsunagu-lab", "name": "つなぐ研究所", "kind": "ASSOCIATION"}
    assert found["partner"] == {"name": "つなぐ研究所", "kind": "ASSOCIATION", "offerings": []}


async def test_a_partner_slug_already_taken_is_refused(gql, admin):
    before = await gql.data(PARTNER_COUNT)
    input = {"slug": "google", "name": "別のグーグル", "kind": "COMPANY", "description": "重複"}

    payload = await admin.mutate(CREATE_PARTNER, {"input": input})

    assert faults(payload) == [("ALREADY_EXISTS", ["input", "slug"])]
    assert payload["partner"] is None
    assert await gql.data(PARTNER_COUNT) == before


@pytest.mark.parametrize("slug", ["Tsunagu Lab", "x", "-lab", "つなぐ"])
async def test_a_malformed_partner_slug_is_refused(gql, admin, slug):
    before = await gql.data(PARTNER_COUNT)
    input = {"slug": slug, "name": "つなぐ研究所", "kind": "ASSOCIATION", "description": "地域連携の研究会。"}

    payload = await admin.mutate(CREATE_PARTNER, {"input": input})

    assert faults(payload) == [("INVALID", ["input", "slug"])]
    assert await gql.data(PARTNER_COUNT) == before


async def test_only_the_secretariat_adds_partners(gql, sign_in):
    input = {"slug": "tsunagu-lab", "name": "つなぐ研究所", "kind": "ASSOCIATION", "description": "地域連携の研究会。"}
    partner = await sign_in("PARTNER", partner="sompo-holdings")
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)

    assert await partner.refused(CREATE_PARTNER, {"input": input}) == ["FORBIDDEN"]
    assert await staff.refused(CREATE_PARTNER, {"input": input}) == ["FORBIDDEN"]
    assert await gql.refused(CREATE_PARTNER, {"input": input}) == ["UNAUTHENTICATED"]
    assert (await gql.data('{ partner(slug: "tsunagu-lab") { id } }'))["partner"] is None


# --- createOffering / updateOffering -----------------------------------------------------------


async def test_partner_staff_create_an_offering_for_their_own_organisation_found_by_search(gql, sign_in):
    partner = await sign_in("PARTNER", partner="sompo-holdings")

    payload = await partner.accepted(CREATE_OFFERING, {"input": offering_input(capacity=5)})
    found = await gql.data('{ offerings(filter: {search: "ドローン体験会"}) { nodes { id title } } }')

    created = payload["offering"]
    assert created["partner"] == {"slug": "sompo-holdings"}
    assert created["themes"] == [{"number": 8}]
    assert (created["capacity"], created["placesLeft"]) == (5, 5)
    assert found["offerings"]["nodes"] == [{"id": created["id"], "title": "防災ドローン体験会"}]


async def test_a_partner_cannot_create_an_offering_for_another_partner(gql, sign_in):
    partner = await sign_in("PARTNER", partner="sompo-holdings")
    before = await gql.data(PARTNER_OFFERINGS, {"slug": "google"})

    payload = await partner.mutate(CREATE_OFFERING, {"input": offering_input(partnerSlug="google")})

    assert faults(payload) == [("FORBIDDEN", ["input", "partnerSlug"])]
    assert await gql.data(PARTNER_OFFERINGS, {"slug": "google"}) == before


async def test_the_secretariat_must_name_the_partner_of_a_new_offering(admin):
    payload = await admin.mutate(CREATE_OFFERING, {"input": offering_input()})

    assert faults(payload) == [("INVALID", ["input", "partnerSlug"])]


async def test_an_offering_cannot_end_before_it_starts(gql, admin):
    before = await gql.data(PARTNER_OFFERINGS, {"slug": "sompo-holdings"})
    input = offering_input(partnerSlug="sompo-holdings", startsOn="2026-06-01", endsOn="2026-05-31")

    payload = await admin.mutate(CREATE_OFFERING, {"input": input})

    assert faults(payload) == [("INVALID", ["input", "endsOn"])]
    assert await gql.data(PARTNER_OFFERINGS, {"slug": "sompo-holdings"}) == before


@pytest.mark.parametrize("themes", [[0], [11], [8, 11]])
async def test_theme_numbers_outside_one_to_ten_are_refused(gql, admin, themes):
    before = await gql.data(PARTNER_OFFERINGS, {"slug": "sompo-holdings"})

    payload = await admin.mutate(
        CREATE_OFFERING, {"input": offering_input(partnerSlug="sompo-holdings", themeNumbers=themes)}
    )

    assert faults(payload) == [("INVALID", ["input", "themeNumbers"])]
    assert await gql.data(PARTNER_OFFERINGS, {"slug": "sompo-holdings"}) == before


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_an_update_with_a_bad_theme_changes_nothing(gql, sign_in, demo_accounts):
    partner = await sign_in("PARTNER", partner=KANKO)
    before = await offering(gql, demo_accounts)

    codes = await partner.refused(
        UPDATE_OFFERING, {"input": {"offeringId": demo_accounts, "title": "新しい題名", "themeNumbers": [3, 11]}}
    )

    assert codes == ["INVALID"]
    assert await offering(gql, demo_accounts) == before


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_partner_staff_update_their_own_offering(gql, sign_in, demo_accounts):
    partner = await sign_in("PARTNER", partner=KANKO)

    payload = await partner.accepted(
        UPDATE_OFFERING, {"input": {"offeringId": demo_accounts, "capacity": 30, "audience": "ALL_MEMBERS"}}
    )

    assert payload["offering"]["capacity"] == 30
    assert await offering(gql, demo_accounts) == {
        "title": "観光予報プラットフォームのデモアカウント無償提供",
        "audience": "ALL_MEMBERS",
        "capacity": 30,
        "placesLeft": 30,
    }


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_partner_updating_another_partners_offering_is_told_it_does_not_exist(
    gql, sign_in, demo_accounts
):
    google = await sign_in("PARTNER", partner="google")
    before = await offering(gql, demo_accounts)
    change = {"offeringId": demo_accounts, "capacity": 1}

    payload = await google.mutate(UPDATE_OFFERING, {"input": change})

    assert faults(payload) == [("NOT_FOUND", ["input", "offeringId"])]
    assert await offering(gql, demo_accounts) == before


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_capacity_cannot_fall_below_the_places_taken(gql, sign_in, admin, demo_accounts):
    await request(sign_in, TAKAISHI, demo_accounts)
    await request(sign_in, NANTO, demo_accounts)

    payload = await admin.mutate(UPDATE_OFFERING, {"input": {"offeringId": demo_accounts, "capacity": 1}})

    assert faults(payload) == [("INVALID", ["input", "capacity"])]
    assert payload["userErrors"][0]["message"] == "すでに2件の申込があります。"
    assert (await offering(gql, demo_accounts))["capacity"] == 20
    exactly = await admin.accepted(UPDATE_OFFERING, {"input": {"offeringId": demo_accounts, "capacity": 2}})
    assert (exactly["offering"]["capacity"], exactly["offering"]["placesLeft"]) == (2, 0)


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_an_offering_without_capacity_has_no_places_left_figure(gql, admin):
    id = await new_offering(admin)

    assert (await offering(gql, id))["placesLeft"] is None


# --- requestOffering ---------------------------------------------------------------------------


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_full_member_requests_an_offering_and_takes_a_place(gql, sign_in, demo_accounts):
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)

    payload = await staff.accepted(REQUEST, {"id": demo_accounts})
    mine = await staff.data(REQUESTS)

    assert payload["offeringRequest"]["status"] == "REQUESTED"
    assert payload["offeringRequest"]["municipality"] == {"code": TAKAISHI}
    assert payload["offeringRequest"]["offering"] == {"id": demo_accounts}
    assert [n["id"] for n in mine["offeringRequests"]["nodes"]] == [payload["offeringRequest"]["id"]]
    assert (await offering(gql, demo_accounts))["placesLeft"] == 19


async def test_a_supporting_member_is_refused_a_full_members_offering_and_told_why(
    sign_in, admin, demo_accounts
):
    staff = await sign_in("MUNICIPALITY", municipality=RYUGASAKI)

    payload = await staff.mutate(REQUEST, {"id": demo_accounts})

    assert [e["code"] for e in payload["userErrors"]] == ["OUTSIDE_AUDIENCE"]
    message = payload["userErrors"][0]["message"]
    assert message.startswith("この提供サービスは正会員向けです。") and "賛助会員" in message
    assert await requests_for(admin, demo_accounts) == []


async def test_a_supporting_member_may_request_an_all_members_offering(sign_in, admin):
    id = await new_offering(admin, audience="ALL_MEMBERS")

    created = await request(sign_in, RYUGASAKI, id)

    assert created["status"] == "REQUESTED"


@pytest.mark.parametrize("audience", ["ALL_MEMBERS", "FULL_MEMBERS"])
async def test_a_non_member_is_refused_an_offering_for_members(sign_in, admin, audience):
    id = await new_offering(admin, audience=audience)
    sapporo = await sign_in("MUNICIPALITY", municipality=SAPPORO)

    assert await sapporo.refused(REQUEST, {"id": id}) == ["OUTSIDE_AUDIENCE"]
    assert await requests_for(admin, id) == []


async def test_a_non_member_may_request_a_public_offering(gql, sign_in):
    public = await gql.data("{ offerings(first: 1, filter: {audience: PUBLIC}) { nodes { id } } }")
    (id,) = [n["id"] for n in public["offerings"]["nodes"]]

    created = await request(sign_in, SAPPORO, id)

    assert (created["status"], created["municipality"]) == ("REQUESTED", {"code": SAPPORO})


async def test_an_offering_that_has_ended_takes_no_requests(sign_in, admin):
    id = await new_offering(admin, startsOn="2021-04-01", endsOn="2022-03-31")
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)

    payload = await staff.mutate(REQUEST, {"id": id})

    assert [e["code"] for e in payload["userErrors"]] == ["OUTSIDE_PERIOD"]
    assert "2022-03-31" in payload["userErrors"][0]["message"]
    assert await requests_for(admin, id) == []


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_municipality_has_at_most_one_open_request_per_offering(
    gql, sign_in, admin, demo_accounts
):
    await request(sign_in, TAKAISHI, demo_accounts)
    colleague = await sign_in("MUNICIPALITY", municipality=TAKAISHI)

    assert await colleague.refused(REQUEST, {"id": demo_accounts}) == ["ALREADY_REQUESTED"]
    assert len(await requests_for(admin, demo_accounts)) == 1
    assert (await offering(gql, demo_accounts))["placesLeft"] == 19


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_full_offering_refuses_requests_until_a_decline_frees_a_place(gql, sign_in, admin):
    id = await new_offering(admin, partner=KANKO, capacity=1)
    first = await request(sign_in, TAKAISHI, id)
    nanto = await sign_in("MUNICIPALITY", municipality=NANTO)

    assert await nanto.refused(REQUEST, {"id": id}) == ["CAPACITY_REACHED"]
    assert (await offering(gql, id))["placesLeft"] == 0
    assert len(await requests_for(admin, id)) == 1

    partner = await sign_in("PARTNER", partner=KANKO)
    await partner.accepted(RESPOND, {"id": first["id"], "response": "DECLINE"})

    assert (await offering(gql, id))["placesLeft"] == 1
    assert (await nanto.accepted(REQUEST, {"id": id}))["offeringRequest"]["status"] == "REQUESTED"
    assert (await offering(gql, id))["placesLeft"] == 0


async def test_partner_staff_cannot_request_offerings(sign_in, admin, demo_accounts):
    partner = await sign_in("PARTNER", partner=KANKO)

    assert await partner.refused(REQUEST, {"id": demo_accounts}) == ["FORBIDDEN"]
    assert await requests_for(admin, demo_accounts) == []


async def test_anonymous_callers_are_told_to_sign_in_before_requesting(gql, admin, demo_accounts):
    assert await gql.refused(REQUEST, {"id": demo_accounts}) == ["UNAUTHENTICATED"]
    assert await requests_for(admin, demo_accounts) == []


async def test_a_read_only_token_cannot_request(sign_in, admin, demo_accounts):
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI, read_only=True)

    assert await staff.refused(REQUEST, {"id": demo_accounts}) == ["READ_ONLY_TOKEN"]
    assert await requests_for(admin, demo_accounts) == []


# --- respondToOfferingRequest ------------------------------------------------------------------


async def test_the_offering_partner_accepts_then_completes_a_request(sign_in, demo_accounts):
    created = await request(sign_in, TAKAISHI, demo_accounts)
    partner = await sign_in("PARTNER", partner=KANKO)

    accepted = await partner.accepted(RESPOND, {"id": created["id"], "response": "ACCEPT"})
    completed = await partner.accepted(RESPOND, {"id": created["id"], "response": "COMPLETE"})
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    seen = (await staff.data(REQUESTS))["offeringRequests"]["nodes"]

    assert accepted["offeringRequest"]["status"] == "ACCEPTED"
    assert completed["offeringRequest"]["status"] == "COMPLETED"
    assert completed["offeringRequest"]["response"] == "承知しました"
    assert completed["offeringRequest"]["respondedAt"] is not None
    assert [n["status"] for n in seen] == ["COMPLETED"]


async def test_another_partners_staff_are_told_the_request_does_not_exist(sign_in, admin, demo_accounts):
    created = await request(sign_in, TAKAISHI, demo_accounts)
    google = await sign_in("PARTNER", partner="google")

    payload = await google.mutate(RESPOND, {"id": created["id"], "response": "ACCEPT"})

    assert faults(payload) == [("NOT_FOUND", ["input", "requestId"])]
    assert [n["status"] for n in await requests_for(admin, demo_accounts)] == ["REQUESTED"]


async def test_a_declined_request_cannot_be_accepted(sign_in, admin, demo_accounts):
    created = await request(sign_in, TAKAISHI, demo_accounts)
    partner = await sign_in("PARTNER", partner=KANKO)
    await partner.accepted(RESPOND, {"id": created["id"], "response": "DECLINE"})
    accept = {"id": created["id"], "response": "ACCEPT"}

    assert await partner.refused(RESPOND, accept) == ["INVALID_TRANSITION"]
    assert [n["status"] for n in await requests_for(admin, demo_accounts)] == ["DECLINED"]


async def test_municipality_staff_cannot_answer_requests(sign_in, admin, demo_accounts):
    created = await request(sign_in, TAKAISHI, demo_accounts)
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)

    assert await staff.refused(RESPOND, {"id": created["id"], "response": "ACCEPT"}) == ["FORBIDDEN"]
    assert [n["status"] for n in await requests_for(admin, demo_accounts)] == ["REQUESTED"]


async def test_anonymous_callers_are_told_to_sign_in_before_answering(gql, sign_in, admin, demo_accounts):
    created = await request(sign_in, TAKAISHI, demo_accounts)

    assert await gql.refused(RESPOND, {"id": created["id"], "response": "DECLINE"}) == ["UNAUTHENTICATED"]
    assert [n["status"] for n in await requests_for(admin, demo_accounts)] == ["REQUESTED"]


async def test_a_read_only_partner_token_cannot_answer(sign_in, admin, demo_accounts):
    created = await request(sign_in, TAKAISHI, demo_accounts)
    partner = await sign_in("PARTNER", partner=KANKO, read_only=True)
    accept = {"id": created["id"], "response": "ACCEPT"}

    assert await partner.refused(RESPOND, accept) == ["READ_ONLY_TOKEN"]
    assert [n["status"] for n in await requests_for(admin, demo_accounts)] == ["REQUESTED"]


# --- who sees which requests -------------------------------------------------------------------


async def test_each_side_sees_only_its_own_requests(gql, sign_in, admin, demo_accounts):
    egao_club = await offering_id(gql, "sompo-holdings", "sompo-egao-club")
    takaishi = await request(sign_in, TAKAISHI, demo_accounts)
    nanto = await request(sign_in, NANTO, egao_club)

    async def seen_by(role: str, **organisation: str) -> list[str]:
        caller = await sign_in(role, **organisation)
        return [n["id"] for n in (await caller.data(REQUESTS))["offeringRequests"]["nodes"]]

    assert await seen_by("MUNICIPALITY", municipality=TAKAISHI) == [takaishi["id"]]
    assert await seen_by("MUNICIPALITY", municipality=NANTO) == [nanto["id"]]
    assert await seen_by("MUNICIPALITY", municipality=SAPPORO) == []
    assert await seen_by("PARTNER", partner=KANKO) == [takaishi["id"]]
    assert await seen_by("PARTNER", partner="sompo-holdings") == [nanto["id"]]
    assert await seen_by("PARTNER", partner="google") == []
    assert await seen_by("ADMIN") == [nanto["id"], takaishi["id"]]


# Steps aside: an error in Query.offeringRequests, as the test means (graphql-core reports it with
# its path).
@pytest.mark.plan_fallback("field_error")
async def test_anonymous_callers_cannot_list_offering_requests(gql):
    errors = await gql.errors(REQUESTS)

    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_node_shows_an_offering_request_only_to_those_who_may_see_it(gql, sign_in, demo_accounts):
    created = await request(sign_in, TAKAISHI, demo_accounts)
    query = "query($id: ID!) { node(id: $id) { ... on OfferingRequest { status } } }"

    async def node_as(role: str | None, **organisation: str):
        caller = await sign_in(role, **organisation) if role else gql
        return (await caller.data(query, {"id": created["id"]}))["node"]

    assert await node_as("MUNICIPALITY", municipality=TAKAISHI) == {"status": "REQUESTED"}
    assert await node_as("PARTNER", partner=KANKO) == {"status": "REQUESTED"}
    assert await node_as("ADMIN") == {"status": "REQUESTED"}
    assert await node_as("MUNICIPALITY", municipality=NANTO) is None
    assert await node_as("PARTNER", partner="google") is None
    assert await node_as(None) is None
