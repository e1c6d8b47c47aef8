"""Managing offerings: pausing, resuming and withdrawing them, the duplicate-title warning, the
partner's edit, and the contact a member names with a request (private until accepted)."""

import pytest

from tests.api.test_matching import RECOMMENDED, SOMA, publish
from tests.api.test_offerings import (
    CREATE_OFFERING,
    KANKO,
    NANTO,
    RESPOND,
    TAKAISHI,
    faults,
    offering_id,
    offering_input,
)

PAUSE = """
mutation($id: ID!) { pauseOffering(input: {offeringId: $id}) { offering { status } userErrors { field code message } } }"""
RESUME = """
mutation($id: ID!) { resumeOffering(input: {offeringId: $id}) { offering { status } userErrors { field code message } } }"""
WITHDRAW = """
mutation($id: ID!, $reason: String!) {
  withdrawOffering(input: {offeringId: $id, reason: $reason}) { offering { status } userErrors { field code message } }
}"""
UPDATE = """
mutation($input: UpdateOfferingInput!) { updateOffering(input: $input) { offering { title } userErrors { field code message } } }"""
UPDATE_PARTNER = """
mutation($input: UpdatePartnerInput!) {
  updatePartner(input: $input) { partner { slug name nameEn kind description } userErrors { field code message } }
}"""
REQUEST = """
mutation($id: ID!, $contact: ID) {
  requestOffering(input: {offeringId: $id, contactId: $contact}) {
    offeringRequest { id contact { name email } } userErrors { field code message }
  }
}"""
ADD_CONTACT = """
mutation($input: AddContactInput!) { addContact(input: $input) { contact { id } userErrors { code } } }"""
REQUEST_CONTACT = """
query($id: ID!) { node(id: $id) { ... on OfferingRequest { status contact { name email phone } } } }"""
OFFERINGS = """
query($status: OfferingStatus) { offerings(first: 100, filter: {partnerSlug: "kanko-yoho-platform", status: $status}) { nodes { id status } } }"""
AUDIT = """
query($action: String!) { auditLog(filter: {action: $action}) { nodes { outcome target changes errors } } }"""
NOTIFICATIONS = "{ notifications(first: 5) { nodes { kind message } } }"


@pytest.fixture
async def demo(gql) -> str:
    return await offering_id(gql, KANKO, "kanko-yoho-demo-accounts")


@pytest.fixture
async def kanko(sign_in):
    return await sign_in("PARTNER", partner=KANKO)


@pytest.fixture
async def takaishi(sign_in):
    return await sign_in("MUNICIPALITY", municipality=TAKAISHI)


async def add_contact(staff, name="高石 太郎") -> str:
    input = {"role": "MAIN", "name": name, "email": "taro@example.jp", "phone": "072-000-0000"}
    return (await staff.accepted(ADD_CONTACT, {"input": input}))["contact"]["id"]


# --- pause, resume, withdraw -------------------------------------------------------------------


async def test_a_partner_pauses_and_resumes_its_offering_and_a_paused_one_cannot_be_requested(
    kanko, takaishi, demo
):
    assert (await kanko.accepted(PAUSE, {"id": demo}))["offering"] == {"status": "PAUSED"}

    refused = await takaishi.mutate(REQUEST, {"id": demo})
    assert faults(refused) == [("OFFERING_UNAVAILABLE", None)]
    assert "一時停止" in refused["userErrors"][0]["message"]

    assert (await kanko.accepted(RESUME, {"id": demo}))["offering"] == {"status": "ACTIVE"}
    await takaishi.accepted(REQUEST, {"id": demo})


async def test_pausing_twice_or_resuming_an_open_offering_is_refused(kanko, demo):
    await kanko.accepted(PAUSE, {"id": demo})

    assert await kanko.refused(PAUSE, {"id": demo}) == ["INVALID_TRANSITION"]
    await kanko.accepted(RESUME, {"id": demo})
    assert await kanko.refused(RESUME, {"id": demo}) == ["INVALID_TRANSITION"]


