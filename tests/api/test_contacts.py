"""Staff contacts: personal data kept per fiscal year, seen only by the secretariat and the
municipality's own staff, rotated at the fiscal year's end, and exported with an audit record."""

import csv
import datetime as dt
import io

import pytest

from models import Contact
from resolvers.calendar import fiscal_year, today
from resolvers.contact import EXPORT_COLUMNS

TAKAISHI, NANTO, SAPPORO = "272256", "162108", "011002"
THIS_YEAR = fiscal_year(today())
NEXT_YEAR = THIS_YEAR + 1
LAST_DAY_OF_THIS_YEAR = f"{NEXT_YEAR}-03-31"
FORMULA = '=HYPERLINK("http://evil.example","x")'

ADD = """
mutation ($input: AddContactInput!) {
  addContact(input: $input) {
    userErrors { code field }
    contact { id role name email fiscalYear endedOn workingGroup { id } }
  }
}
"""

END = """
mutation ($input: EndContactInput!) {
  endContact(input: $input) { userErrors { code field } contact { id endedOn } }
}
"""

EXPORT = """
mutation ($input: ExportContactsInput!) {
  exportContacts(input: $input) { userErrors { code field } csv rowCount }
}
"""

CONTACTS = """
query ($code: String!, $includeEnded: Boolean! = false) {
  municipality(code: $code) { contacts(includeEnded: $includeEnded) { id role name fiscalYear endedOn } }
}
"""

EXPORT_AUDIT = """
{ auditLog(filter: {action: "exportContacts"}) { nodes { action outcome role target changes } } }
"""


def contact(role="MAIN", name="大阪 花子", **fields) -> dict:
    return {"input": {"role": role, "name": name, **fields}}


async def contacts_of(client, code, include_ended=False) -> list[dict]:
    data = await client.data(CONTACTS, {"code": code, "includeEnded": include_ended})
    return data["municipality"]["contacts"]


def csv_rows(text: str) -> list[dict]:
    """The rows after the header (which is in the reader's language), by column code."""
    return [dict(zip(EXPORT_COLUMNS, row, strict=True)) for row in list(csv.reader(io.StringIO(text)))[1:]]


# Adding and reading


async def test_staff_add_a_contact_for_their_own_municipality_without_naming_it(sign_in):
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)

    payload = await staff.accepted(ADD, contact(name="高石 太郎", email="taro@city.takaishi.example"))

    assert payload["contact"]["name"] == "高石 太郎"
    assert [c["name"] for c in await contacts_of(staff, TAKAISHI)] == ["高石 太郎"]


async def test_staff_cannot_add_a_contact_for_another_municipality(sign_in):
    nanto_staff = await sign_in("MUNICIPALITY", municipality=NANTO)
    admin = await sign_in("ADMIN")

    codes = await nanto_staff.refused(ADD, contact(municipalityCode=TAKAISHI))

    assert codes == ["FORBIDDEN"]
    assert await contacts_of(admin, TAKAISHI) == []


# Steps aside: an error in Municipality.contacts, as the test means (graphql-core reports it with
# its path).
@pytest.mark.plan_fallback("field_error")
async def test_staff_of_another_municipality_cannot_read_the_contacts(sign_in):
    await (await sign_in("MUNICIPALITY", municipality=TAKAISHI)).accepted(ADD, contact())
    nanto_staff = await sign_in("MUNICIPALITY", municipality=NANTO)

    body = await nanto_staff.execute(CONTACTS, {"code": TAKAISHI})

    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    assert body["data"]["municipality"] == {"contacts": None}


# Steps aside: an error in Municipality.contacts, as the test means (graphql-core reports it with
# its path).
@pytest.mark.plan_fallback("field_error")
async def test_anonymous_callers_are_told_to_sign_in_to_read_contacts(gql):
    body = await gql.execute(CONTACTS, {"code": TAKAISHI})

    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
    assert body["data"]["municipality"] == {"contacts": None}


