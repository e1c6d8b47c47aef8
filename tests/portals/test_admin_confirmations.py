"""Destructive actions in /admin go through a confirmation that says what will happen, naming
who, and asks for a reason, which the audit log keeps."""

import re

import pytest

from models import ApiToken, AuditEntry, Membership, Municipality, Officer
from models.account import Role
from resolvers.accounts import create_user_with_token
from tests.helpers import global_id

# Each confirmation reads its membership, officer or token with node(id:), an abstract type.
pytestmark = pytest.mark.plan_fallback("abstract_type")


async def ryugasaki_id() -> str:
    membership = await Membership.get(municipality__code="082082", alliance__slug="expo2025")
    return global_id("Membership", membership.id)


async def test_suspending_asks_first_and_keeps_the_reason(signed_in):
    admin = await signed_in("ADMIN")
    membership_id = await ryugasaki_id()

    page = (await admin.get(f"/admin/members/{membership_id}")).text
    assert f'<form method="get" action="/admin/members/{membership_id}/suspend">' in page
    confirmation = await admin.get(f"/admin/members/{membership_id}/suspend")
    assert confirmation.status_code == 200
    assert "龍ケ崎市の会員資格を停止します。" in confirmation.text and 'name="reason"' in confirmation.text
    assert (await Membership.get(municipality__code="082082", alliance__slug="expo2025")).status == "ACTIVE"

    done = await admin.post(f"/admin/members/{membership_id}/suspend", {"reason": "会費の長期未納のため"})

    assert done.status_code == 303 and done.headers["location"].startswith(f"/admin/members/{membership_id}")
    entry = await AuditEntry.get(action="suspendMembership")
    assert (entry.outcome, entry.reason, entry.target_name) == ("ACCEPTED", "会費の長期未納のため", "龍ケ崎市")


async def test_without_a_reason_nothing_happens_and_the_confirmation_says_why(signed_in):
    admin = await signed_in("ADMIN")
    membership_id = await ryugasaki_id()
    await admin.get(f"/admin/members/{membership_id}/withdraw?lang=en")

    response = await admin.post(f"/admin/members/{membership_id}/withdraw", {"reason": "  "})

    assert response.status_code == 422
    assert "Give a reason." in response.text and "Ryugasaki City will be recorded as having left" in response.text
    assert (await Membership.get(municipality__code="082082", alliance__slug="expo2025")).status == "ACTIVE"
    assert not await AuditEntry.exists(action="withdrawMembership")


async def test_rejecting_an_application_from_the_list_confirms_and_returns_to_the_list(signed_in):
    admin = await signed_in("ADMIN")
    expo = await Membership.get(municipality__code="082082", alliance__slug="expo2025")
    members = await Membership.filter(alliance_id=expo.alliance_id).values_list("municipality_id", flat=True)
    outsider = await Municipality.exclude(id__in=members).first()
    applicant = await Membership.create(alliance_id=expo.alliance_id, municipality=outsider, tier="SUPPORTING", status="APPLIED")
    applicant_id = global_id("Membership", applicant.id)

    listing = (await admin.get("/admin/applications")).text
    assert f'<form method="get" action="/admin/members/{applicant_id}/reject">' in listing
    confirmation = (await admin.get(f"/admin/members/{applicant_id}/reject?back=applications")).text
    assert f"{outsider.name}からの入会申請を却下します。" in confirmation
    assert 'href="/admin/applications"' in confirmation

    done = await admin.post(f"/admin/members/{applicant_id}/reject", {"reason": "対象外の団体", "back": "applications"})

    assert done.headers["location"].startswith("/admin/applications")
    assert (await AuditEntry.get(action="rejectMembership")).reason == "対象外の団体"


async def test_ending_a_term_and_revoking_a_token_confirm_naming_the_person(signed_in):
    admin = await signed_in("ADMIN")
    officer = await Officer.filter(ended_on=None).first()
    user, _ = await create_user_with_token(name="鈴木 花子", role=Role.MUNICIPALITY, municipality_code="272256")
    token = await ApiToken.get(user_id=user.id)
    officer_id, token_id = global_id("Officer", officer.id), global_id("ApiToken", token.id)

    officers = (await admin.get("/admin/officers")).text
    term = (await admin.get(f"/admin/officers/{officer_id}/end")).text
    accounts = (await admin.get("/admin/accounts")).text
    revoke = (await admin.get(f"/admin/accounts/{token_id}/revoke")).text

    assert f'<form method="get" action="/admin/officers/{officer_id}/end">' in officers
    assert f"{officer.person_name}さん" in term and "任期を本日で終了します" in term
    assert f'<form method="get" action="/admin/accounts/{token_id}/revoke">' in accounts
    assert re.search(r"鈴木 花子さんのトークン（[^）]+…）を失効させます", revoke)

    await admin.post(f"/admin/officers/{officer_id}/end", {"reason": "任期満了"})
    await admin.post(f"/admin/accounts/{token_id}/revoke", {"reason": "異動のため"})

    assert (await Officer.get(id=officer.id)).ended_on is not None
    assert (await ApiToken.get(id=token.id)).revoked_at is not None
    reasons = {e.action: e.reason for e in await AuditEntry.filter(outcome="ACCEPTED")}
    assert reasons["endOfficerTerm"] == "任期満了" and reasons["revokeToken"] == "異動のため"
