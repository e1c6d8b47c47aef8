"""The admin portal through HTTP: the roster and its CSV, and userErrors shown where they belong."""

import csv
import datetime as dt
import io
import re

import pytest

from i18n.dates import wareki
from models import Municipality
from resolvers.contact import EXPORT_COLUMNS

MEMBERS_ROW = re.compile(r'href="/admin/members/([^"]+)">([^<]+)</a>')
FORMULA = '=HYPERLINK("http://evil.example","x")'


def excel_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


async def test_the_roster_filters_and_pages(signed_in):
    admin = await signed_in("ADMIN")

    osaka_full = await admin.get("/admin/members?tier=FULL&prefectureCode=27&status=ACTIVE")
    first = await admin.get("/admin/members")
    next_link = re.search(r'href="(/admin/members\?after=[^"]+)" rel="next"', first.text)
    second = await admin.get(next_link.group(1).replace("&amp;", "&"))

    names = [name for _, name in MEMBERS_ROW.findall(osaka_full.text)]
    assert "高石市" in names and all(name not in names for name in ("南砺市", "龍ケ崎市"))
    first_page = {name for _, name in MEMBERS_ROW.findall(first.text)}
    second_page = {name for _, name in MEMBERS_ROW.findall(second.text)}
    assert len(first_page) == 50 and len(second_page) == 50 and not first_page & second_page
    assert 'rel="prev"' in second.text


async def test_the_roster_exports_as_excel_friendly_csv(signed_in, sign_in):
    admin = await signed_in("ADMIN")
    api = await sign_in("ADMIN")
    total = (await api.data('{ alliance(slug: "expo2025") { members(filter: {status: ACTIVE}) { totalCount } } }'))

    response = await admin.get("/admin/members.csv?status=ACTIVE")

    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["団体コード", "都道府県", "自治体名"]
    assert len(rows) - 1 == total["alliance"]["members"]["totalCount"]
    assert ["272256", "大阪府", "高石市"] == next(row[:3] for row in rows if row[0] == "272256")
    assert b"\r\n" in response.content


async def test_the_roster_export_dates_in_the_japanese_era_and_names_in_english_in_english(signed_in):
    admin = await signed_in("ADMIN")

    japanese = excel_rows(await admin.get("/admin/members.csv?search=高石"))
    english = excel_rows(await admin.get("/admin/members.csv?search=高石&lang=en"))

    assert japanese[0][-2:] == ["入会日", "入会日（和暦）"]
    joined = dt.date.fromisoformat(japanese[1][-2])
    assert japanese[1][-1] == wareki(joined) and japanese[1][-1].startswith(("令和", "平成"))
    assert english[0][-1] == "Joined on" and english[1][:3] == ["272256", "Osaka", "Takaishi City"]


async def test_the_printed_roster_dates_in_the_japanese_era_and_lists_every_member(signed_in, sign_in):
    admin = await signed_in("ADMIN")
    api = await sign_in("ADMIN")
    total = await api.data('{ alliance(slug: "expo2025") { members(filter: {status: ACTIVE}) { totalCount } } }')

    japanese = await admin.get("/admin/print/members?status=ACTIVE")
    english = await admin.get("/admin/print/members?status=ACTIVE&lang=en")

    rows = re.findall(r"<tr>\s*<td>(\d{6})</td>", japanese.text)
    assert len(rows) == total["alliance"]["members"]["totalCount"] > 50
    assert re.search(r"令和\d+年\d{1,2}月\d{1,2}日現在", japanese.text)
    takaishi = re.search(r"<td>272256</td>\s*<td>大阪府</td>\s*<td>高石市</td>(?:\s*<td>[^<]*</td>){3}\s*<td>([^<]+)</td>", japanese.text)
    assert takaishi and takaishi.group(1).startswith(("令和", "平成"))
    assert re.search(r"As of \d{1,2} [A-Z][a-z]{2} \d{4}", english.text) and "Takaishi City" in english.text


async def test_the_roster_export_writes_a_formula_as_text(signed_in):
    await Municipality.filter(code="272256").update(name_kana="=1+1")
    admin = await signed_in("ADMIN")

    response = await admin.get("/admin/members.csv?search=高石")

    assert excel_rows(response)[1][:4] == ["272256", "大阪府", "高石市", "'=1+1"]


