"""Managing offerings through the pages: the partner adds, edits, pauses and withdraws one (with a
confirmation and a reason), a duplicate title is confirmed, the member names a contact, the
partner sees it once accepted, and the secretariat edits a partner and withdraws its offering."""

import re

import pytest

# Steps aside: an offering's page reads it with `node`, which returns the Node interface
# (graphql-core resolves the runtime type).
pytestmark = pytest.mark.plan_fallback("abstract_type")

KANKO = "kanko-yoho-platform"
TAKAISHI = "272256"
OFFERING_LINK = re.compile(r'href="/partner/offerings/([^"/]+)">([^<]+)</a>')
NEW_OFFERING = {
    "title": "防災ドローン体験会",
    "kind": "WORKSHOP",
    "summary": "ドローンを使った情報収集を体験します。",
    "audience": "ALL_MEMBERS",
    "themeNumbers": "8",
    "capacity": "5",
}
ADD_CONTACT = """
mutation { addContact(input: {role: MAIN, name: "高石 太郎", email: "taro@example.jp", phone: "072-000-0000"}) {
  contact { id } userErrors { code } } }"""


async def add_offering(partner, **fields) -> str:
    """The partner adds an offering through the form; returns its ID from the page it lands on."""
    await partner.get("/partner/offerings")
    response = await partner.post("/partner/offerings", {**NEW_OFFERING, **fields})
    assert response.status_code == 303, response.text
    return response.headers["location"].split("/")[-1].split("?")[0]


async def test_a_partner_adds_an_offering_and_edits_it(signed_in):
    partner = await signed_in("PARTNER", partner_slug=KANKO)
    offering_id = await add_offering(partner)

    page = await partner.get(f"/partner/offerings/{offering_id}")
    assert page.status_code == 200 and 'value="防災ドローン体験会"' in page.text, "the form shows the values"
    edited = await partner.post(f"/partner/offerings/{offering_id}", {**NEW_OFFERING, "title": "防災ドローン体験会（秋）"})
    listed = await partner.get("/partner/offerings")

    assert edited.status_code == 303
    assert "防災ドローン体験会（秋）" in listed.text and "受付中" in listed.text


async def test_a_duplicate_title_is_shown_as_a_warning_the_partner_confirms(signed_in):
    partner = await signed_in("PARTNER", partner_slug=KANKO)
    await add_offering(partner)

    warned = await partner.post("/partner/offerings", {**NEW_OFFERING, "title": "防災ドローン　体験会"})
    confirmed = await partner.post("/partner/offerings", {**NEW_OFFERING, "confirmDuplicate": "yes"})

    assert warned.status_code == 422
    assert "同じタイトルの提供メニュー「防災ドローン体験会」がすでにあります" in warned.text
    assert 'name="confirmDuplicate"' in warned.text
    assert confirmed.status_code == 303


async def test_pausing_hides_the_request_form_from_members_and_resuming_shows_it(signed_in):
    partner = await signed_in("PARTNER", partner_slug=KANKO)
    offering_id = await add_offering(partner)
    member = await signed_in("MUNICIPALITY", municipality_code=TAKAISHI)

    await partner.get(f"/partner/offerings/{offering_id}")
    paused = await partner.post(f"/partner/offerings/{offering_id}/pause")
    while_paused = await member.get("/portal/offerings?search=防災ドローン体験会")
    await partner.get(f"/partner/offerings/{offering_id}")
    await partner.post(f"/partner/offerings/{offering_id}/resume")
    resumed = await member.get("/portal/offerings?search=防災ドローン体験会")

    assert paused.status_code == 303
    assert "利用依頼を受け付けていません（一時停止中）" in while_paused.text
    assert f'name="offeringId" value="{offering_id}"' in resumed.text


