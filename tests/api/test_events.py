"""Events: who may create, cancel and register, the tier rules, and the waiting list."""

import datetime as dt

import pytest

from models import Event
from resolvers.calendar import JAPAN
from tests.helpers import global_id

CREATE_EVENT = """
mutation($input: CreateEventInput!) {
  createEvent(input: $input) {
    event { id title kind organiserKind format audience capacity placesLeft waitlistCount startsAt
            registrationClosesAt status themes { number }
            organiser { __typename ... on Partner { slug } ... on WorkingGroup { theme { number } }
                        ... on Alliance { slug } } }
    userErrors { field code message }
  }
}"""
CANCEL_EVENT = """
mutation($id: ID!) {
  cancelEvent(input: {eventId: $id}) { event { status cancelledAt } userErrors { field code message } }
}"""
REGISTER = """
mutation($id: ID!) {
  registerForEvent(input: {eventId: $id}) {
    registration { id status waitlistPosition municipality { code } event { placesLeft waitlistCount } }
    userErrors { field code message }
  }
}"""
CANCEL_REGISTRATION = """
mutation($id: ID!) {
  cancelEventRegistration(input: {registrationId: $id}) {
    registration { id status cancelledAt } userErrors { field code message }
  }
}"""
EVENT = """
query($id: ID!) {
  node(id: $id) { ... on Event {
    status placesLeft waitlistCount isRegistrationOpen viewerRegistration { status waitlistPosition }
    registrations(first: 100) { totalCount nodes { status waitlistPosition municipality { code } } }
  } }
}"""
EVENTS = """
query($filter: EventFilter) { events(first: 100, filter: $filter) { totalCount nodes { title startsAt } } }"""
NOTIFICATIONS = """
{ notifications(first: 10) { nodes { kind message subject { ... on EventRegistration { id status } } } } }"""
NODE = "query($id: ID!) { node(id: $id) { id } }"
WORKING_GROUPS = '{ alliance(slug: "expo2025") { workingGroups { id theme { number } } } }'

TAKAISHI, NANTO, MURORAN, SOMA, MOTEGI = (
    "272256",
    "162108",
    "012050",
    "072095",
    "093432",
)  # full members
RYUGASAKI, TSUMAGOI = "082082", "104256"  # supporting members
SAPPORO = "011002"  # not a member
SOMPO, KANKO = "sompo-holdings", "kanko-yoho-platform"


def soon(days: int, hour: int = 14) -> str:
    """A time `days` from today, on Japan's clock, as a client sends it."""
    day = dt.datetime.now(JAPAN).date() + dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=JAPAN).isoformat()


def event_input(**fields) -> dict:
    return {
        "allianceSlug": "expo2025",
        "title": "防災DXセミナー",
        "description": "災害時の情報共有をデジタルで。",
        "kind": "SEMINAR",
        "format": "ONLINE",
        "audience": "ALL_MEMBERS",
        "startsAt": soon(30),
        "endsAt": soon(30, hour=16),
        "themeNumbers": [8],
        **fields,
    }


def faults(payload: dict) -> list[tuple[str, list[str] | None]]:
    return [(e["code"], e["field"]) for e in payload["userErrors"]]


@pytest.fixture
async def admin(sign_in):
    return await sign_in("ADMIN")


async def new_event(admin, **fields) -> str:
    payload = await admin.accepted(CREATE_EVENT, {"input": event_input(**fields)})
    return payload["event"]["id"]


async def staff(sign_in, code: str):
    return await sign_in("MUNICIPALITY", municipality=code)


async def register(sign_in, code: str, id: str) -> dict:
    """A new staff member of `code` registers; returns the payload, userErrors and all."""
    return await (await staff(sign_in, code)).mutate(REGISTER, {"id": id})


async def event(client, id: str) -> dict:
    return (await client.data(EVENT, {"id": id}))["node"]


# --- createEvent / cancelEvent -------------------------------------------------------------------