async def test_the_secretariat_exports_the_contacts_with_formulas_written_as_text(signed_in, sign_in):
    staff = await sign_in("MUNICIPALITY", municipality="272256")
    await staff.accepted(
        'mutation ($input: AddContactInput!) { addContact(input: $input) { userErrors { code } } }',
        {"input": {"role": "MAIN", "name": FORMULA, "phone": "+81 72-265-1001", "email": "taro@takaishi.example"}},
    )
    admin = await signed_in("ADMIN")
    await admin.get("/admin/members")

    response = await admin.post("/admin/contacts.csv")

    assert response.status_code == 200 and response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode()) and response.headers["cache-control"] == "no-store"
    header, *rows = excel_rows(response)
    row = dict(zip(EXPORT_COLUMNS, next(row for row in rows if row[0] == "272256"), strict=True))
    assert header[:4] == ["団体コード", "自治体名", "役割", "氏名"], "the page's language"
    assert (row["name"], row["phone"], row["email"]) == ("'" + FORMULA, "'+81 72-265-1001", "taro@takaishi.example")
    api = await sign_in("ADMIN")
    log = await api.data('{ auditLog(filter: {action: "exportContacts"}) { nodes { outcome } } }')
    assert [entry["outcome"] for entry in log["auditLog"]["nodes"]] == ["ACCEPTED"]


async def test_the_contacts_export_needs_the_forms_token(signed_in):
    admin = await signed_in("ADMIN")
    await admin.get("/admin/members")

    response = await admin.post("/admin/contacts.csv", csrf=False)

    assert response.status_code == 403 and not response.headers["content-type"].startswith("text/csv")


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_refused_tier_change_is_shown_beside_the_field_and_audited(signed_in, sign_in):
    admin = await signed_in("ADMIN")
    page = await admin.get("/admin/members?search=高石")
    membership_id = MEMBERS_ROW.search(page.text).group(1)
    await admin.get(f"/admin/members/{membership_id}")

    response = await admin.post(f"/admin/members/{membership_id}/tier", {"tier": "FULL"})

    assert response.status_code == 422
    assert 'id="error-summary"' in response.text and 'href="#f-tier"' in response.text
    assert 'id="f-tier-error"' in response.text and "会員種別はすでに「正会員」です。" in response.text
    assert 'aria-describedby="f-tier-error"' in response.text
    api = await sign_in("ADMIN")
    log = await api.data('{ auditLog(filter: {action: "changeMembershipTier"}) { nodes { outcome } } }')
    assert [entry["outcome"] for entry in log["auditLog"]["nodes"]] == ["REFUSED"]


# Steps aside: an event's `organiser` is the EventOrganiser union (graphql-core resolves the
# runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_value_graphql_would_reject_is_caught_beside_its_field(signed_in):
    admin = await signed_in("ADMIN")
    await admin.get("/admin/events")

    response = await admin.post(
        "/admin/events",
        {"title": "t", "description": "d", "kind": "SEMINAR", "format": "ONLINE", "audience": "ALL_MEMBERS",
         "startsAt": "2030-01-01T10:00", "endsAt": "later", "capacity": "ten"},
    )

    assert response.status_code == 422
    assert 'id="f-endsAt-error"' in response.text and 'id="f-capacity-error"' in response.text


async def test_the_dashboard_draws_every_prefecture_with_its_count(signed_in):
    admin = await signed_in("ADMIN")

    page = await admin.get("/admin")

    tiles = re.findall(r'<span class="tile-name">([^<]+)<span class="visually-hidden"> 会員</span></span>\s*'
                       r'<span class="tile-count">(\d+)<', page.text)
    assert len(tiles) == 47
    assert dict(tiles)["大阪府"] != "0" and dict(tiles)["北海道"] == "30"


async def test_the_secretariat_issues_a_staff_account_with_a_login_link(signed_in, browser):
    admin = await signed_in("ADMIN")
    await admin.get("/admin/accounts")

    page = await admin.post(
        "/admin/accounts", {"name": "南砺市 企画課", "role": "MUNICIPALITY", "municipalityCode": "162108"}
    )

    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert re.search(r'id="issued-token" value="tsu_[^"]+"', page.text)
    assert "発行先：南砺市 企画課。" in page.text, "the result names who it was issued to"
    assert 'id="f-name" name="name" value=""' in page.text and 'id="f-municipalityCode" name="municipalityCode" value=""' in page.text
    assert "162108" not in page.text and '<option value="MUNICIPALITY" selected>' not in page.text, "the form is empty again"
    link = re.search(r'id="issued-link" value="http://testserver(/login/link/[^"]+)"', page.text).group(1)
    await browser.get(link)
    signed = await browser.post(link)
    assert signed.headers["location"] == "/portal"
    assert "南砺市" in (await browser.get("/portal")).text


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_an_id_of_another_kind_or_a_garbled_one_is_not_a_page(signed_in):
    admin = await signed_in("ADMIN")
    partner_id = "UGFydG5lcjox"  # Partner:1

    other_kind = await admin.get(f"/admin/members/{partner_id}")
    garbled = await admin.get("/admin/working-groups/not-an-id")

    assert other_kind.status_code == 404 and "ページが見つかりません" in other_kind.text
    assert garbled.status_code == 400 and "ページのアドレスに含まれる番号が正しくありません" in garbled.text
    assert "INVALID_ID" not in garbled.text
