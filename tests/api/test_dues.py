"""Dues (負担金): billed once per member and fiscal year, settled by the secretariat, and read by
the secretariat and the member's own staff only."""

import pytest

TAKAISHI, NANTO = "272256", "162108"

BILL = """
mutation ($input: BillDuesInput!) {
  billDues(input: $input) { userErrors { code field } dues { id fiscalYear amount status carriedOver } }
}
"""

SETTLE = """
mutation ($input: SettleDuesInput!) {
  settleDues(input: $input) { userErrors { code field } dues { id status settledOn } }
}
"""

DUES = """
query ($id: ID!) { node(id: $id) { ... on Membership { dues { id fiscalYear amount status } duesBalance } } }
"""


async def membership_id(client, code=TAKAISHI, slug="expo2025") -> str:
    data = await client.data(
        "query ($code: String!) { municipality(code: $code) { memberships { id alliance { slug } } } }",
        {"code": code},
    )
    (found,) = [m["id"] for m in data["municipality"]["memberships"] if m["alliance"]["slug"] == slug]
    return found


def bill(membership, year=2026, amount=120_000) -> dict:
    return {"input": {"membershipId": membership, "fiscalYear": year, "amount": amount}}


async def dues_of(client, membership) -> dict:
    return (await client.data(DUES, {"id": membership}))["node"]


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_bill_is_open_and_counts_towards_the_balance(sign_in):
    admin = await sign_in("ADMIN")
    membership = await membership_id(admin)

    payload = await admin.accepted(BILL, bill(membership, 2026, 120_000))

    assert payload["dues"]["status"] == "BILLED"
    assert payload["dues"]["carriedOver"] is False
    assert await dues_of(admin, membership) == {
        "dues": [{"id": payload["dues"]["id"], "fiscalYear": 2026, "amount": 120_000, "status": "BILLED"}],
        "duesBalance": 120_000,
    }


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_member_is_billed_once_per_fiscal_year(sign_in):
    admin = await sign_in("ADMIN")
    membership = await membership_id(admin)
    await admin.accepted(BILL, bill(membership, 2026, 120_000))

    payload = await admin.mutate(BILL, bill(membership, 2026, 50_000))

    assert payload["userErrors"] == [{"code": "ALREADY_EXISTS", "field": ["input", "fiscalYear"]}]
    assert (await dues_of(admin, membership))["duesBalance"] == 120_000


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_bills_of_different_years_add_up(sign_in):
    admin = await sign_in("ADMIN")
    membership = await membership_id(admin)

    await admin.accepted(BILL, bill(membership, 2025, 100_000))
    await admin.accepted(BILL, bill(membership, 2026, 120_000))

    assert (await dues_of(admin, membership))["duesBalance"] == 220_000


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_negative_amount_is_refused(sign_in):
    admin = await sign_in("ADMIN")
    membership = await membership_id(admin)

    payload = await admin.mutate(BILL, bill(membership, amount=-1))

    assert payload["userErrors"] == [{"code": "INVALID", "field": ["input", "amount"]}]
    assert (await dues_of(admin, membership))["dues"] == []


async def test_a_membership_that_has_ended_is_not_billed(sign_in):
    admin = await sign_in("ADMIN")
    transferred = await membership_id(admin, slug="olympic-paralympic")

    assert await admin.refused(BILL, bill(transferred)) == ["INVALID_TRANSITION"]


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_paying_a_bill_settles_it_and_lowers_the_balance(sign_in):
    admin = await sign_in("ADMIN")
    membership = await membership_id(admin)
    await admin.accepted(BILL, bill(membership, 2025, 100_000))
    billed = await admin.accepted(BILL, bill(membership, 2026, 120_000))

    settled = await admin.accepted(
        SETTLE, {"input": {"duesId": billed["dues"]["id"], "status": "PAID", "settledOn": "2026-06-30"}}
    )

    assert settled["dues"]["status"] == "PAID"
    assert settled["dues"]["settledOn"] == "2026-06-30"
    assert (await dues_of(admin, membership))["duesBalance"] == 100_000


