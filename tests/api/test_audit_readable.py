"""The audit log read by people: actions, callers, targets, changes and refusals in words, in the
caller's language; a reason kept with destructive mutations; filters by period, caller, target."""

import datetime as dt

from i18n import catalogue
from models import ApiToken, AuditEntry, Membership, Municipality, Officer
from models.account import Role
from resolvers.accounts import create_user_with_token
from schema.permissions import MUTATION_RULES
from tests.helpers import global_id

LOG = """
query($filter: AuditFilter) { auditLog(filter: $filter, first: 20) {
  totalCount nodes { action actionName outcome actorName targetKind targetKindName targetId targetName
    fieldChanges { field label before after } errors errorMessages reason } } }"""
SUSPEND = """
mutation($id: ID!, $reason: String) { suspendMembership(input: {membershipId: $id, reason: $reason}) {
  membership { status } userErrors { code field } } }"""
CHANGE_TIER = """
mutation($id: ID!) { changeMembershipTier(input: {membershipId: $id, tier: FULL}) { userErrors { code } } }"""
REVOKE = """
mutation($id: ID!, $reason: String) { revokeToken(input: {tokenId: $id, reason: $reason}) { userErrors { code } } }"""
END_TERM = """
mutation($id: ID!, $reason: String) { endOfficerTerm(input: {officerId: $id, reason: $reason}) { userErrors { code } } }"""
REJECT = """
mutation($id: ID!, $reason: String) { rejectMembership(input: {membershipId: $id, reason: $reason}) { userErrors { code } } }"""
WITHDRAW = """
mutation($id: ID!, $reason: String) { withdrawMembership(input: {membershipId: $id, reason: $reason}) { userErrors { code } } }"""


async def ryugasaki() -> Membership:
    return await Membership.get(municipality__code="082082", alliance__slug="expo2025")


def test_every_audited_action_has_words_in_both_languages():
    for language in ("ja", "en"):
        words = catalogue(language)
        missing = [action for action in MUTATION_RULES if not words.get(f"audit.action.{action}", "").strip()]
        assert missing == [], f"{language}: {missing}"


async def test_a_suspension_reads_in_words_with_its_reason_in_japanese_and_english(sign_in):
    admin = await sign_in("ADMIN")
    membership = await ryugasaki()

    await admin.accepted(SUSPEND, {"id": global_id("Membership", membership.id), "reason": "会費の長期未納のため"})

    (ja,) = (await admin.data(LOG, {"filter": {"action": "suspendMembership"}}))["auditLog"]["nodes"]
    (en,) = (await admin.reading("en").data(LOG, {"filter": {"action": "suspendMembership"}}))["auditLog"]["nodes"]
    assert (ja["actionName"], en["actionName"]) == ("会員資格の停止", "Suspend a membership")
    assert ja["actorName"] == "Admin test user"
    assert (ja["targetKind"], ja["targetKindName"], en["targetKindName"]) == ("Membership", "会員資格", "Membership")
    assert ja["targetId"] == global_id("Membership", membership.id)
    assert (ja["targetName"], en["targetName"]) == ("龍ケ崎市", "Ryugasaki City")
    assert ja["fieldChanges"] == [{"field": "status", "label": "状態", "before": "活動中", "after": "停止中"}]
    assert en["fieldChanges"] == [{"field": "status", "label": "Status", "before": "Active", "after": "Suspended"}]
    assert ja["reason"] == en["reason"] == "会費の長期未納のため"


async def test_refusals_read_in_words(sign_in):
    admin = await sign_in("ADMIN")
    staff = await sign_in("MUNICIPALITY", municipality="082082")
    await staff.refused(CHANGE_TIER, {"id": global_id("Membership", (await ryugasaki()).id)})

    (ja,) = (await admin.data(LOG, {"filter": {"outcome": "REFUSED"}}))["auditLog"]["nodes"]
    (en,) = (await admin.reading("en").data(LOG, {"filter": {"outcome": "REFUSED"}}))["auditLog"]["nodes"]

    assert ja["errors"] == ["FORBIDDEN"]
    assert ja["errorMessages"] == ["この操作を行う権限がありません。"]
    assert en["errorMessages"] and "FORBIDDEN" not in en["errorMessages"][0]
    assert ja["actorName"] == "Municipality test user"