async def test_the_secretariat_announces_an_alliance_event_in_japan_time(admin):
    starts = dt.datetime(2030, 5, 20, 5, 0, tzinfo=dt.UTC).isoformat()  # 14:00 in Japan
    ends = "2030-05-20T16:00:00"  # no offset: Japan time

    payload = await admin.accepted(
        CREATE_EVENT,
        {"input": event_input(startsAt=starts, endsAt=ends, capacity=50, themeNumbers=[9, 8])},
    )

    created = payload["event"]
    assert created["startsAt"] == "2030-05-20T14:00:00+09:00"
    assert created["registrationClosesAt"] == created["startsAt"]
    assert created["organiserKind"] == "ALLIANCE" and created["organiser"] == {
        "__typename": "Alliance",
        "slug": "expo2025",
    }
    assert (created["placesLeft"], created["waitlistCount"], created["status"]) == (
        50,
        0,
        "SCHEDULED",
    )
    assert created["themes"] == [{"number": 8}, {"number": 9}]


async def test_the_secretariat_announces_a_working_group_meeting(admin):
    groups = (await admin.data(WORKING_GROUPS))["alliance"]["workingGroups"]
    disaster = next(g["id"] for g in groups if g["theme"]["number"] == 8)

    payload = await admin.accepted(
        CREATE_EVENT,
        {
            "input": event_input(
                kind="WORKING_GROUP_MEETING", audience="FULL_MEMBERS", workingGroupId=disaster
            )
        },
    )

    assert payload["event"]["organiserKind"] == "WORKING_GROUP"
    assert payload["event"]["organiser"] == {"__typename": "WorkingGroup", "theme": {"number": 8}}


async def test_partner_staff_announce_their_own_event(sign_in):
    partner = await sign_in("PARTNER", partner=SOMPO)

    payload = await partner.accepted(
        CREATE_EVENT, {"input": event_input(kind="WORKSHOP", format="ONSITE", venue="東京")}
    )

    assert payload["event"]["organiser"] == {"__typename": "Partner", "slug": SOMPO}
    assert payload["event"]["organiserKind"] == "PARTNER"


async def test_a_partner_cannot_announce_an_event_for_another_partner_or_the_alliance(
    sign_in, admin
):
    partner = await sign_in("PARTNER", partner=SOMPO)
    groups = (await admin.data(WORKING_GROUPS))["alliance"]["workingGroups"]

    for_other = await partner.mutate(CREATE_EVENT, {"input": event_input(partnerSlug=KANKO)})
    for_group = await partner.mutate(
        CREATE_EVENT, {"input": event_input(workingGroupId=groups[0]["id"])}
    )

    assert faults(for_other) == [("FORBIDDEN", ["input", "partnerSlug"])]
    assert faults(for_group) == [("FORBIDDEN", ["input", "workingGroupId"])]
    assert (await admin.data(EVENTS))["events"]["totalCount"] == 0


async def test_municipality_staff_cannot_announce_events(sign_in, admin):
    member = await staff(sign_in, TAKAISHI)

    assert await member.refused(CREATE_EVENT, {"input": event_input()}) == ["FORBIDDEN"]
    assert (await admin.data(EVENTS))["events"]["totalCount"] == 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  "}, "title"),
        ({"endsAt": soon(30, hour=13)}, "endsAt"),
        ({"registrationClosesAt": soon(31)}, "registrationClosesAt"),
        ({"capacity": 0}, "capacity"),
        ({"format": "ONSITE"}, "venue"),
        ({"themeNumbers": [11]}, "themeNumbers"),
        ({"allianceSlug": "olympic-paralympic"}, "allianceSlug"),
        ({"allianceSlug": "no-such-alliance"}, "allianceSlug"),
        ({"partnerSlug": "no-such-partner"}, "partnerSlug"),
        ({"workingGroupId": global_id("WorkingGroup", 99999)}, "workingGroupId"),
        ({"workingGroupId": global_id("Offering", 1)}, "workingGroupId"),
    ],
)
async def test_a_bad_event_is_a_user_error_naming_the_field(admin, fields, field):
    payload = await admin.mutate(CREATE_EVENT, {"input": event_input(**fields)})

    assert [e["field"] for e in payload["userErrors"]] == [["input", field]]
    assert payload["event"] is None
    assert (await admin.data(EVENTS))["events"]["totalCount"] == 0


