"""Joint procurement: full members form groups, join, change and leave; the organiser or the secretariat closes."""

import base64
import datetime as dt

import pytest

from models import ProcurementGroup
from resolvers.calendar import today

GROUP_FIELDS = """
  id item unit description status closesOn acceptsChanges closedAt combinedQuantity participantCount
  theme { number } organiser { code } alliance { slug }
"""
CREATE = """
mutation($input: CreateProcurementGroupInput!) {
  createProcurementGroup(input: $input) { procurementGroup { %s } userErrors { field code message } }
}""" % GROUP_FIELDS
JOIN = """
mutation($group: ID!, $quantity: Int!, $code: String) {
  joinProcurementGroup(input: {groupId: $group, quantity: $quantity, municipalityCode: $code}) {
    procurementGroup { combinedQuantity participantCount }
    participation { quantity leftAt municipality { code } }
    userErrors { field code message }
  }
}"""
CHANGE = """
mutation($group: ID!, $quantity: Int!, $code: String) {
  changeProcurementQuantity(input: {groupId: $group, quantity: $quantity, municipalityCode: $code}) {
    procurementGroup { combinedQuantity participantCount }
    participation { quantity municipality { code } }
    userErrors { field code message }
  }
}"""
LEAVE = """
mutation($group: ID!, $code: String) {
  leaveProcurementGroup(input: {groupId: $group, municipalityCode: $code}) {
    procurementGroup { combinedQuantity participantCount }
    participation { quantity leftAt }
    userErrors { field code message }
  }
}"""
CLOSE = """
mutation($group: ID!) {
  closeProcurementGroup(input: {groupId: $group}) {
    procurementGroup { status closedAt acceptsChanges combinedQuantity } userErrors { field code message }
  }
}"""
GROUP = "query($id: ID!) { node(id: $id) { ... on ProcurementGroup { %s } } }" % GROUP_FIELDS
PARTICIPANTS = """
query($id: ID!) { node(id: $id) { ... on ProcurementGroup {
  participants(first: 100) { totalCount nodes { quantity municipality { code } } } } } }"""
GROUPS = """
query($filter: ProcurementGroupFilter) { procurementGroups(filter: $filter, first: 100) { totalCount nodes { item } } }"""
NOTIFICATIONS = """
{ notifications(first: 10) { nodes { kind message subject { ... on ProcurementGroup { item status } } } } }"""

TAKAISHI, NANTO, MURORAN, SOMA = "272256", "162108", "012050", "072095"  # full, active members
RYUGASAKI = "082082"  # a supporting, active member
SAPPORO = "011002"  # not a member


def closing_day(days: int = 30) -> str:
    return (today() + dt.timedelta(days=days)).isoformat()


def group_input(**fields) -> dict:
    return {
        "allianceSlug": "expo2025",
        "item": "非常用備蓄食料",
        "unit": "食",
        "description": "5年保存のアルファ化米。",
        "closesOn": closing_day(),
        **fields,
    }


def faults(payload: dict) -> list[tuple[str, list[str] | None]]:
    return [(e["code"], e["field"]) for e in payload["userErrors"]]


@pytest.fixture
async def admin(sign_in):
    return await sign_in("ADMIN")


@pytest.fixture
async def staff(sign_in):
    """Staff of each municipality the tests use, signed in once: code → client."""
    return {
        code: await sign_in("MUNICIPALITY", municipality=code)
        for code in (TAKAISHI, NANTO, MURORAN, SOMA, RYUGASAKI, SAPPORO)
    }


@pytest.fixture
async def group(staff) -> str:
    """An open group Takaishi organises (and does not take part in)."""
    payload = await staff[TAKAISHI].accepted(CREATE, {"input": group_input()})
    return payload["procurementGroup"]["id"]


async def group_of(caller, id: str) -> dict:
    return (await caller.data(GROUP, {"id": id}))["node"]


