"""The rules of membership through the API: applying, the secretariat's decisions, tiers, working groups."""

import pytest

from models import Membership, WorkingGroupParticipant

MEMBERSHIP_OF = """
query($code: String!) { municipality(code: $code) {
  memberships { id tier status joinedOn leftOn alliance { slug } workingGroups { theme { number } }
    history { kind tierBefore tierAfter statusBefore statusAfter note } } } }"""
APPLY = """
mutation($input: ApplyForMembershipInput!) { applyForMembership(input: $input) {
  membership { id status tier } userErrors { field code message } } }"""
DECISION = """
mutation($id: ID!) { %s(input: {membershipId: $id, note: "理事会決定"}) {
  membership { status joinedOn leftOn } userErrors { field code message } } }"""
CHANGE_TIER = """
mutation($id: ID!, $tier: MembershipTier!) { changeMembershipTier(input: {membershipId: $id, tier: $tier}) {
  membership { tier } userErrors { field code message } } }"""
JOIN = """
mutation($group: ID!, $code: String) { joinWorkingGroup(input: {workingGroupId: $group, municipalityCode: $code}) {
  workingGroup { theme { number } } membership { municipality { code } } userErrors { field code message } } }"""
LEAVE = """
mutation($group: ID!) { leaveWorkingGroup(input: {workingGroupId: $group}) {
  workingGroup { id } userErrors { code message } } }"""
GROUPS = '{ alliance(slug: "expo2025") { workingGroups { id theme { number } participants { totalCount nodes { municipality { code } } } } } }'

SAPPORO = "011002"  # not a member of any alliance
TAKAISHI = "272256"  # a full member of expo2025
RYUGASAKI = "082082"  # a supporting member of expo2025


async def expo_membership(gql, code: str) -> dict:
    memberships = (await gql.data(MEMBERSHIP_OF, {"code": code}))["municipality"]["memberships"]
    return next(m for m in memberships if m["alliance"]["slug"] == "expo2025")


async def first_group(gql) -> dict:
    return (await gql.data(GROUPS))["alliance"]["workingGroups"][0]


async def test_a_municipality_applies_and_the_secretariat_approves(gql, sign_in):
    staff = await sign_in("MUNICIPALITY", municipality=SAPPORO)
    admin = await sign_in("ADMIN")

    applied = await staff.accepted(APPLY, {"input": {"allianceSlug": "expo2025", "tier": "FULL"}})
    approved = await admin.accepted(DECISION % "approveMembership", {"id": applied["membership"]["id"]})

    assert applied["membership"]["status"] == "APPLIED"
    assert approved["membership"]["status"] == "ACTIVE"
    assert approved["membership"]["joinedOn"] is not None
    history = (await expo_membership(gql, SAPPORO))["history"]
    assert [(h["kind"], h["statusBefore"], h["statusAfter"]) for h in history] == [
        ("APPLIED", None, "APPLIED"),
        ("JOINED", "APPLIED", "ACTIVE"),
    ]
    assert history[1]["note"] == "理事会決定"


async def test_members_cannot_apply_again_nor_for_another_municipality(sign_in):
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)

    again = await staff.refused(APPLY, {"input": {"allianceSlug": "expo2025", "tier": "FULL"}})
    for_other = await staff.mutate(
        APPLY, {"input": {"allianceSlug": "expo2025", "tier": "FULL", "municipalityCode": SAPPORO}}
    )

    assert again == ["ALREADY_MEMBER"]
    assert [(e["code"], e["field"]) for e in for_other["userErrors"]] == [
        ("FORBIDDEN", ["input", "municipalityCode"])
    ]
    assert not await Membership.exists(municipality__code=SAPPORO)


async def test_a_succeeded_alliance_takes_no_applications(sign_in):
    staff = await sign_in("MUNICIPALITY", municipality=SAPPORO)

    refused = await staff.refused(APPLY, {"input": {"allianceSlug": "olympic-paralympic", "tier": "FULL"}})

    assert refused == ["INVALID"]


async def test_only_the_secretariat_decides(gql, sign_in):
    membership = await expo_membership(gql, TAKAISHI)
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    partner = await sign_in("PARTNER", partner="sompo-holdings")

    for mutation in ("suspendMembership", "withdrawMembership"):
        assert await staff.refused(DECISION % mutation, {"id": membership["id"]}) == ["FORBIDDEN"]
        assert await partner.refused(DECISION % mutation, {"id": membership["id"]}) == ["FORBIDDEN"]
        assert await gql.refused(DECISION % mutation, {"id": membership["id"]}) == ["UNAUTHENTICATED"]
    assert (await expo_membership(gql, TAKAISHI))["status"] == "ACTIVE"


