"""Capacity holds under load: 30 members ask at once for an offering with 10 places.

On SQLite, Tortoise runs one transaction at a time, so the calls cannot race there and this is a
check of the outcome only; on PostgreSQL (CI's second run, `.ci/run`) `open_transactions.racing`
makes sure the transactions really overlapped, so the test cannot pass without a race."""

import asyncio

import pytest

MEMBERS = """
{ alliance(slug: "expo2025") {
    members(first: 30, filter: {tier: FULL, status: ACTIVE}) { nodes { municipality { code } } } } }"""
CREATE_OFFERING = """
mutation($input: CreateOfferingInput!) {
  createOffering(input: $input) { offering { id } userErrors { code } }
}"""
REQUEST = """
mutation($id: ID!) {
  requestOffering(input: {offeringId: $id}) { offeringRequest { id } userErrors { code } }
}"""
OUTCOME = """
query($id: ID!) {
  offeringRequests(first: 100, filter: {offeringId: $id}) { totalCount }
  node(id: $id) { ... on Offering { placesLeft } }
  accepted: auditLog(filter: {action: "requestOffering", outcome: ACCEPTED}) { totalCount }
  refused: auditLog(filter: {action: "requestOffering", outcome: REFUSED}) { totalCount }
}"""


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_thirty_concurrent_requests_for_ten_places_fill_exactly_ten_and_lose_none(sign_in, open_transactions):
    admin = await sign_in("ADMIN")
    members = (await admin.data(MEMBERS))["alliance"]["members"]["nodes"]
    codes = [n["municipality"]["code"] for n in members]
    assert len(set(codes)) == 30
    offering = await admin.accepted(
        CREATE_OFFERING,
        {
            "input": {
                "partnerSlug": "kanko-yoho-platform",
                "title": "先着10団体の現地研修",
                "kind": "TRAINING",
                "summary": "定員10団体。",
                "audience": "FULL_MEMBERS",
                "themeNumbers": [3],
                "capacity": 10,
            }
        },
    )
    id = offering["offering"]["id"]
    callers = [await sign_in("MUNICIPALITY", municipality=code) for code in codes]

    with open_transactions.racing():
        payloads = await asyncio.gather(*(caller.mutate(REQUEST, {"id": id}) for caller in callers))
    outcome = await admin.data(OUTCOME, {"id": id})

    accepted = [p for p in payloads if not p["userErrors"]]
    refused = [[e["code"] for e in p["userErrors"]] for p in payloads if p["userErrors"]]
    assert len(accepted) == 10 and all(p["offeringRequest"] for p in accepted)
    assert refused == [["CAPACITY_REACHED"]] * 20
    assert outcome["offeringRequests"]["totalCount"] == 10
    assert outcome["node"]["placesLeft"] == 0
    assert (outcome["accepted"]["totalCount"], outcome["refused"]["totalCount"]) == (10, 20)