async def shares(caller, id: str) -> dict[str, int]:
    participants = (await caller.data(PARTICIPANTS, {"id": id}))["node"]["participants"]
    return {n["municipality"]["code"]: n["quantity"] for n in participants["nodes"]}


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_full_member_forms_a_group_for_disaster_prevention(gql, staff):
    payload = await staff[TAKAISHI].accepted(CREATE, {"input": group_input()})

    created = payload["procurementGroup"]
    assert created == await group_of(gql, created["id"])
    assert (created["item"], created["unit"], created["status"]) == ("非常用備蓄食料", "食", "OPEN")
    assert created["theme"] == {"number": 8}
    assert created["organiser"] == {"code": TAKAISHI} and created["alliance"] == {"slug": "expo2025"}
    assert (created["combinedQuantity"], created["participantCount"], created["acceptsChanges"]) == (0, 0, True)


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_members_join_change_and_leave_and_the_group_adds_them_up(staff, group):
    nanto = await staff[NANTO].accepted(JOIN, {"group": group, "quantity": 1000})
    muroran = await staff[MURORAN].accepted(JOIN, {"group": group, "quantity": 500})
    assert nanto["participation"] == {"quantity": 1000, "leftAt": None, "municipality": {"code": NANTO}}
    assert muroran["procurementGroup"] == {"combinedQuantity": 1500, "participantCount": 2}

    changed = await staff[NANTO].accepted(CHANGE, {"group": group, "quantity": 1200})
    assert changed["procurementGroup"] == {"combinedQuantity": 1700, "participantCount": 2}

    left = await staff[MURORAN].accepted(LEAVE, {"group": group})
    assert left["participation"]["leftAt"] is not None
    assert left["procurementGroup"] == {"combinedQuantity": 1200, "participantCount": 1}
    assert await shares(staff[SOMA], group) == {NANTO: 1200}

    back = await staff[MURORAN].accepted(JOIN, {"group": group, "quantity": 300})
    assert back["procurementGroup"] == {"combinedQuantity": 1500, "participantCount": 2}
    assert await shares(staff[SOMA], group) == {NANTO: 1200, MURORAN: 300}


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_joining_again_changes_nothing(staff, group):
    await staff[NANTO].accepted(JOIN, {"group": group, "quantity": 1000})

    again = await staff[NANTO].mutate(JOIN, {"group": group, "quantity": 5})

    assert faults(again) == [("ALREADY_PARTICIPATING", ["input", "groupId"])]
    assert await shares(staff[NANTO], group) == {NANTO: 1000}


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_supporting_member_is_told_projects_are_for_full_members(staff, group):
    joined = await staff[RYUGASAKI].mutate(JOIN, {"group": group, "quantity": 100})
    formed = await staff[RYUGASAKI].mutate(CREATE, {"input": group_input()})

    for payload in (joined, formed):
        (error,) = payload["userErrors"]
        assert error["code"] == "NOT_A_FULL_MEMBER"
        assert "正会員" in error["message"] and "賛助会員" in error["message"]
    assert (await staff[SAPPORO].refused(JOIN, {"group": group, "quantity": 100})) == ["NOT_A_MEMBER"]
    assert await shares(staff[NANTO], group) == {}


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_the_organiser_closes_and_each_participant_is_told(staff, group):
    await staff[NANTO].accepted(JOIN, {"group": group, "quantity": 1000})
    await staff[MURORAN].accepted(JOIN, {"group": group, "quantity": 500})
    await staff[SOMA].accepted(JOIN, {"group": group, "quantity": 50})
    await staff[SOMA].accepted(LEAVE, {"group": group})

    closed = (await staff[TAKAISHI].accepted(CLOSE, {"group": group}))["procurementGroup"]

    assert closed["status"] == "CLOSED" and closed["closedAt"] is not None
    assert (closed["acceptsChanges"], closed["combinedQuantity"]) == (False, 1500)
    for code in (NANTO, MURORAN):
        (notice,) = (await staff[code].data(NOTIFICATIONS))["notifications"]["nodes"]
        assert notice["kind"] == "PROCUREMENT_CLOSED"
        assert notice["subject"] == {"item": "非常用備蓄食料", "status": "CLOSED"}
        assert notice["message"] == "高石市が取りまとめる「非常用備蓄食料」の共同調達が締め切られました：2自治体から計1500食。"
    for code in (SOMA, TAKAISHI, RYUGASAKI):
        assert (await staff[code].data(NOTIFICATIONS))["notifications"]["nodes"] == []


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_closed_group_takes_no_more_changes(staff, group):
    await staff[NANTO].accepted(JOIN, {"group": group, "quantity": 1000})
    await staff[TAKAISHI].accepted(CLOSE, {"group": group})

    refusals = [
        await staff[MURORAN].mutate(JOIN, {"group": group, "quantity": 10}),
        await staff[NANTO].mutate(CHANGE, {"group": group, "quantity": 10}),
        await staff[NANTO].mutate(LEAVE, {"group": group}),
    ]

    assert [faults(p) for p in refusals] == [[("GROUP_CLOSED", ["input", "groupId"])]] * 3
    assert faults(await staff[TAKAISHI].mutate(CLOSE, {"group": group})) == [
        ("INVALID_TRANSITION", ["input", "groupId"])
    ]
    assert await shares(staff[NANTO], group) == {NANTO: 1000}


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_after_its_closing_date_a_group_takes_no_more_changes(gql, staff, group):
    await staff[NANTO].accepted(JOIN, {"group": group, "quantity": 1000})
    pk = int(base64.b64decode(group).decode().partition(":")[2])
    await ProcurementGroup.filter(id=pk).update(closes_on=today() - dt.timedelta(days=1))

    joined = await staff[MURORAN].mutate(JOIN, {"group": group, "quantity": 10})
    left = await staff[NANTO].mutate(LEAVE, {"group": group})

    assert faults(joined) == faults(left) == [("GROUP_CLOSED", ["input", "groupId"])]
    assert (await group_of(gql, group))["acceptsChanges"] is False
    assert (await group_of(gql, group))["status"] == "OPEN"


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_the_secretariat_closes_any_group_and_acts_for_a_municipality(admin, staff, group):
    joined = await admin.accepted(JOIN, {"group": group, "quantity": 200, "code": NANTO})

    closed = await admin.accepted(CLOSE, {"group": group})

    assert joined["participation"]["municipality"] == {"code": NANTO}
    assert closed["procurementGroup"]["status"] == "CLOSED"
    (notice,) = (await staff[NANTO].data(NOTIFICATIONS))["notifications"]["nodes"]
    assert notice["kind"] == "PROCUREMENT_CLOSED"


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_another_municipality_neither_closes_nor_acts_for_a_third(staff, group):
    await staff[MURORAN].accepted(JOIN, {"group": group, "quantity": 500})
    nanto = staff[NANTO]

    refusals = [
        await nanto.mutate(CLOSE, {"group": group}),
        await nanto.mutate(JOIN, {"group": group, "quantity": 10, "code": SOMA}),
        await nanto.mutate(CHANGE, {"group": group, "quantity": 1, "code": MURORAN}),
        await nanto.mutate(LEAVE, {"group": group, "code": MURORAN}),
        await nanto.mutate(CREATE, {"input": group_input(municipalityCode=MURORAN)}),
    ]

    assert [faults(p) for p in refusals] == [
        [("FORBIDDEN", ["input", "groupId"])],
        [("FORBIDDEN", ["input", "municipalityCode"])],
        [("FORBIDDEN", ["input", "municipalityCode"])],
        [("FORBIDDEN", ["input", "municipalityCode"])],
        [("FORBIDDEN", ["input", "municipalityCode"])],
    ]
    assert (await group_of(nanto, group))["status"] == "OPEN"
    assert await shares(nanto, group) == {MURORAN: 500}