async def test_suspend_reinstate_and_withdraw_follow_the_lifecycle(gql, sign_in):
    admin = await sign_in("ADMIN")
    membership_id = (await expo_membership(gql, TAKAISHI))["id"]

    async def decide(mutation: str) -> dict:
        return await admin.mutate(DECISION % mutation, {"id": membership_id})

    assert (await decide("approveMembership"))["userErrors"][0]["code"] == "INVALID_TRANSITION"
    assert (await decide("reinstateMembership"))["userErrors"][0]["code"] == "INVALID_TRANSITION"
    assert (await decide("suspendMembership"))["membership"]["status"] == "SUSPENDED"
    assert (await decide("reinstateMembership"))["membership"]["status"] == "ACTIVE"
    withdrawn = (await decide("withdrawMembership"))["membership"]
    assert withdrawn["status"] == "WITHDRAWN" and withdrawn["leftOn"] is not None
    assert (await decide("suspendMembership"))["userErrors"][0]["code"] == "INVALID_TRANSITION"
    statuses = [h["statusAfter"] for h in (await expo_membership(gql, TAKAISHI))["history"]]
    assert statuses[-3:] == ["SUSPENDED", "ACTIVE", "WITHDRAWN"]


async def test_a_tier_change_is_kept_in_the_history(gql, sign_in):
    admin = await sign_in("ADMIN")
    membership_id = (await expo_membership(gql, RYUGASAKI))["id"]

    changed = await admin.accepted(CHANGE_TIER, {"id": membership_id, "tier": "FULL"})
    unchanged = await admin.refused(CHANGE_TIER, {"id": membership_id, "tier": "FULL"})

    assert changed["membership"]["tier"] == "FULL"
    assert unchanged == ["UNCHANGED"]
    last = (await expo_membership(gql, RYUGASAKI))["history"][-1]
    assert (last["kind"], last["tierBefore"], last["tierAfter"]) == ("TIER_CHANGED", "SUPPORTING", "FULL")


async def test_an_id_of_another_type_is_refused_as_not_found(gql, sign_in):
    admin = await sign_in("ADMIN")
    group_id = (await first_group(gql))["id"]

    payload = await admin.mutate(CHANGE_TIER, {"id": group_id, "tier": "FULL"})

    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [("NOT_FOUND", ["input", "membershipId"])]


async def test_a_full_member_joins_and_leaves_a_working_group(gql, sign_in):
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    group = await first_group(gql)

    joined = await staff.accepted(JOIN, {"group": group["id"]})
    twice = await staff.refused(JOIN, {"group": group["id"]})
    participants = (await first_group(gql))["participants"]
    left = await staff.accepted(LEAVE, {"group": group["id"]})
    again = await staff.refused(LEAVE, {"group": group["id"]})

    assert joined["membership"]["municipality"]["code"] == TAKAISHI
    assert twice == ["ALREADY_PARTICIPATING"]
    assert {"municipality": {"code": TAKAISHI}} in participants["nodes"]
    assert left["workingGroup"]["id"] == group["id"]
    assert again == ["NOT_PARTICIPATING"]
    assert (await first_group(gql))["participants"]["totalCount"] == participants["totalCount"] - 1
    assert await WorkingGroupParticipant.filter(membership__municipality__code=TAKAISHI).count() == 1


async def test_a_supporting_member_is_told_why_it_cannot_join(gql, sign_in):
    staff = await sign_in("MUNICIPALITY", municipality=RYUGASAKI)
    group = await first_group(gql)

    payload = await staff.mutate(JOIN, {"group": group["id"]})

    (error,) = payload["userErrors"]
    assert error["code"] == "NOT_A_FULL_MEMBER"
    assert error["message"] == (
        "ワーキンググループへの参加は正会員の特典です。賛助会員の皆さまには、月例会報とオンラインセミナーをお届けしています。"
    )
    assert payload["workingGroup"] is None
    assert (await first_group(gql))["participants"]["totalCount"] == group["participants"]["totalCount"]


@pytest.mark.parametrize("code", [SAPPORO, TAKAISHI])
async def test_staff_cannot_seat_another_municipality(gql, sign_in, code):
    staff = await sign_in("MUNICIPALITY", municipality="162108")
    group = await first_group(gql)

    assert await staff.refused(JOIN, {"group": group["id"], "code": code}) == ["FORBIDDEN"]


async def test_the_secretariat_seats_a_member_and_becoming_supporting_ends_the_seat(gql, sign_in):
    admin = await sign_in("ADMIN")
    group = await first_group(gql)
    await admin.accepted(JOIN, {"group": group["id"], "code": TAKAISHI})
    membership_id = (await expo_membership(gql, TAKAISHI))["id"]

    await admin.accepted(CHANGE_TIER, {"id": membership_id, "tier": "SUPPORTING"})

    assert (await expo_membership(gql, TAKAISHI))["workingGroups"] == []
    assert await WorkingGroupParticipant.filter(left_on__isnull=False).count() == 1


async def test_a_suspended_member_cannot_join(gql, sign_in):
    admin = await sign_in("ADMIN")
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    await admin.accepted(DECISION % "suspendMembership", {"id": (await expo_membership(gql, TAKAISHI))["id"]})

    assert await staff.refused(JOIN, {"group": (await first_group(gql))["id"]}) == ["NOT_A_MEMBER"]
