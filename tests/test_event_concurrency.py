"""Capacity and the waiting list hold under load: 30 members register at once for 10 places.

On SQLite, Tortoise runs one transaction at a time, so the calls cannot race there and this is a
check of the outcome only; on PostgreSQL (CI's second run, `.ci/run`) `open_transactions.racing`
makes sure the transactions really overlapped, so the test cannot pass without a race."""

import asyncio
import datetime as dt

import pytest

from resolvers.calendar import JAPAN

MEMBERS = """
{ alliance(slug: "expo2025") {
    members(first: 30, filter: {tier: FULL, status: ACTIVE}) { nodes { municipality { code } } } } }"""
CREATE_EVENT = """
mutation($input: CreateEventInput!) {
  createEvent(input: $input) { event { id } userErrors { code } }
}"""
REGISTER = """
mutation($id: ID!) {
  registerForEvent(input: {eventId: $id}) {
    registration { id status waitlistPosition municipality { code } } userErrors { code }
  }
}"""
CANCEL = """
mutation($id: ID!) {
  cancelEventRegistration(input: {registrationId: $id}) { registration { status } userErrors { code } }
}"""
REGISTRATIONS = """
query($id: ID!) {
  node(id: $id) { ... on Event {
    placesLeft waitlistCount
    registrations(first: 100) { nodes { id status waitlistPosition municipality { code } } }
  } }
}"""
PROMOTED = "{ notifications(first: 10) { nodes { kind } } }"


def registration_input() -> dict:
    day = dt.datetime.now(JAPAN).date() + dt.timedelta(days=14)
    starts = dt.datetime(day.year, day.month, day.day, 14, tzinfo=JAPAN)
    return {
        "allianceSlug": "expo2025",
        "title": "先着10団体の防災ワークショップ",
        "description": "定員10団体、以降はキャンセル待ち。",
        "kind": "WORKSHOP",
        "format": "ONSITE",
        "venue": "大阪府咲洲庁舎",
        "audience": "FULL_MEMBERS",
        "startsAt": starts.isoformat(),
        "endsAt": (starts + dt.timedelta(hours=3)).isoformat(),
        "themeNumbers": [8],
        "capacity": 10,
    }


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_thirty_concurrent_registrations_fill_ten_places_and_queue_twenty_in_order(sign_in, open_transactions):
    admin = await sign_in("ADMIN")
    members = (await admin.data(MEMBERS))["alliance"]["members"]["nodes"]
    codes = [n["municipality"]["code"] for n in members]
    assert len(set(codes)) == 30
    id = (await admin.accepted(CREATE_EVENT, {"input": registration_input()}))["event"]["id"]
    callers = {code: await sign_in("MUNICIPALITY", municipality=code) for code in codes}

    with open_transactions.racing():
        payloads = await asyncio.gather(
            *(caller.mutate(REGISTER, {"id": id}) for caller in callers.values())
        )

    assert all(p["userErrors"] == [] for p in payloads)
    mine = [p["registration"] for p in payloads]
    assert sorted(r["status"] for r in mine) == ["CONFIRMED"] * 10 + ["WAITLISTED"] * 20
    assert sorted(r["waitlistPosition"] for r in mine if r["status"] == "WAITLISTED") == list(
        range(1, 21)
    )
    seen = (await admin.data(REGISTRATIONS, {"id": id}))["node"]
    assert (seen["placesLeft"], seen["waitlistCount"]) == (0, 20)
    queue = sorted(
        (r for r in seen["registrations"]["nodes"] if r["status"] == "WAITLISTED"),
        key=lambda r: r["waitlistPosition"],
    )
    assert [r["waitlistPosition"] for r in queue] == list(range(1, 21))

    confirmed = [r for r in seen["registrations"]["nodes"] if r["status"] == "CONFIRMED"][:3]
    with open_transactions.racing():
        cancels = await asyncio.gather(
            *(callers[r["municipality"]["code"]].mutate(CANCEL, {"id": r["id"]}) for r in confirmed)
        )

    assert [c["userErrors"] for c in cancels] == [[], [], []]
    after = (await admin.data(REGISTRATIONS, {"id": id}))["node"]
    status_of = {
        r["id"]: (r["status"], r["waitlistPosition"]) for r in after["registrations"]["nodes"]
    }
    assert [status_of[r["id"]] for r in queue[:3]] == [("CONFIRMED", None)] * 3
    assert [status_of[r["id"]] for r in queue[3:]] == [("WAITLISTED", n) for n in range(1, 18)]
    assert (after["placesLeft"], after["waitlistCount"]) == (0, 17)
    for r in queue[:4]:
        told = (await callers[r["municipality"]["code"]].data(PROMOTED))["notifications"]["nodes"]
        assert told == ([{"kind": "WAITLIST_PROMOTED"}] if r in queue[:3] else [])