@pytest.mark.parametrize("who", ["anonymous", "partner"])
async def test_partners_and_anonymous_callers_do_not_write(gql, sign_in, group, who):
    caller = gql if who == "anonymous" else await sign_in("PARTNER", partner="sompo-holdings")
    expected = ["UNAUTHENTICATED"] if who == "anonymous" else ["FORBIDDEN"]

    assert await caller.refused(CREATE, {"input": group_input()}) == expected
    assert await caller.refused(JOIN, {"group": group, "quantity": 1}) == expected
    assert await caller.refused(CLOSE, {"group": group}) == expected


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_who_takes_part_is_for_the_secretariat_and_members(gql, sign_in, admin, staff, group):
    await staff[NANTO].accepted(JOIN, {"group": group, "quantity": 1000})
    partner = await sign_in("PARTNER", partner="sompo-holdings")

    assert await shares(admin, group) == await shares(staff[RYUGASAKI], group) == {NANTO: 1000}
    (anonymous,) = await gql.errors(PARTICIPANTS, {"id": group})
    (partner_error,) = await partner.errors(PARTICIPANTS, {"id": group})
    (outsider,) = await staff[SAPPORO].errors(PARTICIPANTS, {"id": group})
    assert anonymous["extensions"]["code"] == "UNAUTHENTICATED"
    assert partner_error["extensions"]["code"] == outsider["extensions"]["code"] == "FORBIDDEN"
    totals = await group_of(gql, group)
    assert (totals["combinedQuantity"], totals["participantCount"]) == (1000, 1)


