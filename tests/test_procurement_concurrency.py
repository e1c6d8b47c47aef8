"""Joint procurement under load: 20 full members join one group at once (each twice), and joins
racing the close are either counted and told, or refused.

On SQLite, Tortoise runs one transaction at a time, so the calls cannot race there and this is a
check of the outcome only; on PostgreSQL (CI's second run, `.ci/run`) `open_transactions.racing`
makes sure the transactions really overlapped, so the test cannot pass without a race."""

import asyncio
import datetime as dt

import pytest

from resolvers.calendar import today

MEMBERS = """
{ alliance(slug: "expo2025") {
    members(first: 21, filter: {tier: FULL, status: ACTIVE}) { nodes { municipality { code } } } } }"""
CREATE = """
mutation($input: CreateProcurementGroupInput!) {
  createProcurementGroup(input: $input) { procurementGroup { id } userErrors { code } }
}"""
JOIN = """
mutation($group: ID!, $quantity: Int!) {
  joinProcurementGroup(input: {groupId: $group, quantity: $quantity}) { userErrors { code } }
}"""
OUTCOME = """
query($id: ID!) {
  node(id: $id) { ... on ProcurementGroup {
    combinedQuantity participantCount participants(first: 100) { totalCount nodes { quantity municipality { code } } } } }
  accepted: auditLog(filter: {action: "joinProcurementGroup", outcome: ACCEPTED}) { totalCount }
}"""


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_twenty_members_joining_at_once_add_up_and_none_joins_twice(sign_in, open_transactions):
    admin = await sign_in("ADMIN")
    members = (await admin.data(MEMBERS))["alliance"]["members"]["nodes"]
    organiser, *codes = [n["municipality"]["code"] for n in members]
    assert len(set(codes)) == 20
    group = await (await sign_in("MUNICIPALITY", municipality=organiser)).accepted(
        CREATE,
        {
            "input": {
                "allianceSlug": "expo2025",
                "item": "非常用備蓄食料",
                "unit": "食",
                "closesOn": (today() + dt.timedelta(days=30)).isoformat(),
            }
        },
    )
    id = group["procurementGroup"]["id"]
    callers = [await sign_in("MUNICIPALITY", municipality=code) for code in codes]
    quantities = {code: 100 * (index + 1) for index, code in enumerate(codes)}

    attempts = [(caller, quantities[code]) for caller, code in zip(callers, codes, strict=True)] * 2
    with open_transactions.racing():
        payloads = await asyncio.gather(
            *(caller.mutate(JOIN, {"group": id, "quantity": quantity}) for caller, quantity in attempts)
        )
    outcome = await admin.data(OUTCOME, {"id": id})

    codes_refused = sorted(e["code"] for p in payloads for e in p["userErrors"])
    assert codes_refused == ["ALREADY_PARTICIPATING"] * 20
    node = outcome["node"]
    assert node["combinedQuantity"] == sum(quantities.values()) == 21_000
    assert node["participantCount"] == node["participants"]["totalCount"] == 20
    assert {n["municipality"]["code"]: n["quantity"] for n in node["participants"]["nodes"]} == quantities
    assert outcome["accepted"]["totalCount"] == 20


CLOSE = """
mutation($group: ID!) { closeProcurementGroup(input: {groupId: $group}) { userErrors { code } } }"""
NOTIFICATIONS = "{ notifications(first: 10) { nodes { kind } } }"


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_joins_racing_the_close_are_either_in_and_told_or_refused(sign_in, open_transactions):
    admin = await sign_in("ADMIN")
    members = (await admin.data(MEMBERS))["alliance"]["members"]["nodes"]
    organiser_code, *codes = [n["municipality"]["code"] for n in members]
    organiser = await sign_in("MUNICIPALITY", municipality=organiser_code)
    group = await organiser.accepted(
        CREATE,
        {
            "input": {
                "allianceSlug": "expo2025",
                "item": "簡易トイレ",
                "unit": "個",
                "closesOn": (today() + dt.timedelta(days=30)).isoformat(),
            }
        },
    )
    id = group["procurementGroup"]["id"]
    callers = [await sign_in("MUNICIPALITY", municipality=code) for code in codes]

    with open_transactions.racing():
        closed, *joins = await asyncio.gather(
            organiser.mutate(CLOSE, {"group": id}),
            *(caller.mutate(JOIN, {"group": id, "quantity": 10}) for caller in callers),
        )
    outcome = (await admin.data(OUTCOME, {"id": id}))["node"]

    assert closed["userErrors"] == []
    joined = [caller for caller, payload in zip(callers, joins, strict=True) if not payload["userErrors"]]
    refused = [e["code"] for payload in joins for e in payload["userErrors"]]
    assert refused == ["GROUP_CLOSED"] * (20 - len(joined))
    assert outcome["participantCount"] == len(joined)
    for caller in callers:
        told = [n["kind"] for n in (await caller.data(NOTIFICATIONS))["notifications"]["nodes"]]
        assert told == (["PROCUREMENT_CLOSED"] if caller in joined else [])
