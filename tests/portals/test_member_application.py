"""A municipality that is not a member applies through the member portal, sees its application
pending, and reads the secretariat's approval among its notifications."""

import pytest

from models import Membership, MembershipStatus
from tests.helpers import global_id

SAPPORO = "011002"  # not a member of any alliance


@pytest.mark.parametrize(
    ("language", "pending", "approved"),
    [
        ("ja", "入会の申込は事務局で確認中です（賛助会員、", "札幌市の万博首長連合への入会が承認されました（賛助会員、"),
        ("en", "Your application (Supporting member, made on", "was approved (Supporting member, from"),
    ],
)
async def test_a_non_member_applies_and_hears_of_its_approval(signed_in, sign_in, language, pending, approved):
    staff = await signed_in("MUNICIPALITY", municipality_code=SAPPORO)
    admin = await sign_in("ADMIN")

    home = (await staff.get(f"/portal?lang={language}")).text
    form = (await staff.get("/portal/membership/apply")).text
    sent = await staff.post("/portal/membership/apply", {"tier": "SUPPORTING", "note": "よろしくお願いします"})
    after = (await staff.get(sent.headers["location"])).text
    membership = await Membership.get(municipality__code=SAPPORO, alliance__slug="expo2025")
    await admin.accepted(
        'mutation($id: ID!) { approveMembership(input: {membershipId: $id}) { userErrors { code } } }',
        {"id": global_id("Membership", membership.pk)},
    )
    notifications = (await staff.get("/portal/notifications")).text

    assert 'href="/portal/membership/apply"' in home
    assert 'name="tier" value="FULL"' in form and 'name="tier" value="SUPPORTING"' in form
    assert sent.status_code == 303
    assert pending in after and 'name="tier"' not in after
    assert membership.status is MembershipStatus.APPLIED
    assert approved in notifications


async def test_an_application_without_a_tier_is_refused_beside_the_field(signed_in):
    staff = await signed_in("MUNICIPALITY", municipality_code=SAPPORO)
    await staff.get("/portal/membership/apply")

    response = await staff.post("/portal/membership/apply", {"note": "x"})

    assert response.status_code == 422
    assert 'id="f-tier-error"' in response.text
    assert not await Membership.exists(municipality__code=SAPPORO, alliance__slug="expo2025")


async def test_a_member_is_not_offered_the_form(signed_in):
    staff = await signed_in("MUNICIPALITY", municipality_code="272256")

    page = (await staff.get("/portal/membership/apply")).text

    assert 'name="tier"' not in page and "この自治体はすでに会員です。" in page


async def test_a_notification_links_to_the_page_it_is_about(signed_in, sign_in):
    staff = await signed_in("MUNICIPALITY", municipality_code="272256")
    asker = await sign_in("MUNICIPALITY", municipality="162108")
    await asker.accepted(
        'mutation { requestIntroduction(input: {peerCode: "272256", message: "情報交換を"}) { userErrors { code } } }'
    )

    page = (await staff.get("/portal/notifications")).text

    assert '<a href="/portal/introductions">南砺市から紹介の依頼が届きました。</a>' in page
