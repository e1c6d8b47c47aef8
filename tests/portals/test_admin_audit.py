"""The audit log page and its CSV: in words, in the page's language, filtered and exported."""

import csv
import datetime as dt
import io
import re

from models import Membership
from tests.helpers import global_id

SUSPEND = """
mutation($id: ID!, $reason: String) { suspendMembership(input: {membershipId: $id, reason: $reason}) {
  userErrors { code } } }"""
JOIN = """
mutation($id: ID!) { joinWorkingGroup(input: {workingGroupId: $id}) { userErrors { code } } }"""


def excel_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


async def suspend_ryugasaki(api, reason: str = "会費の長期未納のため") -> str:
    membership = await Membership.get(municipality__code="082082", alliance__slug="expo2025")
    await api.accepted(SUSPEND, {"id": global_id("Membership", membership.id), "reason": reason})
    return global_id("Membership", membership.id)


async def test_the_log_reads_in_words_in_japanese_and_english(signed_in, sign_in):
    api = await sign_in("ADMIN")
    membership_id = await suspend_ryugasaki(api)
    admin = await signed_in("ADMIN")

    japanese = (await admin.get("/admin/audit?action=suspendMembership")).text
    english = (await admin.get("/admin/audit?action=suspendMembership&lang=en")).text

    assert "会員資格の停止" in japanese and "Admin test user" in japanese
    assert f'<a href="/admin/members/{membership_id}">龍ケ崎市</a>' in japanese
    assert "状態：活動中 → 停止中" in japanese and "会費の長期未納のため" in japanese
    assert "Suspend a membership" in english and f'<a href="/admin/members/{membership_id}">Ryugasaki City</a>' in english
    assert "Status: Active → Suspended" in english
    for page in (japanese, english):
        assert "suspendMembership</" not in page and "Membership:" not in page and "\\u" not in page


async def test_a_refusal_reads_in_words_not_as_its_code(signed_in, sign_in):
    staff = await sign_in("MUNICIPALITY", municipality="082082")  # a supporting member
    api = await sign_in("ADMIN")
    group = (await api.data('{ alliance(slug: "expo2025") { workingGroups { id } } }'))["alliance"]["workingGroups"][0]
    await staff.refused(JOIN, {"id": group["id"]})
    admin = await signed_in("ADMIN")

    page = (await admin.get("/admin/audit?outcome=REFUSED")).text

    assert "ワーキンググループへの参加" in page and "正会員のみ" in page
    assert "NOT_A_FULL_MEMBER" not in page and "事務局 #" not in page


async def test_the_log_filters_by_period_actor_target_and_action(signed_in, sign_in):
    api = await sign_in("ADMIN")
    await suspend_ryugasaki(api)
    admin = await signed_in("ADMIN")
    today = dt.date.today()

    def count(page: str) -> int:
        return len(re.findall(r"<tr>\s*<td data-label", page))

    assert count((await admin.get("/admin/audit?target=龍ケ崎&kind=Membership")).text) == 1
    assert count((await admin.get("/admin/audit?target=高石")).text) == 0
    assert count((await admin.get("/admin/audit?actor=Admin+test&action=suspendMembership")).text) == 1
    assert count((await admin.get("/admin/audit?actor=nobody+at+all")).text) == 0
    day_before = (today - dt.timedelta(days=2)).isoformat()
    assert count((await admin.get(f"/admin/audit?from={day_before}&action=suspendMembership")).text) == 1
    assert count((await admin.get(f"/admin/audit?to={day_before}&action=suspendMembership")).text) == 0
    assert 'value="龍ケ崎"' in (await admin.get("/admin/audit?target=龍ケ崎")).text, "the filter is shown again"


async def test_the_filtered_log_exports_as_excel_friendly_csv(signed_in, sign_in):
    api = await sign_in("ADMIN")
    await suspend_ryugasaki(api, reason="=HYPERLINK(\"http://evil.example\")")
    admin = await signed_in("ADMIN")

    page = (await admin.get("/admin/audit?target=龍ケ崎")).text
    export = re.search(r'href="(/admin/audit\.csv\?[^"]+)"', page).group(1).replace("&amp;", "&")
    response = await admin.get(export)
    english = excel_rows(await admin.get(export + "&lang=en"))

    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode()) and b"\r\n" in response.content
    header, *rows = excel_rows(response)
    assert header == ["日時", "操作", "結果", "実行者", "役割", "対象の種類", "対象", "変更内容", "理由", "拒否・失敗の理由"]
    assert len(rows) == 1
    assert rows[0][1:8] == ["会員資格の停止", "受理", "Admin test user", "事務局", "会員資格", "龍ケ崎市", "状態：活動中 → 停止中"]
    assert rows[0][8] == "'=HYPERLINK(\"http://evil.example\")"
    assert english[0][0] == "When" and english[1][1] == "Suspend a membership" and english[1][6] == "Ryugasaki City"