async def test_withdrawing_needs_a_reason_which_the_audit_log_keeps(gql, sign_in, kanko, takaishi, demo):
    blank = await kanko.mutate(WITHDRAW, {"id": demo, "reason": "  "})
    assert faults(blank) == [("INVALID", ["input", "reason"])]

    done = await kanko.accepted(WITHDRAW, {"id": demo, "reason": "サービス終了のため"})

    assert done["offering"] == {"status": "WITHDRAWN"}
    admin = await sign_in("ADMIN")
    entries = (await admin.data(AUDIT, {"action": "withdrawOffering"}))["auditLog"]["nodes"]
    assert [(e["outcome"], e["errors"]) for e in entries] == [("ACCEPTED", []), ("REFUSED", ["INVALID"])]
    assert entries[0]["changes"] == {"status": ["ACTIVE", "WITHDRAWN"], "reason": [None, "サービス終了のため"]}
    assert faults(await takaishi.mutate(REQUEST, {"id": demo})) == [("OFFERING_UNAVAILABLE", None)]


async def test_a_withdrawn_offering_takes_no_changes_and_leaves_the_default_list(gql, kanko, demo):
    await kanko.accepted(WITHDRAW, {"id": demo, "reason": "終了"})

    assert await kanko.refused(UPDATE, {"input": {"offeringId": demo, "title": "再開"}}) == ["INVALID_TRANSITION"]
    assert await kanko.refused(RESUME, {"id": demo}) == ["INVALID_TRANSITION"]
    assert await kanko.refused(WITHDRAW, {"id": demo, "reason": "再度"}) == ["INVALID_TRANSITION"]
    listed = (await gql.data(OFFERINGS))["offerings"]["nodes"]
    withdrawn = (await gql.data(OFFERINGS, {"status": "WITHDRAWN"}))["offerings"]["nodes"]
    assert demo not in [o["id"] for o in listed]
    assert withdrawn == [{"id": demo, "status": "WITHDRAWN"}]


async def test_another_partner_cannot_pause_or_withdraw_an_offering(sign_in, demo):
    other = await sign_in("PARTNER", partner="sompo-holdings")

    assert faults(await other.mutate(PAUSE, {"id": demo})) == [("NOT_FOUND", ["input", "offeringId"])]
    assert faults(await other.mutate(WITHDRAW, {"id": demo, "reason": "x"})) == [("NOT_FOUND", ["input", "offeringId"])]


async def test_members_and_anonymous_callers_cannot_change_an_offerings_status(gql, takaishi, demo):
    assert await gql.refused(PAUSE, {"id": demo}) == ["UNAUTHENTICATED"]
    assert await takaishi.refused(WITHDRAW, {"id": demo, "reason": "x"}) == ["FORBIDDEN"]


async def test_the_secretariat_withdraws_any_partners_offering(sign_in, demo):
    admin = await sign_in("ADMIN")

    assert (await admin.accepted(WITHDRAW, {"id": demo, "reason": "規約違反"}))["offering"] == {"status": "WITHDRAWN"}


# --- the duplicate title -----------------------------------------------------------------------


async def test_a_title_the_partner_already_uses_is_warned_about_until_confirmed(kanko):
    await kanko.accepted(CREATE_OFFERING, {"input": offering_input(title="防災ドローン 体験会")})

    again = offering_input(title="　防災ドローン　　体験会 ")  # full-width and doubled spaces
    warned = await kanko.mutate(CREATE_OFFERING, {"input": again})
    confirmed = await kanko.accepted(CREATE_OFFERING, {"input": {**again, "confirmDuplicate": True}})

    assert faults(warned) == [("POSSIBLE_DUPLICATE", ["input", "title"])]
    assert "「防災ドローン 体験会」" in warned["userErrors"][0]["message"]
    assert confirmed["offering"]["title"] == "防災ドローン　　体験会"


async def test_the_duplicate_check_reads_in_english_and_ignores_case_and_width(kanko):
    await kanko.accepted(CREATE_OFFERING, {"input": offering_input(title="Drone Day 2026")})

    warned = await kanko.reading("en").mutate(CREATE_OFFERING, {"input": offering_input(title="ＤＲＯＮＥ day ２０２６")})

    assert faults(warned) == [("POSSIBLE_DUPLICATE", ["input", "title"])]
    assert warned["userErrors"][0]["message"].startswith("There is already an offering titled")


# Steps aside: `node` returns the Node interface (graphql-core resolves the runtime type).
@pytest.mark.plan_fallback("abstract_type")
async def test_another_partners_title_or_a_withdrawn_offerings_is_no_duplicate(sign_in, kanko, demo):
    other = await sign_in("PARTNER", partner="sompo-holdings")
    await kanko.accepted(CREATE_OFFERING, {"input": offering_input(title="共通の題")})
    await other.accepted(CREATE_OFFERING, {"input": offering_input(title="共通の題")})

    await kanko.accepted(WITHDRAW, {"id": demo, "reason": "作り直し"})
    title = (await kanko.data("query($id: ID!) { node(id: $id) { ... on Offering { title } } }", {"id": demo}))["node"]["title"]
    await kanko.accepted(CREATE_OFFERING, {"input": offering_input(title=title)})