async def test_the_secretariat_reads_any_municipalitys_contacts(sign_in):
    await (await sign_in("MUNICIPALITY", municipality=TAKAISHI)).accepted(ADD, contact(name="高石 太郎"))
    await (await sign_in("MUNICIPALITY", municipality=NANTO)).accepted(ADD, contact(name="南砺 次郎"))
    admin = await sign_in("ADMIN")

    assert [c["name"] for c in await contacts_of(admin, TAKAISHI)] == ["高石 太郎"]
    assert [c["name"] for c in await contacts_of(admin, NANTO)] == ["南砺 次郎"]


async def test_the_secretariat_may_name_the_municipality_in_full_width_digits(sign_in):
    admin = await sign_in("ADMIN")

    await admin.accepted(ADD, contact(municipalityCode="２７２２５６"))

    assert [c["name"] for c in await contacts_of(admin, TAKAISHI)] == ["大阪 花子"]


async def test_the_secretariat_must_name_the_municipality(sign_in):
    admin = await sign_in("ADMIN")

    assert await admin.refused(ADD, contact()) == ["INVALID"]
    await admin.accepted(ADD, contact(municipalityCode=TAKAISHI))
    assert len(await contacts_of(admin, TAKAISHI)) == 1


async def test_a_municipality_that_is_not_a_member_keeps_no_contacts(sign_in):
    sapporo_staff = await sign_in("MUNICIPALITY", municipality=SAPPORO)

    assert await sapporo_staff.refused(ADD, contact()) == ["NOT_A_MEMBER"]
    assert await contacts_of(sapporo_staff, SAPPORO) == []


# Checking the details


async def test_a_bad_email_address_is_refused_on_the_email_field(sign_in):
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)

    payload = await staff.mutate(ADD, contact(email="taro.city.takaishi"))

    assert payload["userErrors"] == [{"code": "INVALID", "field": ["input", "email"]}]
    assert payload["contact"] is None
    assert await contacts_of(staff, TAKAISHI) == []


async def test_a_working_group_contact_must_name_its_working_group(sign_in):
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    data = await staff.data('{ alliance(slug: "expo2025") { workingGroups { id } } }')
    group_id = data["alliance"]["workingGroups"][0]["id"]

    refused = await staff.mutate(ADD, contact(role="WORKING_GROUP"))
    accepted = await staff.accepted(ADD, contact(role="WORKING_GROUP", workingGroupId=group_id))

    assert refused["userErrors"] == [{"code": "INVALID", "field": ["input", "workingGroupId"]}]
    assert accepted["contact"]["workingGroup"] == {"id": group_id}


async def test_only_a_working_group_contact_names_a_working_group(sign_in):
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    data = await staff.data('{ alliance(slug: "expo2025") { workingGroups { id } } }')

    codes = await staff.refused(ADD, contact(role="MAIN", workingGroupId=data["alliance"]["workingGroups"][0]["id"]))

    assert codes == ["INVALID"]


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_contacts_global_id_shows_nothing_to_another_municipality(sign_in):
    takaishi_staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    contact_id = (await takaishi_staff.accepted(ADD, contact()))["contact"]["id"]
    nanto_staff = await sign_in("MUNICIPALITY", municipality=NANTO)
    query = "query ($id: ID!) { node(id: $id) { ... on Contact { name } } }"

    assert await takaishi_staff.data(query, {"id": contact_id}) == {"node": {"name": "大阪 花子"}}
    assert await nanto_staff.data(query, {"id": contact_id}) == {"node": None}


# The fiscal year's rotation


async def test_naming_next_years_main_contact_ends_this_years_on_march_31(sign_in):
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    await staff.accepted(ADD, contact(name="前任 一郎", fiscalYear=THIS_YEAR))

    await staff.accepted(ADD, contact(name="後任 二郎", fiscalYear=NEXT_YEAR))

    current = {c["name"]: (c["fiscalYear"], c["endedOn"]) for c in await contacts_of(staff, TAKAISHI)}
    assert current == {"前任 一郎": (THIS_YEAR, LAST_DAY_OF_THIS_YEAR), "後任 二郎": (NEXT_YEAR, None)}


