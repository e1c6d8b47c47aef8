"""The registry holds every municipality of Japan, members or not."""


import pytest


async def test_the_registry_holds_1741_municipalities_and_47_prefectures(gql):
    data = await gql.data(
        """{ municipalities(first: 1) { totalCount }
             prefectures { code }
             wards: municipalities(first: 100, filter: {kind: SPECIAL_WARD}) { totalCount nodes { prefecture { code } } } }"""
    )

    assert data["municipalities"]["totalCount"] == 1741
    assert [p["code"] for p in data["prefectures"]] == [f"{n:02d}" for n in range(1, 48)]
    assert data["wards"]["totalCount"] == 23
    assert {w["prefecture"]["code"] for w in data["wards"]["nodes"]} == {"13"}


async def test_municipality_by_code_returns_the_official_record(gql):
    data = await gql.data(
        """{ municipality(code: "104256") { name nameKana nameEn kind prefecture { name nameEn }
                                             memberships { tier status alliance { slug } } } }"""
    )
    tsumagoi = data["municipality"]

    assert tsumagoi["name"] == "嬬恋村"
    assert tsumagoi["nameKana"] == "ツマゴイムラ"
    assert tsumagoi["nameEn"] == "Tsumagoi Village"
    assert tsumagoi["kind"] == "VILLAGE"
    assert tsumagoi["prefecture"] == {"name": "群馬県", "nameEn": "Gunma"}
    assert {m["alliance"]["slug"]: m["status"] for m in tsumagoi["memberships"]} == {
        "olympic-paralympic": "TRANSFERRED",
        "expo2025": "ACTIVE",
    }


async def test_a_municipality_that_is_not_a_member_has_no_memberships(gql):
    data = await gql.data('{ municipality(code: "011002") { name memberships { tier } } }')

    assert data["municipality"] == {"name": "札幌市", "memberships": []}


async def test_unknown_but_well_formed_codes_return_null(gql):
    data = await gql.data('{ municipality(code: "999997") { name } prefecture(code: "47") { name } }')

    assert data == {"municipality": None, "prefecture": {"name": "沖縄県"}}


async def test_codes_typed_in_full_width_digits_find_their_record(gql):
    data = await gql.data(
        """{ municipality(code: "２７２２５６") { code name }
             prefecture(code: "　２７ ") { code name }
             municipalities(first: 1, filter: {prefectureCode: "４７"}) { nodes { prefecture { code } } } }"""
    )

    assert data == {
        "municipality": {"code": "272256", "name": "高石市"},
        "prefecture": {"code": "27", "name": "大阪府"},
        "municipalities": {"nodes": [{"prefecture": {"code": "47"}}]},
    }


# Steps aside: an error in Query.municipality, as the test means (graphql-core reports it with its
# path).
@pytest.mark.plan_fallback("field_error")
async def test_malformed_codes_get_a_clear_error(gql):
    for code, fragment in (("12345", "6桁の数字"), ("082081", "検査数字"), ("abcdef", "6桁の数字")):
        errors = await gql.errors(f'{{ municipality(code: "{code}") {{ name }} }}')
        assert fragment in errors[0]["message"]
        assert errors[0]["extensions"]["code"] == "INVALID_ARGUMENT"


async def test_municipalities_filter_by_prefecture_and_kind(gql):
    data = await gql.data(
        '{ municipalities(first: 100, filter: {prefectureCode: "47", kind: VILLAGE}) { totalCount nodes { name } } }'
    )

    assert data["municipalities"]["totalCount"] == 19
    assert "北大東村" in [n["name"] for n in data["municipalities"]["nodes"]]