async def test_renaming_an_offering_to_a_title_in_use_is_warned_about(kanko, demo):
    await kanko.accepted(CREATE_OFFERING, {"input": offering_input(title="新しい題")})

    warned = await kanko.mutate(UPDATE, {"input": {"offeringId": demo, "title": "新しい題"}})
    done = await kanko.accepted(UPDATE, {"input": {"offeringId": demo, "title": "新しい題", "confirmDuplicate": True}})

    assert faults(warned) == [("POSSIBLE_DUPLICATE", ["input", "title"])]
    assert done["offering"]["title"] == "新しい題"


# --- updatePartner -----------------------------------------------------------------------------


async def test_the_secretariat_edits_a_partner_with_an_audit_entry(gql, sign_in):
    admin = await sign_in("ADMIN")
    input = {"slug": KANKO, "name": "観光予報プラットフォーム推進協議会", "nameEn": "Kanko Yoho", "kind": "CONSORTIUM"}

    partner = (await admin.accepted(UPDATE_PARTNER, {"input": input}))["partner"]

    assert (partner["name"], partner["nameEn"], partner["kind"]) == (input["name"], "Kanko Yoho", "CONSORTIUM")
    (entry,) = (await admin.data(AUDIT, {"action": "updatePartner"}))["auditLog"]["nodes"]
    assert entry["outcome"] == "ACCEPTED" and entry["changes"]["name_en"][1] == "Kanko Yoho"


async def test_only_the_secretariat_edits_a_partner_and_the_name_may_not_be_blank(sign_in, kanko):
    admin = await sign_in("ADMIN")

    assert await kanko.refused(UPDATE_PARTNER, {"input": {"slug": KANKO, "name": "乗っ取り"}}) == ["FORBIDDEN"]
    assert faults(await admin.mutate(UPDATE_PARTNER, {"input": {"slug": KANKO, "name": " "}})) == [("INVALID", ["input", "name"])]
    assert faults(await admin.mutate(UPDATE_PARTNER, {"input": {"slug": "no-such", "name": "x"}})) == [("NOT_FOUND", ["input", "slug"])]


# --- the contact of a request ------------------------------------------------------------------


# Steps aside: `node` returns the Node interface (graphql-core resolves the runtime type).
@pytest.mark.plan_fallback("abstract_type")
async def test_the_partner_sees_the_named_contact_only_once_it_accepts(kanko, takaishi, demo):
    contact = await add_contact(takaishi)
    request = (await takaishi.accepted(REQUEST, {"id": demo, "contact": contact}))["offeringRequest"]
    assert request["contact"] == {"name": "高石 太郎", "email": "taro@example.jp"}, "the member sees its own"

    before = (await kanko.data(REQUEST_CONTACT, {"id": request["id"]}))["node"]
    await kanko.accepted(RESPOND, {"id": request["id"], "response": "ACCEPT"})
    after = (await kanko.data(REQUEST_CONTACT, {"id": request["id"]}))["node"]

    assert before == {"status": "REQUESTED", "contact": None}
    assert after == {"status": "ACCEPTED", "contact": {"name": "高石 太郎", "email": "taro@example.jp", "phone": "072-000-0000"}}


# Steps aside: `node` returns the Node interface (graphql-core resolves the runtime type).
@pytest.mark.plan_fallback("abstract_type")
async def test_another_partner_and_anonymous_callers_never_see_the_contact(gql, sign_in, kanko, takaishi, demo):
    request = (await takaishi.accepted(REQUEST, {"id": demo, "contact": await add_contact(takaishi)}))["offeringRequest"]
    await kanko.accepted(RESPOND, {"id": request["id"], "response": "ACCEPT"})
    other = await sign_in("PARTNER", partner="sompo-holdings")
    admin = await sign_in("ADMIN")

    assert (await other.data(REQUEST_CONTACT, {"id": request["id"]}))["node"] is None
    assert (await gql.data(REQUEST_CONTACT, {"id": request["id"]}))["node"] is None
    assert (await admin.data(REQUEST_CONTACT, {"id": request["id"]}))["node"]["contact"]["name"] == "高石 太郎"