async def test_withdrawing_asks_for_confirmation_and_a_reason(signed_in):
    partner = await signed_in("PARTNER", partner_slug=KANKO)
    offering_id = await add_offering(partner)

    confirm = await partner.get(f"/partner/offerings/{offering_id}/withdraw")
    without_reason = await partner.post(f"/partner/offerings/{offering_id}/withdraw", {"reason": " "})
    withdrawn = await partner.post(f"/partner/offerings/{offering_id}/withdraw", {"reason": "講師の都合により中止"})
    page = await partner.get(f"/partner/offerings/{offering_id}")

    assert "元に戻" not in confirm.text and "再開も変更もできません" in confirm.text
    assert without_reason.status_code == 422 and 'id="f-reason-error"' in without_reason.text
    assert withdrawn.status_code == 303
    assert "取り下げ済み" in page.text and "/withdraw" not in page.text


async def test_the_member_names_a_contact_and_the_partner_sees_it_once_accepted(signed_in, sign_in):
    partner = await signed_in("PARTNER", partner_slug=KANKO)
    offering_id = await add_offering(partner)
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    contact_id = (await staff.accepted(ADD_CONTACT))["contact"]["id"]
    member = await signed_in("MUNICIPALITY", municipality_code=TAKAISHI)

    form = await member.get("/portal/offerings?search=防災ドローン体験会")
    assert f'<option value="{contact_id}">高石 太郎（主担当）</option>' in form.text
    requested = await member.post("/portal/offerings/request", {"offeringId": offering_id, "contactId": contact_id})
    before = await partner.get(f"/partner/offerings/{offering_id}")
    request_id = re.search(r'name="requestId" value="([^"]+)"', (await partner.get("/partner/requests")).text).group(1)
    await partner.post("/partner/requests/respond", {"requestId": request_id, "response": "ACCEPT"})
    after = await partner.get(f"/partner/offerings/{offering_id}?lang=en")
    requests = await partner.get("/partner/requests?lang=ja")

    assert requested.status_code == 303
    assert "高石 太郎" not in before.text and "依頼を承諾すると" in before.text
    assert "高石 太郎" in after.text and 'href="mailto:taro@example.jp"' in after.text
    assert "072-000-0000" in requests.text


async def test_another_partner_cannot_open_an_offerings_page(signed_in):
    partner = await signed_in("PARTNER", partner_slug=KANKO)
    offering_id = await add_offering(partner)
    other = await signed_in("PARTNER", partner_slug="sompo-holdings")

    await other.get("/partner/offerings")
    refused = await other.post(f"/partner/offerings/{offering_id}/withdraw", {"reason": "乗っ取り"})

    assert refused.status_code == 422
    assert "あなたの組織の提供サービスの中に該当するものはありません" in refused.text


async def test_the_secretariat_edits_a_partner_and_withdraws_its_offering_with_a_reason(signed_in, sign_in):
    admin = await signed_in("ADMIN")
    form = await admin.get(f"/admin/partners/{KANKO}/edit?lang=en")
    edited = await admin.post(f"/admin/partners/{KANKO}/edit", {"name": "観光予報プラットフォーム推進協議会", "nameEn": "Kanko Yoho Platform", "kind": "CONSORTIUM", "description": "説明"})
    page = await admin.get(f"/admin/partners/{KANKO}")
    offering_id = re.search(r'href="/admin/offerings/([^"/]+)"', page.text).group(1)

    await admin.get(f"/admin/offerings/{offering_id}/withdraw")
    withdrawn = await admin.post(f"/admin/offerings/{offering_id}/withdraw", {"reason": "提供終了の連絡を受けたため"})
    audit = await (await sign_in("ADMIN")).data('{ auditLog(filter: {action: "withdrawOffering"}) { nodes { changes } } }')

    assert "Edit" in form.text and 'value="観光予報プラットフォーム推進協議会"' in form.text
    assert edited.status_code == 303
    assert withdrawn.status_code == 303
    assert audit["auditLog"]["nodes"][0]["changes"]["reason"] == [None, "提供終了の連絡を受けたため"]