@pytest.mark.parametrize(
    ("fields", "fault"),
    [
        ({"item": "  "}, ("INVALID", ["input", "item"])),
        ({"unit": ""}, ("INVALID", ["input", "unit"])),
        ({"unit": "食" * 17}, ("INVALID", ["input", "unit"])),
        ({"closesOn": (today() - dt.timedelta(days=1)).isoformat()}, ("INVALID", ["input", "closesOn"])),
        ({"themeNumber": 11}, ("NOT_FOUND", ["input", "themeNumber"])),
        ({"allianceSlug": "no-such-alliance"}, ("NOT_FOUND", ["input", "allianceSlug"])),
    ],
)
async def test_bad_group_input_is_a_user_error(gql, staff, fields, fault):
    payload = await staff[TAKAISHI].mutate(CREATE, {"input": group_input(**fields)})

    assert faults(payload) == [fault]
    assert (await gql.data(GROUPS))["procurementGroups"]["totalCount"] == 0


@pytest.mark.parametrize("quantity", [0, -5, 1_000_001])
# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_quantity_out_of_range_is_a_user_error(staff, group, quantity):
    await staff[MURORAN].accepted(JOIN, {"group": group, "quantity": 10})

    joined = await staff[NANTO].mutate(JOIN, {"group": group, "quantity": quantity})
    changed = await staff[MURORAN].mutate(CHANGE, {"group": group, "quantity": quantity})

    assert faults(joined) == faults(changed) == [("INVALID", ["input", "quantity"])]
    assert await shares(staff[NANTO], group) == {MURORAN: 10}


async def test_changing_or_leaving_without_taking_part_is_refused(staff, group):
    await staff[NANTO].accepted(JOIN, {"group": group, "quantity": 10})

    assert faults(await staff[MURORAN].mutate(CHANGE, {"group": group, "quantity": 5})) == [
        ("NOT_PARTICIPATING", ["input", "groupId"])
    ]
    assert faults(await staff[MURORAN].mutate(LEAVE, {"group": group})) == [
        ("NOT_PARTICIPATING", ["input", "groupId"])
    ]
    assert faults(await staff[NANTO].mutate(CHANGE, {"group": group, "quantity": 10})) == [
        ("UNCHANGED", ["input", "quantity"])
    ]


async def test_an_id_that_is_no_group_is_not_found(staff):
    for id in (base64.b64encode(b"Offering:1").decode(), base64.b64encode(b"ProcurementGroup:999999").decode()):
        payload = await staff[NANTO].mutate(JOIN, {"group": id, "quantity": 1})
        assert faults(payload) == [("NOT_FOUND", ["input", "groupId"])]


async def test_groups_filter_by_status_theme_and_alliance(gql, staff, group):
    await staff[NANTO].accepted(CREATE, {"input": group_input(item="簡易トイレ", unit="個", themeNumber=7)})
    await staff[TAKAISHI].accepted(CLOSE, {"group": group})

    async def items(**filter) -> list[str]:
        data = await gql.data(GROUPS, {"filter": filter or None})
        return [n["item"] for n in data["procurementGroups"]["nodes"]]

    assert await items() == ["簡易トイレ", "非常用備蓄食料"]
    assert await items(status="OPEN") == ["簡易トイレ"]
    assert await items(status="CLOSED") == ["非常用備蓄食料"]
    assert await items(themeNumber=8) == ["非常用備蓄食料"]
    assert await items(allianceSlug="expo2025", themeNumber=7) == ["簡易トイレ"]
    assert await items(allianceSlug="olympic-paralympic") == []