async def test_the_organising_partner_cancels_its_event_and_others_cannot(sign_in, admin):
    partner = await sign_in("PARTNER", partner=SOMPO)
    id = (await partner.accepted(CREATE_EVENT, {"input": event_input()}))["event"]["id"]
    other = await sign_in("PARTNER", partner=KANKO)
    alliance_event = await new_event(admin)

    assert faults(await other.mutate(CANCEL_EVENT, {"id": id})) == [
        ("FORBIDDEN", ["input", "eventId"])
    ]
    assert faults(await partner.mutate(CANCEL_EVENT, {"id": alliance_event})) == [
        ("FORBIDDEN", ["input", "eventId"])
    ]
    cancelled = await partner.accepted(CANCEL_EVENT, {"id": id})
    again = await admin.mutate(CANCEL_EVENT, {"id": id})

    assert cancelled["event"]["status"] == "CANCELLED" and cancelled["event"]["cancelledAt"]
    assert faults(again) == [("INVALID_TRANSITION", ["input", "eventId"])]


# --- registerForEvent ------------------------------------------------------------------------------


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_full_member_registers_and_sees_its_registration(sign_in, admin):
    id = await new_event(admin, kind="WORKSHOP", format="ONSITE", venue="高石市役所", capacity=10)
    member = await staff(sign_in, TAKAISHI)

    payload = await member.accepted(REGISTER, {"id": id})
    seen = await event(member, id)

    registration = payload["registration"]
    assert (registration["status"], registration["waitlistPosition"]) == ("CONFIRMED", None)
    assert registration["municipality"] == {"code": TAKAISHI}
    assert registration["event"] == {"placesLeft": 9, "waitlistCount": 0}
    assert seen["viewerRegistration"] == {"status": "CONFIRMED", "waitlistPosition": None}


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_municipality_registers_only_once(sign_in, admin):
    id = await new_event(admin)
    member = await staff(sign_in, TAKAISHI)
    await member.accepted(REGISTER, {"id": id})

    assert await member.refused(REGISTER, {"id": id}) == ["ALREADY_REGISTERED"]
    assert (await event(admin, id))["registrations"]["totalCount"] == 1


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_supporting_member_is_refused_a_workshop_with_the_reason(sign_in, admin):
    workshop = await new_event(admin, kind="WORKSHOP", format="ONLINE")
    onsite_seminar = await new_event(admin, format="ONSITE", venue="大阪")

    for id in (workshop, onsite_seminar):
        payload = await register(sign_in, RYUGASAKI, id)
        assert faults(payload) == [("NOT_A_FULL_MEMBER", None)]
        assert payload["userErrors"][0]["message"] == (
            "賛助会員の皆さまにお申し込みいただけるのは、オンラインで参加できるセミナーです。"
            "このイベントはそれにあたらないため、正会員のみお申し込みいただけます。"
        )
        assert (await event(admin, id))["registrations"]["totalCount"] == 0


@pytest.mark.parametrize("format", ["ONLINE", "HYBRID"])
async def test_a_supporting_member_attends_a_seminar_held_online(sign_in, admin, format):
    id = await new_event(admin, format=format, venue="大阪府庁" if format == "HYBRID" else None)

    payload = await register(sign_in, TSUMAGOI, id)

    assert payload["userErrors"] == []
    assert payload["registration"]["status"] == "CONFIRMED"


async def test_a_full_members_seminar_refuses_supporting_members(sign_in, admin):
    id = await new_event(admin, audience="FULL_MEMBERS")

    assert faults(await register(sign_in, RYUGASAKI, id)) == [("NOT_A_FULL_MEMBER", None)]
    assert faults(await register(sign_in, NANTO, id)) == []


async def test_a_non_member_is_refused_unless_the_event_is_public(sign_in, admin):
    members_only = await new_event(admin)
    public = await new_event(
        admin, audience="PUBLIC", kind="CONFERENCE", format="ONSITE", venue="夢洲"
    )

    assert faults(await register(sign_in, SAPPORO, members_only)) == [("NOT_A_MEMBER", None)]
    assert faults(await register(sign_in, SAPPORO, public)) == []
    assert faults(await register(sign_in, RYUGASAKI, public)) == []


