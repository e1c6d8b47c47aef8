"""The three writes the benchmark measures (bench/writes.py) send only the statements their work
needs: what is in hand is not read again to name the audit entry or to mail a notification, and a
payload's objects are read only when the client asks for them."""

import pytest

from tests.api.test_events import new_event

TAKAISHI = "272256"  # a full member of expo2025
WRITES = {
    "requestOffering": "mutation($id: ID!) { requestOffering(input: {offeringId: $id}) { userErrors { code } } }",
    "registerForEvent": "mutation($id: ID!) { registerForEvent(input: {eventId: $id}) { userErrors { code } } }",
    "joinWorkingGroup": "mutation($id: ID!) { joinWorkingGroup(input: {workingGroupId: $id}) { userErrors { code } } }",
}
# The token; the checks (the target, the member, not twice, places left); the row; the audit entry;
# for a request, the notification to the partner and its staff to mail; for a registration, the
# registrant to mail and the municipality that names the entry.
BUDGET = {"requestOffering": 10, "registerForEvent": 8, "joinWorkingGroup": 7}
JOIN_WITH_OBJECTS = """mutation($id: ID!) { joinWorkingGroup(input: {workingGroupId: $id}) {
  workingGroup { theme { number } } membership { tier municipality { code } } userErrors { code } } }"""
GROUPS = '{ alliance(slug: "expo2025") { workingGroups { id theme { number } } } }'
OFFERINGS = 'query { partner(slug: "kanko-yoho-platform") { offerings { id title } } }'
LATEST_ENTRY = """query($action: String!) { auditLog(filter: {action: $action}, first: 1) {
  nodes { outcome targetName } } }"""


async def target_of(write: str, admin) -> str:
    if write == "requestOffering":
        return (await admin.data(OFFERINGS))["partner"]["offerings"][0]["id"]
    if write == "registerForEvent":
        return await new_event(admin)
    return (await admin.data(GROUPS))["alliance"]["workingGroups"][-1]["id"]


@pytest.mark.parametrize("write", list(WRITES))
async def test_a_write_sends_only_the_statements_its_work_needs(sign_in, sql_statements, write):
    admin = await sign_in("ADMIN")
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    target = await target_of(write, admin)

    before = sql_statements.count
    await staff.accepted(WRITES[write], {"id": target})

    assert sql_statements.count - before <= BUDGET[write]


async def test_the_audit_entry_names_what_the_write_held_in_hand(sign_in):
    admin = await sign_in("ADMIN")
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    offering = (await admin.data(OFFERINGS))["partner"]["offerings"][0]
    names = {"requestOffering": offering["title"], "joinWorkingGroup": "高石市", "registerForEvent": "高石市"}

    for write, name in names.items():
        target = offering["id"] if write == "requestOffering" else await target_of(write, admin)
        await staff.accepted(WRITES[write], {"id": target})
        (entry,) = (await admin.data(LATEST_ENTRY, {"action": write}))["auditLog"]["nodes"]
        assert entry == {"outcome": "ACCEPTED", "targetName": name}, write


async def test_a_seat_payload_reads_its_objects_when_asked(sign_in):
    admin = await sign_in("ADMIN")
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    group = (await admin.data(GROUPS))["alliance"]["workingGroups"][-1]

    payload = await staff.accepted(JOIN_WITH_OBJECTS, {"id": group["id"]})

    assert payload["workingGroup"]["theme"] == group["theme"]
    assert payload["membership"] == {"tier": "FULL", "municipality": {"code": TAKAISHI}}
