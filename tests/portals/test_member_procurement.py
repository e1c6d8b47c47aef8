"""The member portal's joint procurement through its pages: joining with a quantity, changing it
and leaving, with the API's refusals beside the quantity field in the reader's language."""

import datetime as dt

from resolvers.calendar import today

TAKAISHI = "272256"  # full, active member of expo2025
CREATE = """
mutation($input: CreateProcurementGroupInput!) {
  createProcurementGroup(input: $input) { procurementGroup { id } userErrors { field code message } }
}"""


async def open_group(sign_in) -> str:
    admin = await sign_in("ADMIN")
    payload = await admin.accepted(CREATE, {"input": {
        "allianceSlug": "expo2025", "item": "非常用備蓄食料", "unit": "食", "municipalityCode": "162108",
        "description": "5年保存のアルファ化米。", "closesOn": (today() + dt.timedelta(days=30)).isoformat(),
    }})
    return payload["procurementGroup"]["id"]


async def test_staff_join_change_their_quantity_and_leave(signed_in, sign_in):
    group = await open_group(sign_in)
    staff = await signed_in("MUNICIPALITY", municipality_code=TAKAISHI)
    listed = await staff.get("/portal/procurement")

    joined = await staff.post("/portal/procurement/join", {"groupId": group, "quantity": "1200"})
    after_join = await staff.get(joined.headers["location"])
    changed = await staff.post("/portal/procurement/change", {"groupId": group, "quantity": "1500"})
    after_change = await staff.get(changed.headers["location"])
    left = await staff.post("/portal/procurement/leave", {"groupId": group})
    after_leave = await staff.get(left.headers["location"])

    assert "非常用備蓄食料" in listed.text and "この数量で参加する" in listed.text
    assert joined.status_code == 303 and "共同調達に参加しました。" in after_join.text
    assert "貴団体の数量：1,200食" in after_join.text and "合計 1,200食（参加 1団体）" in after_join.text
    assert changed.status_code == 303 and "貴団体の数量：1,500食" in after_change.text
    assert left.status_code == 303 and "共同調達から離脱しました。" in after_leave.text
    assert "貴団体の数量" not in after_leave.text and "この数量で参加する" in after_leave.text


async def test_a_refused_quantity_is_told_beside_the_field_in_the_readers_language(signed_in, sign_in):
    group = await open_group(sign_in)
    staff = await signed_in("MUNICIPALITY", municipality_code=TAKAISHI)
    await staff.get("/portal/procurement")
    ja = await staff.post("/portal/procurement/join", {"groupId": group, "quantity": "0"})
    await staff.get("/portal/procurement?lang=en")
    en = await staff.post("/portal/procurement/join", {"groupId": group, "quantity": "0"})

    assert ja.status_code == 422 and en.status_code == 422
    assert '<p class="field-error" id="f-quantity-error">数量は1から1,000,000までです。' in ja.text
    assert '<p class="field-error" id="f-quantity-error">The quantity is 1 to 1,000,000.' in en.text
    assert 'aria-invalid="true"' in en.text and "The quantity is" not in ja.text


async def test_a_quantity_that_is_no_number_is_told_before_asking_the_api(signed_in, sign_in):
    group = await open_group(sign_in)
    staff = await signed_in("MUNICIPALITY", municipality_code=TAKAISHI)
    await staff.get("/portal/procurement")

    blank = await staff.post("/portal/procurement/join", {"groupId": group, "quantity": ""})
    words = await staff.post("/portal/procurement/join", {"groupId": group, "quantity": "たくさん"})

    assert blank.status_code == 422 and 'id="f-quantity-error">入力してください。' in blank.text
    assert words.status_code == 422 and 'id="f-quantity-error">整数で入力してください。' in words.text
    assert "貴団体の数量" not in words.text


JOIN = """
mutation($group: ID!, $code: String!) {
  joinProcurementGroup(input: {groupId: $group, quantity: 10, municipalityCode: $code}) {
    userErrors { field code message }
  }
}"""


async def statements_for_the_page(signed_in, sql_statements) -> int:
    staff = await signed_in("MUNICIPALITY", municipality_code=TAKAISHI)
    sql_statements.count = 0
    assert (await staff.get("/portal/procurement")).status_code == 200
    return sql_statements.count


async def test_the_page_reads_its_groups_and_participants_in_a_few_statements(
    signed_in, sign_in, sql_statements
):
    admin = await sign_in("ADMIN")
    await admin.accepted(JOIN, {"group": await open_group(sign_in), "code": "012050"})
    one_group = await statements_for_the_page(signed_in, sql_statements)
    for _ in range(4):
        group = await open_group(sign_in)
        for code in ("012050", "072095", TAKAISHI):
            await admin.accepted(JOIN, {"group": group, "code": code})

    five_groups = await statements_for_the_page(signed_in, sql_statements)

    assert five_groups <= one_group


async def test_a_supporting_member_is_told_joint_procurement_is_for_full_members(signed_in, sign_in):
    group = await open_group(sign_in)
    staff = await signed_in("MUNICIPALITY", municipality_code="082082")  # 龍ケ崎市, supporting
    await staff.get("/portal/procurement")
    ja = await staff.post("/portal/procurement/join", {"groupId": group, "quantity": "100"})
    await staff.get("/portal/procurement?lang=en")
    en = await staff.post("/portal/procurement/join", {"groupId": group, "quantity": "100"})

    assert ja.status_code == 422 and "正会員の特典です。" in ja.text
    assert en.status_code == 422 and "a benefit of full members" in en.text and "正会員" not in en.text
    assert "貴団体の数量" not in ja.text
