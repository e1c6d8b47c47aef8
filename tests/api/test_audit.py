"""The audit log: every mutation, accepted, refused or failed, and the change and its record commit
together."""

import asyncio

import asyncpg
import pytest
from tortoise.exceptions import OperationalError

from models import AuditEntry, AuditOutcome, Membership, MembershipTier
from resolvers import audit
from tests.helpers import global_id

LOG = """
query($filter: AuditFilter) { auditLog(filter: $filter) {
  totalCount nodes { action outcome role userId target changes errors at } } }"""
CHANGE_TIER = """
mutation($id: ID!, $tier: MembershipTier!) { changeMembershipTier(input: {membershipId: $id, tier: $tier}) {
  membership { tier } userErrors { code } } }"""


async def ryugasaki_membership() -> Membership:
    return await Membership.get(municipality__code="082082", alliance__slug="expo2025")


async def test_accepted_and_refused_mutations_are_recorded_with_who_what_and_the_values(sign_in):
    admin = await sign_in("ADMIN")
    staff = await sign_in("MUNICIPALITY", municipality="082082")
    membership = await ryugasaki_membership()
    variables = {"id": global_id("Membership", membership.id), "tier": "FULL"}

    await staff.refused(CHANGE_TIER, variables)
    await admin.accepted(CHANGE_TIER, variables)

    log = (await admin.data(LOG, {"filter": {"action": "changeMembershipTier"}}))["auditLog"]
    accepted, refused = log["nodes"]
    assert log["totalCount"] == 2
    assert (accepted["outcome"], accepted["role"]) == ("ACCEPTED", "ADMIN")
    assert accepted["target"] == f"Membership:{membership.id}"
    assert accepted["changes"] == {"tier": ["SUPPORTING", "FULL"]}
    assert (refused["outcome"], refused["role"], refused["errors"]) == ("REFUSED", "MUNICIPALITY", ["FORBIDDEN"])
    assert refused["userId"] != accepted["userId"]


async def test_anonymous_refusals_are_recorded_too(gql, sign_in):
    membership = await ryugasaki_membership()

    await gql.refused(CHANGE_TIER, {"id": global_id("Membership", membership.id), "tier": "FULL"})

    entry = await AuditEntry.get(action="changeMembershipTier")
    assert (entry.outcome, entry.user_id, entry.errors) == ("REFUSED", None, ["UNAUTHENTICATED"])