async def test_only_municipality_staff_register(sign_in, admin):
    id = await new_event(admin)
    partner = await sign_in("PARTNER", partner=SOMPO)

    assert await admin.refused(REGISTER, {"id": id}) == ["FORBIDDEN"]
    assert await partner.refused(REGISTER, {"id": id}) == ["FORBIDDEN"]


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_registration_is_refused_once_it_has_closed(sign_in, admin):
    id = await new_event(admin, registrationClosesAt=soon(-1))

    payload = await register(sign_in, TAKAISHI, id)

    assert faults(payload) == [("REGISTRATION_CLOSED", ["input", "eventId"])]
    assert "（日本時間）に締め切られました。" in payload["userErrors"][0]["message"]
    assert (await event(admin, id))["isRegistrationOpen"] is False


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_registration_for_a_cancelled_event_is_refused(sign_in, admin):
    id = await new_event(admin)
    await admin.accepted(CANCEL_EVENT, {"id": id})

    assert faults(await register(sign_in, TAKAISHI, id)) == [
        ("EVENT_CANCELLED", ["input", "eventId"])
    ]
    assert (await event(admin, id))["registrations"]["totalCount"] == 0


@pytest.mark.parametrize(
    "id",
    [global_id("Event", 99999), global_id("Offering", 1), global_id("Event", 12345678901234567890)],
)
async def test_a_bad_event_id_is_a_user_error(sign_in, admin, id):
    member = await staff(sign_in, TAKAISHI)

    registered = await member.mutate(REGISTER, {"id": id})
    cancelled = await admin.mutate(CANCEL_EVENT, {"id": id})

    assert faults(registered) == [("NOT_FOUND", ["input", "eventId"])]
    assert faults(cancelled) == [("NOT_FOUND", ["input", "eventId"])]


async def test_a_bad_registration_id_is_a_user_error(sign_in):
    member = await staff(sign_in, TAKAISHI)

    for id in (global_id("EventRegistration", 99999), global_id("Event", 1)):
        payload = await member.mutate(CANCEL_REGISTRATION, {"id": id})
        assert faults(payload) == [("NOT_FOUND", ["input", "registrationId"])]


async def test_a_malformed_id_is_refused_without_a_fault(sign_in):
    member = await staff(sign_in, TAKAISHI)

    errors = await member.errors(REGISTER, {"id": "not an id"})

    assert errors[0]["extensions"]["code"] == "INVALID_ID"


# --- the waiting list ------------------------------------------------------------------------------


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_full_event_puts_later_registrants_on_the_waiting_list_in_order(sign_in, admin):
    id = await new_event(admin, capacity=2)

    payloads = [await register(sign_in, code, id) for code in (TAKAISHI, NANTO, MURORAN, SOMA)]
    seen = await event(admin, id)

    statuses = [
        (p["registration"]["status"], p["registration"]["waitlistPosition"]) for p in payloads
    ]
    assert statuses == [
        ("CONFIRMED", None),
        ("CONFIRMED", None),
        ("WAITLISTED", 1),
        ("WAITLISTED", 2),
    ]
    assert (seen["placesLeft"], seen["waitlistCount"]) == (0, 2)


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_cancelling_a_place_promotes_the_next_and_tells_them(sign_in, admin):
    id = await new_event(admin, capacity=1)
    first = await staff(sign_in, TAKAISHI)
    confirmed = (await first.accepted(REGISTER, {"id": id}))["registration"]
    waiting = {code: await staff(sign_in, code) for code in (NANTO, MURORAN)}
    for client in waiting.values():
        await client.accepted(REGISTER, {"id": id})

    cancelled = await first.accepted(CANCEL_REGISTRATION, {"id": confirmed["id"]})

    assert (
        cancelled["registration"]["status"] == "CANCELLED"
        and cancelled["registration"]["cancelledAt"]
    )
    nanto, muroran = [await event(client, id) for client in waiting.values()]
    assert nanto["viewerRegistration"] == {"status": "CONFIRMED", "waitlistPosition": None}
    assert muroran["viewerRegistration"] == {"status": "WAITLISTED", "waitlistPosition": 1}
    (note,) = (await waiting[NANTO].data(NOTIFICATIONS))["notifications"]["nodes"]
    assert note["kind"] == "WAITLIST_PROMOTED" and "防災DXセミナー" in note["message"]
    assert note["subject"]["status"] == "CONFIRMED"
    assert (await waiting[MURORAN].data(NOTIFICATIONS))["notifications"]["nodes"] == []
    assert (await first.data(NOTIFICATIONS))["notifications"]["nodes"] == []


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_cancelling_a_waiting_registration_promotes_nobody(sign_in, admin):
    id = await new_event(admin, capacity=1)
    await register(sign_in, TAKAISHI, id)
    second = await staff(sign_in, NANTO)
    waiting = (await second.accepted(REGISTER, {"id": id}))["registration"]
    third = await staff(sign_in, MURORAN)
    await third.accepted(REGISTER, {"id": id})

    await second.accepted(CANCEL_REGISTRATION, {"id": waiting["id"]})

    assert (await event(third, id))["viewerRegistration"] == {
        "status": "WAITLISTED",
        "waitlistPosition": 1,
    }
    assert (await third.data(NOTIFICATIONS))["notifications"]["nodes"] == []