async def test_a_rotated_contact_leaves_the_list_after_its_last_day_and_is_kept(sign_in):
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    await staff.accepted(ADD, contact(name="前任 一郎", fiscalYear=THIS_YEAR))
    await staff.accepted(ADD, contact(name="後任 二郎", fiscalYear=NEXT_YEAR))
    await Contact.filter(name="前任 一郎").update(ended_on=today())  # as it will stand on 1 April

    assert [c["name"] for c in await contacts_of(staff, TAKAISHI)] == ["後任 二郎"]
    assert {c["name"] for c in await contacts_of(staff, TAKAISHI, include_ended=True)} == {"前任 一郎", "後任 二郎"}


async def test_contacts_are_named_for_this_fiscal_year_or_the_next(sign_in):
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)

    for year in (0, THIS_YEAR - 1, NEXT_YEAR + 1, 10000):
        payload = await staff.mutate(ADD, contact(fiscalYear=year))
        assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [("INVALID", ["input", "fiscalYear"])]


async def test_the_rotation_ends_only_contacts_of_the_same_role(sign_in):
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    await staff.accepted(ADD, contact(role="DEPUTY", name="副担 三郎", fiscalYear=THIS_YEAR))

    await staff.accepted(ADD, contact(role="MAIN", name="主担 四郎", fiscalYear=NEXT_YEAR))

    current = {c["name"]: c["endedOn"] for c in await contacts_of(staff, TAKAISHI)}
    assert current == {"副担 三郎": None, "主担 四郎": None}


# Ending a contact


async def test_an_ended_contact_leaves_the_list_but_is_kept(sign_in):
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    added = await staff.accepted(ADD, contact())
    contact_id = added["contact"]["id"]

    ended = await staff.accepted(END, {"input": {"contactId": contact_id}})

    assert ended["contact"] == {"id": contact_id, "endedOn": today().isoformat()}
    assert await contacts_of(staff, TAKAISHI) == []
    assert [c["id"] for c in await contacts_of(staff, TAKAISHI, include_ended=True)] == [contact_id]


async def test_a_contact_ended_in_the_future_stays_until_then_and_not_before_it_started(sign_in):
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    contact_id = (await staff.accepted(ADD, contact()))["contact"]["id"]
    yesterday, in_a_week = today() - dt.timedelta(days=1), today() + dt.timedelta(days=7)

    too_early = await staff.mutate(END, {"input": {"contactId": contact_id, "endedOn": yesterday.isoformat()}})
    await staff.accepted(END, {"input": {"contactId": contact_id, "endedOn": in_a_week.isoformat()}})

    assert [(e["code"], e["field"]) for e in too_early["userErrors"]] == [("INVALID", ["input", "endedOn"])]
    assert [c["endedOn"] for c in await contacts_of(staff, TAKAISHI)] == [in_a_week.isoformat()]


async def test_a_contact_cannot_be_ended_twice(sign_in):
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    contact_id = (await staff.accepted(ADD, contact()))["contact"]["id"]
    await staff.accepted(END, {"input": {"contactId": contact_id}})

    assert await staff.refused(END, {"input": {"contactId": contact_id}}) == ["INVALID_TRANSITION"]


async def test_staff_cannot_end_another_municipalitys_contact(sign_in):
    takaishi_staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    contact_id = (await takaishi_staff.accepted(ADD, contact()))["contact"]["id"]
    nanto_staff = await sign_in("MUNICIPALITY", municipality=NANTO)

    assert await nanto_staff.refused(END, {"input": {"contactId": contact_id}}) == ["FORBIDDEN"]
    assert [c["id"] for c in await contacts_of(takaishi_staff, TAKAISHI)] == [contact_id]


# Exporting