async def test_a_reason_too_long_is_refused_and_the_refusal_recorded(sign_in):
    admin = await sign_in("ADMIN")
    membership = await ryugasaki()

    payload = await admin.mutate(SUSPEND, {"id": global_id("Membership", membership.id), "reason": "長" * 1001})

    assert payload["userErrors"] == [{"code": "INVALID", "field": ["input", "reason"]}]
    assert (await ryugasaki()).status == "ACTIVE"
    entry = await AuditEntry.get(action="suspendMembership")
    assert (entry.outcome, entry.errors) == ("REFUSED", ["INVALID"])


async def test_each_destructive_mutation_keeps_its_reason(sign_in):
    admin = await sign_in("ADMIN")
    user, _ = await create_user_with_token(name="鈴木 花子", role=Role.ADMIN)
    token = await ApiToken.get(user_id=user.id)
    officer = await Officer.filter(ended_on=None).first()
    active = await Membership.filter(status="ACTIVE").exclude(id=(await ryugasaki()).id).first()
    members = await Membership.filter(alliance_id=active.alliance_id).values_list("municipality_id", flat=True)
    outsider = await Municipality.exclude(id__in=members).first()
    applicant = await Membership.create(
        alliance_id=active.alliance_id, municipality=outsider, tier="SUPPORTING", status="APPLIED"
    )
    assert officer and active

    await admin.accepted(REVOKE, {"id": global_id("ApiToken", token.id), "reason": "異動のため"})
    await admin.accepted(END_TERM, {"id": global_id("Officer", officer.id), "reason": "任期満了"})
    await admin.accepted(REJECT, {"id": global_id("Membership", applicant.id), "reason": "要件を満たさない"})
    await admin.accepted(WITHDRAW, {"id": global_id("Membership", active.id), "reason": "退会届の受理"})

    entries = {e.action: e for e in await AuditEntry.filter(outcome="ACCEPTED")}
    assert entries["revokeToken"].reason == "異動のため"
    assert entries["revokeToken"].target_name == "鈴木 花子"
    assert entries["endOfficerTerm"].reason == "任期満了"
    assert entries["endOfficerTerm"].target_name == officer.person_name
    assert entries["rejectMembership"].reason == "要件を満たさない"
    assert entries["withdrawMembership"].reason == "退会届の受理"


async def test_the_log_filters_by_caller_target_and_period(sign_in):
    admin = await sign_in("ADMIN")
    staff = await sign_in("MUNICIPALITY", municipality="082082")
    membership = await ryugasaki()
    other = await Membership.filter(status="ACTIVE", tier="FULL").exclude(id=membership.id).first()
    other_town = await Municipality.get(id=other.municipality_id)
    await admin.accepted(SUSPEND, {"id": global_id("Membership", membership.id), "reason": "理由"})
    await admin.accepted(SUSPEND, {"id": global_id("Membership", other.id), "reason": "理由"})
    await staff.refused(CHANGE_TIER, {"id": global_id("Membership", membership.id)})

    async def count(**filter: object) -> int:
        return (await admin.data(LOG, {"filter": filter}))["auditLog"]["totalCount"]

    assert await count(actorName="Admin test") == 2
    assert await count(actorName="Municipality test") == 1
    assert await count(targetName="龍ケ崎") == 1
    assert await count(targetName="ryugasaki") == 1
    assert await count(targetName=other_town.name) == 1
    assert await count(targetKind="Membership") == 2
    assert await count(targetKind="Officer") == 0
    now = dt.datetime.now(dt.UTC)
    assert await count(since=(now - dt.timedelta(hours=1)).isoformat()) == 3
    assert await count(until=(now - dt.timedelta(hours=1)).isoformat()) == 0


async def test_the_log_in_words_costs_the_same_statements_for_5_and_50_entries(sign_in, sql_statements):
    admin = await sign_in("ADMIN")
    members = await Membership.filter(status="ACTIVE").limit(50)
    for index, membership in enumerate(members):
        caller = admin if index % 2 else await sign_in("ADMIN")
        await caller.accepted(SUSPEND, {"id": global_id("Membership", membership.id), "reason": "理由"})
    query = LOG.replace("first: 20", "first: $first").replace("$filter: AuditFilter", "$filter: AuditFilter, $first: Int")

    async def statements(first: int) -> int:
        before = sql_statements.count
        await admin.data(query, {"filter": {"action": "suspendMembership"}, "first": first})
        return sql_statements.count - before

    assert await statements(5) == await statements(50)