async def test_a_settled_bill_cannot_be_settled_again(sign_in):
    admin = await sign_in("ADMIN")
    billed = await admin.accepted(BILL, bill(await membership_id(admin)))
    settle = {"input": {"duesId": billed["dues"]["id"], "status": "PAID"}}
    await admin.accepted(SETTLE, settle)

    assert await admin.refused(SETTLE, settle) == ["INVALID_TRANSITION"]
    assert await admin.refused(SETTLE, {"input": {**settle["input"], "status": "WAIVED"}}) == ["INVALID_TRANSITION"]


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_bill_is_settled_only_as_paid_or_waived(sign_in):
    admin = await sign_in("ADMIN")
    membership = await membership_id(admin)
    billed = await admin.accepted(BILL, bill(membership))

    codes = await admin.refused(SETTLE, {"input": {"duesId": billed["dues"]["id"], "status": "CARRIED_OVER"}})

    assert codes == ["INVALID"]
    assert (await dues_of(admin, membership))["duesBalance"] == 120_000


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_only_the_secretariat_bills_dues(sign_in):
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    admin = await sign_in("ADMIN")
    membership = await membership_id(admin)

    assert await staff.refused(BILL, bill(membership)) == ["FORBIDDEN"]
    assert (await dues_of(admin, membership))["dues"] == []


async def test_only_the_secretariat_settles_dues(sign_in):
    admin = await sign_in("ADMIN")
    billed = await admin.accepted(BILL, bill(await membership_id(admin)))
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)

    assert await staff.refused(SETTLE, {"input": {"duesId": billed["dues"]["id"], "status": "PAID"}}) == ["FORBIDDEN"]


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_read_only_admin_token_cannot_bill(sign_in):
    admin = await sign_in("ADMIN")
    reader = await sign_in("ADMIN", read_only=True)
    membership = await membership_id(admin)

    assert await reader.refused(BILL, bill(membership)) == ["READ_ONLY_TOKEN"]
    assert (await dues_of(admin, membership))["dues"] == []


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_municipalitys_own_staff_read_its_dues_and_balance(sign_in):
    admin = await sign_in("ADMIN")
    membership = await membership_id(admin)
    billed = await admin.accepted(BILL, bill(membership))
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)

    assert await dues_of(staff, membership) == {
        "dues": [{"id": billed["dues"]["id"], "fiscalYear": 2026, "amount": 120_000, "status": "BILLED"}],
        "duesBalance": 120_000,
    }


@pytest.mark.parametrize(
    ("role", "scope", "code"),
    [
        ("MUNICIPALITY", {"municipality": NANTO}, "FORBIDDEN"),
        ("PARTNER", {"partner": "sompo-holdings"}, "FORBIDDEN"),
        (None, {}, "UNAUTHENTICATED"),
    ],
    ids=["another municipality", "a partner", "anonymous"],
)
# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_no_one_else_reads_a_members_dues(sign_in, gql, role, scope, code):
    admin = await sign_in("ADMIN")
    membership = await membership_id(admin)
    await admin.accepted(BILL, bill(membership))
    outsider = await sign_in(role, **scope) if role else gql

    body = await outsider.execute(DUES, {"id": membership})

    assert [e["extensions"]["code"] for e in body["errors"]] == [code, code]
    assert sorted(tuple(e["path"]) for e in body["errors"]) == [("node", "dues"), ("node", "duesBalance")]
    assert body["data"]["node"] == {"dues": None, "duesBalance": None}


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_bills_global_id_shows_it_to_its_member_only(sign_in, gql):
    admin = await sign_in("ADMIN")
    billed = await admin.accepted(BILL, bill(await membership_id(admin)))
    query = "query ($id: ID!) { node(id: $id) { ... on Dues { amount } } }"
    own = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    outsiders = [await sign_in("MUNICIPALITY", municipality=NANTO), await sign_in("PARTNER", partner="sompo-holdings"), gql]

    assert await admin.data(query, {"id": billed["dues"]["id"]}) == {"node": {"amount": 120_000}}
    assert await own.data(query, {"id": billed["dues"]["id"]}) == {"node": {"amount": 120_000}}
    for outsider in outsiders:
        assert await outsider.data(query, {"id": billed["dues"]["id"]}) == {"node": None}