async def test_the_secretariat_exports_the_current_contacts_of_the_alliances_members(sign_in):
    takaishi_staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    await takaishi_staff.accepted(ADD, contact(name="高石 太郎", email="taro@takaishi.example"))
    ended = await takaishi_staff.accepted(ADD, contact(role="DEPUTY", name="退任 花子"))
    await takaishi_staff.accepted(END, {"input": {"contactId": ended["contact"]["id"]}})
    await (await sign_in("MUNICIPALITY", municipality=NANTO)).accepted(ADD, contact(name="南砺 次郎"))
    admin = await sign_in("ADMIN")

    export = await admin.accepted(EXPORT, {"input": {"allianceSlug": "expo2025"}})

    rows = csv_rows(export["csv"])
    assert export["csv"].splitlines()[0] == "団体コード,自治体名,役割,氏名,部署,メールアドレス,電話番号,年度"
    assert [r["role"] for r in rows] == ["主担当", "主担当"]
    assert [(r["municipality_code"], r["name"], r["email"]) for r in rows] == [
        (NANTO, "南砺 次郎", ""),
        (TAKAISHI, "高石 太郎", "taro@takaishi.example"),
    ]
    assert export["rowCount"] == 2


async def test_an_export_read_in_english_has_english_headers_names_and_roles(sign_in):
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    await staff.accepted(ADD, contact(name="高石 太郎"))

    export = await staff.reading("en").accepted(EXPORT, {"input": {"allianceSlug": "expo2025"}})

    header, row = list(csv.reader(io.StringIO(export["csv"])))
    assert header == [
        "Municipality code", "Municipality", "Role", "Name", "Department", "Email", "Phone", "Fiscal year"
    ]
    assert row[:4] == [TAKAISHI, "Takaishi City", "Main contact", "高石 太郎"]


async def test_an_exported_formula_is_written_as_text_for_spreadsheets(sign_in):
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    await staff.accepted(ADD, contact(name=FORMULA, department="@総務課", phone="+81 72-265-1001"))

    export = await staff.accepted(EXPORT, {"input": {"allianceSlug": "expo2025"}})

    (row,) = csv_rows(export["csv"])
    assert (row["name"], row["department"], row["phone"]) == ("'" + FORMULA, "'@総務課", "'+81 72-265-1001")
    assert (row["municipality_code"], row["fiscal_year"]) == (TAKAISHI, str(THIS_YEAR))


async def test_every_export_is_recorded_in_the_audit_log_with_its_row_count(sign_in):
    await (await sign_in("MUNICIPALITY", municipality=TAKAISHI)).accepted(ADD, contact())
    admin = await sign_in("ADMIN")

    await admin.accepted(EXPORT, {"input": {"allianceSlug": "expo2025"}})
    await admin.accepted(EXPORT, {"input": {"allianceSlug": "expo2025"}})

    entries = (await admin.data(EXPORT_AUDIT))["auditLog"]["nodes"]
    assert len(entries) == 2
    for entry in entries:
        assert entry["outcome"] == "ACCEPTED"
        assert entry["role"] == "ADMIN"
        assert entry["changes"] == {"rows": [None, 1]}


async def test_staff_export_only_their_own_municipalitys_contacts(sign_in):
    takaishi_staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    await takaishi_staff.accepted(ADD, contact(name="高石 太郎"))
    await (await sign_in("MUNICIPALITY", municipality=NANTO)).accepted(ADD, contact(name="南砺 次郎"))
    admin = await sign_in("ADMIN")

    export = await takaishi_staff.accepted(EXPORT, {"input": {"allianceSlug": "expo2025"}})

    assert [(r["municipality_code"], r["name"]) for r in csv_rows(export["csv"])] == [(TAKAISHI, "高石 太郎")]
    (entry,) = (await admin.data(EXPORT_AUDIT))["auditLog"]["nodes"]
    assert (entry["role"], entry["outcome"], entry["changes"]) == ("MUNICIPALITY", "ACCEPTED", {"rows": [None, 1]})


async def test_staff_cannot_export_another_municipalitys_contacts(sign_in):
    await (await sign_in("MUNICIPALITY", municipality=NANTO)).accepted(ADD, contact())
    takaishi_staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)

    payload = await takaishi_staff.mutate(EXPORT, {"input": {"allianceSlug": "expo2025", "municipalityCode": NANTO}})

    assert [e["code"] for e in payload["userErrors"]] == ["FORBIDDEN"]
    assert payload["csv"] is None