# Steps aside: `node` returns the Node interface (graphql-core resolves the runtime type).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_declined_request_hides_the_contact_from_the_partner_again(kanko, takaishi, demo):
    request = (await takaishi.accepted(REQUEST, {"id": demo, "contact": await add_contact(takaishi)}))["offeringRequest"]
    await kanko.accepted(RESPOND, {"id": request["id"], "response": "ACCEPT"})
    await kanko.accepted(RESPOND, {"id": request["id"], "response": "DECLINE"})

    assert (await kanko.data(REQUEST_CONTACT, {"id": request["id"]}))["node"]["contact"] is None


async def test_the_contact_must_be_a_current_contact_of_the_requesting_municipality(sign_in, takaishi, demo):
    nanto = await sign_in("MUNICIPALITY", municipality=NANTO)
    theirs = await add_contact(nanto, "南砺 花子")

    refused = await takaishi.mutate(REQUEST, {"id": demo, "contact": theirs})
    wrong_type = await takaishi.mutate(REQUEST, {"id": demo, "contact": demo})

    assert faults(refused) == [("NOT_FOUND", ["input", "contactId"])]
    assert faults(wrong_type) == [("NOT_FOUND", ["input", "contactId"])]


async def test_the_audit_entry_of_a_request_names_the_contact_row(sign_in, takaishi, demo):
    await takaishi.accepted(REQUEST, {"id": demo, "contact": await add_contact(takaishi)})
    admin = await sign_in("ADMIN")

    (entry,) = (await admin.data(AUDIT, {"action": "requestOffering"}))["auditLog"]["nodes"]

    assert entry["changes"]["contact_id"][1] is not None


# --- the answer reaches the member -------------------------------------------------------------


async def test_the_member_is_told_the_answer_in_its_own_language(kanko, takaishi, demo):
    request = (await takaishi.accepted(REQUEST, {"id": demo}))["offeringRequest"]
    await kanko.accepted(RESPOND, {"id": request["id"], "response": "ACCEPT"})

    (ja,) = (await takaishi.data(NOTIFICATIONS))["notifications"]["nodes"]
    (en,) = (await takaishi.reading("en").data(NOTIFICATIONS))["notifications"]["nodes"]

    assert ja == {"kind": "OFFERING_REQUEST_ANSWERED", "message": "観光予報プラットフォーム推進協議会が「観光予報プラットフォームのデモアカウント無償提供」の依頼に回答しました：承諾。"}
    assert en["message"] == (
        "Your request for 「観光予報プラットフォームのデモアカウント無償提供」 was answered by "
        "Tourism Forecast Platform Promotion Council: Accepted."
    )


# --- a withdrawn offering leaves search and matching --------------------------------------------

SEARCH = 'query($q: String!) { search(query: $q, first: 20) { nodes { __typename ... on Offering { id } } } }'


@pytest.mark.plan_fallback("abstract_type")
async def test_a_withdrawn_offering_is_no_longer_found_by_search(gql, kanko):
    created = await kanko.accepted(CREATE_OFFERING, {"input": offering_input(title="雪下ろし支援サービス")})
    found = (await gql.data(SEARCH, {"q": "雪下ろし支援"}))["search"]["nodes"]

    await kanko.accepted(WITHDRAW, {"id": created["offering"]["id"], "reason": "終了"})
    after = (await gql.data(SEARCH, {"q": "雪下ろし支援"}))["search"]["nodes"]

    assert {"__typename": "Offering", "id": created["offering"]["id"]} in found
    assert after == []


@pytest.mark.plan_fallback("abstract_type")
async def test_a_withdrawn_offering_is_no_longer_recommended_for_a_challenge(gql, sign_in):
    challenge = await publish(sign_in, SOMA, "津波からの避難と防災")
    best = (await gql.data(RECOMMENDED, {"id": challenge}))["node"]["recommendedOfferings"][0]
    admin = await sign_in("ADMIN")
    offerings = (await gql.data('{ offerings(first: 100) { nodes { id title } } }'))["offerings"]["nodes"]
    best_id = next(o["id"] for o in offerings if o["title"] == best["offering"]["title"])

    await admin.accepted(WITHDRAW, {"id": best_id, "reason": "終了"})
    after = (await gql.data(RECOMMENDED, {"id": challenge}))["node"]["recommendedOfferings"]

    assert best["offering"]["title"] not in [m["offering"]["title"] for m in after]