# Steps aside: an error in Query.auditLog, as the test means (graphql-core reports it with its
# path).
@pytest.mark.plan_fallback("field_error")
async def test_the_log_filters_by_outcome_and_is_for_the_secretariat_only(gql, sign_in):
    admin = await sign_in("ADMIN")
    staff = await sign_in("MUNICIPALITY", municipality="082082")
    membership = await ryugasaki_membership()
    await staff.refused(CHANGE_TIER, {"id": global_id("Membership", membership.id), "tier": "FULL"})

    refused = (await admin.data(LOG, {"filter": {"outcome": "REFUSED"}}))["auditLog"]
    accepted = (await admin.data(LOG, {"filter": {"outcome": "ACCEPTED"}}))["auditLog"]

    assert refused["totalCount"] == 1 and accepted["totalCount"] == 0
    assert (await staff.errors(LOG))[0]["extensions"]["code"] == "FORBIDDEN"
    assert (await gql.errors(LOG))[0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_change_whose_audit_record_fails_is_rolled_back(sign_in, monkeypatch):
    admin = await sign_in("ADMIN")
    membership = await ryugasaki_membership()
    real_record = audit.record

    async def record_fails_on_accept(actor, action, outcome, **kwargs):
        if outcome == "ACCEPTED":
            raise RuntimeError("the audit table is unavailable")
        return await real_record(actor, action, outcome, **kwargs)

    monkeypatch.setattr(audit, "record", record_fails_on_accept)

    body = await admin.execute(CHANGE_TIER, {"id": global_id("Membership", membership.id), "tier": "FULL"})

    assert body["errors"][0]["message"] == "予期しないエラーが発生しました。"
    await membership.refresh_from_db()
    assert membership.tier is MembershipTier.SUPPORTING
    assert await membership.changes.all().count() == 1  # only the seed's CARRIED_OVER entry
    entry = await AuditEntry.get()
    assert (entry.action, entry.outcome, entry.changes, entry.errors) == (
        "changeMembershipTier", AuditOutcome.FAILED, {}, ["INTERNAL_ERROR"]
    )


def membership_save_failing_with(fault: Exception):
    """`Membership.save` that writes, then meets `fault` (as a statement of the same transaction would)."""
    real_save = Membership.save

    async def save(self, *args, **kwargs):
        await real_save(self, *args, **kwargs)
        raise fault

    return save


async def test_a_database_fault_during_the_write_is_masked_rolled_back_and_recorded_as_failed(sign_in, monkeypatch):
    admin = await sign_in("ADMIN")
    membership = await ryugasaki_membership()
    fault = OperationalError("deadlock detected: UPDATE membership SET tier='FULL' WHERE id=12")
    monkeypatch.setattr(Membership, "save", membership_save_failing_with(fault))

    body = await admin.execute(CHANGE_TIER, {"id": global_id("Membership", membership.id), "tier": "FULL"})

    assert [(e["message"], e["extensions"]["code"]) for e in body["errors"]] == [("予期しないエラーが発生しました。", "INTERNAL_ERROR")]
    assert "UPDATE" not in str(body) and "deadlock" not in str(body)
    await membership.refresh_from_db()
    assert membership.tier is MembershipTier.SUPPORTING
    log = (await admin.data(LOG, {"filter": {"outcome": "FAILED"}}))["auditLog"]
    assert [(n["action"], n["role"], n["errors"]) for n in log["nodes"]] == [
        ("changeMembershipTier", "ADMIN", ["INTERNAL_ERROR"])
    ]


async def test_a_connection_lost_during_the_write_is_a_503_and_recorded_as_failed(sign_in, client, monkeypatch):
    admin = await sign_in("ADMIN")
    membership = await ryugasaki_membership()
    lost = asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation")
    monkeypatch.setattr(Membership, "save", membership_save_failing_with(lost))

    response = await client.post(
        "/graphql",
        json={"query": CHANGE_TIER, "variables": {"id": global_id("Membership", membership.id), "tier": "FULL"}},
        headers=admin.headers,
    )

    assert (response.status_code, response.headers["retry-after"]) == (503, "5")
    assert [e["extensions"]["code"] for e in response.json()["errors"]] == ["SERVICE_UNAVAILABLE"]
    assert "closed" not in response.text
    await membership.refresh_from_db()
    assert membership.tier is MembershipTier.SUPPORTING
    entry = await AuditEntry.get()
    assert (entry.outcome, entry.errors) == (AuditOutcome.FAILED, ["SERVICE_UNAVAILABLE"])


@pytest.mark.parametrize("selection", ["dues { amount }", "duesBalance"])
# Steps aside: an error in Membership.dues, Membership.duesBalance, as the test means (graphql-
# core reports it with its path).
@pytest.mark.plan_fallback("field_error")
async def test_private_fields_name_their_rule_in_the_error(sign_in, selection):
    another_members_staff = await sign_in("MUNICIPALITY", municipality="162108")

    errors = await another_members_staff.errors('{ municipality(code: "082082") { memberships { %s } } }' % selection)

    assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    assert errors[0]["message"] == "この項目は事務局と該当自治体の職員のみが閲覧できます。"


async def test_a_unique_constraint_hit_by_a_concurrent_call_is_a_user_error(sign_in):
    admin = await sign_in("ADMIN")
    create = """
    mutation($slug: String!) { createPartner(input: {slug: $slug, name: "同時", kind: COMPANY, description: "-"}) {
      partner { slug } userErrors { code } } }"""

    results = await asyncio.gather(*(admin.mutate(create, {"slug": "same-slug"}) for _ in range(5)))

    assert sorted(bool(r["partner"]) for r in results) == [False] * 4 + [True]
    assert {e["code"] for r in results for e in r["userErrors"]} == {"ALREADY_EXISTS"}
    assert await AuditEntry.filter(action="createPartner").count() == 5


async def test_text_longer_than_its_column_is_refused_with_the_field_named(sign_in):
    admin = await sign_in("ADMIN")
    create = """
    mutation($name: String!) { createPartner(input: {slug: "long-name", name: $name, kind: COMPANY, description: "-"}) {
      partner { slug } userErrors { field code message } } }"""

    payload = await admin.mutate(create, {"name": "長" * 500})

    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(["input", "name"], "INVALID")]
    assert "長長長" not in payload["userErrors"][0]["message"]
    assert payload["partner"] is None