async def test_a_municipality_registers_again_after_cancelling_at_the_end_of_the_queue(
    sign_in, admin
):
    id = await new_event(admin, capacity=1)
    member = await staff(sign_in, TAKAISHI)
    first = (await member.accepted(REGISTER, {"id": id}))["registration"]
    await register(sign_in, NANTO, id)
    await member.accepted(CANCEL_REGISTRATION, {"id": first["id"]})

    again = await member.accepted(REGISTER, {"id": id})

    assert (again["registration"]["status"], again["registration"]["waitlistPosition"]) == (
        "WAITLISTED",
        1,
    )
    assert await member.refused(CANCEL_REGISTRATION, {"id": first["id"]}) == ["INVALID_TRANSITION"]


async def test_only_the_registrant_or_the_secretariat_cancels_a_registration(sign_in, admin):
    id = await new_event(admin)
    registration = (await register(sign_in, TAKAISHI, id))["registration"]
    other = await staff(sign_in, NANTO)
    partner = await sign_in("PARTNER", partner=SOMPO)

    assert faults(await other.mutate(CANCEL_REGISTRATION, {"id": registration["id"]})) == [
        ("NOT_FOUND", ["input", "registrationId"])
    ]
    assert await partner.refused(CANCEL_REGISTRATION, {"id": registration["id"]}) == ["FORBIDDEN"]
    assert (await admin.accepted(CANCEL_REGISTRATION, {"id": registration["id"]}))["registration"][
        "status"
    ] == "CANCELLED"


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_registrations_of_a_cancelled_event_stay_as_history(sign_in, admin):
    id = await new_event(admin, capacity=1)
    member = await staff(sign_in, TAKAISHI)
    registration = (await member.accepted(REGISTER, {"id": id}))["registration"]
    await register(sign_in, NANTO, id)

    await admin.accepted(CANCEL_EVENT, {"id": id})

    seen = await event(admin, id)
    assert [r["status"] for r in seen["registrations"]["nodes"]] == ["CONFIRMED", "WAITLISTED"]
    assert seen["status"] == "CANCELLED" and seen["isRegistrationOpen"] is False
    assert faults(await member.mutate(CANCEL_REGISTRATION, {"id": registration["id"]})) == [
        ("EVENT_CANCELLED", ["input", "registrationId"])
    ]


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_registration_cannot_be_cancelled_once_the_event_has_started(sign_in, admin):
    id = await new_event(admin, capacity=1)
    member = await staff(sign_in, TAKAISHI)
    registration = (await member.accepted(REGISTER, {"id": id}))["registration"]
    await register(sign_in, NANTO, id)
    started = dt.datetime.now(JAPAN) - dt.timedelta(minutes=5)
    await Event.all().update(starts_at=started, registration_closes_at=started)

    payload = await member.mutate(CANCEL_REGISTRATION, {"id": registration["id"]})

    assert faults(payload) == [("REGISTRATION_CLOSED", ["input", "registrationId"])]
    assert [r["status"] for r in (await event(admin, id))["registrations"]["nodes"]] == [
        "CONFIRMED",
        "WAITLISTED",
    ]


# --- who sees registrations ------------------------------------------------------------------------


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_registrations_are_seen_by_the_secretariat_the_organiser_and_each_registrant_only(
    sign_in, gql
):
    organiser = await sign_in("PARTNER", partner=SOMPO)
    id = (await organiser.accepted(CREATE_EVENT, {"input": event_input()}))["event"]["id"]
    takaishi = await register(sign_in, TAKAISHI, id)
    await register(sign_in, NANTO, id)

    def codes(seen: dict) -> list[str]:
        return [r["municipality"]["code"] for r in seen["registrations"]["nodes"]]

    assert codes(await event(await sign_in("ADMIN"), id)) == [TAKAISHI, NANTO]
    assert codes(await event(organiser, id)) == [TAKAISHI, NANTO]
    assert codes(await event(await staff(sign_in, NANTO), id)) == [NANTO]
    assert codes(await event(await sign_in("PARTNER", partner=KANKO), id)) == []
    assert codes(await event(gql, id)) == []
    assert (await event(gql, id))["viewerRegistration"] is None

    registration = {"id": takaishi["registration"]["id"]}
    assert (await (await staff(sign_in, NANTO)).data(NODE, registration))["node"] is None
    assert (await gql.data(NODE, registration))["node"] is None
    assert (await organiser.data(NODE, registration))["node"] == registration
    assert (await (await staff(sign_in, TAKAISHI)).data(NODE, registration))["node"] == registration


# --- events(filter:) -------------------------------------------------------------------------------


async def test_events_are_listed_by_start_and_filtered(gql, admin, sign_in):
    groups = (await admin.data(WORKING_GROUPS))["alliance"]["workingGroups"]
    tourism = next(g["id"] for g in groups if g["theme"]["number"] == 3)
    partner = await sign_in("PARTNER", partner=SOMPO)
    await new_event(admin, title="後", startsAt=soon(40), endsAt=soon(40, hour=16))
    await new_event(admin, title="先", startsAt=soon(20), endsAt=soon(20, hour=16), kind="WORKSHOP")
    await new_event(
        admin,
        title="過去",
        startsAt=soon(-5),
        endsAt=soon(-5, hour=16),
        format="HYBRID",
        venue="大阪",
    )
    await new_event(
        admin,
        title="観光WG",
        workingGroupId=tourism,
        themeNumbers=[3],
        startsAt=soon(50),
        endsAt=soon(50, hour=16),
    )
    await partner.accepted(
        CREATE_EVENT,
        {"input": event_input(title="損保", startsAt=soon(60), endsAt=soon(60, hour=16))},
    )

    async def titles(**filter) -> list[str]:
        return [e["title"] for e in (await gql.data(EVENTS, {"filter": filter}))["events"]["nodes"]]

    assert await titles() == ["過去", "先", "後", "観光WG", "損保"]
    assert await titles(upcomingOnly=True) == ["先", "後", "観光WG", "損保"]
    assert await titles(themeNumber=3) == ["観光WG"]
    assert await titles(kind="WORKSHOP") == ["先"]
    assert await titles(format="HYBRID") == ["過去"]
    assert await titles(organiserPartnerSlug=SOMPO) == ["損保"]
    assert await titles(workingGroupId=tourism) == ["観光WG"]
    assert await titles(**{"from": soon(20), "until": soon(50)}) == ["先", "後"]
    naive_from = soon(40).removesuffix("+09:00")
    assert await titles(**{"from": naive_from}) == ["後", "観光WG", "損保"]


# Steps aside: an error in Query.events, as the test means (graphql-core reports it with its
# path).
@pytest.mark.plan_fallback("field_error")
async def test_a_bad_working_group_filter_is_an_error_not_a_fault(gql):
    errors = await gql.errors(EVENTS, {"filter": {"workingGroupId": "T2ZmZXJpbmc6MQ=="}})

    assert "WorkingGroup" in errors[0]["message"]
