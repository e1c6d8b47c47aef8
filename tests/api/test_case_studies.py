"""The case-study library: adoptions (横展開) recorded and counted, partner links, new cases."""

import pytest

from resolvers.calendar import today

RECORD = """
mutation($input: RecordCaseStudyAdoptionInput!) {
  recordCaseStudyAdoption(input: $input) {
    adoption { adoptedOn note municipality { code } caseStudy { slug adoptionCount } }
    userErrors { field code message }
  }
}"""
WITHDRAW = """
mutation($input: WithdrawCaseStudyAdoptionInput!) {
  withdrawCaseStudyAdoption(input: $input) {
    caseStudy { slug adoptionCount } userErrors { field code message }
  }
}"""
CREATE = """
mutation($input: CreateCaseStudyInput!) {
  createCaseStudy(input: $input) {
    caseStudy { slug title themes { number } municipalities { code } prefectures { code } partners { slug } }
    userErrors { field code message }
  }
}"""
CASE = """
query($slug: String!) {
  caseStudy(slug: $slug) {
    id adoptionCount
    adoptions(first: 10) { totalCount nodes { adoptedOn municipality { code } } }
  }
}"""
LIBRARY = """
query($filter: CaseStudyFilter, $orderBy: CaseStudyOrder, $first: Int) {
  caseStudies(filter: $filter, orderBy: $orderBy, first: $first) {
    totalCount nodes { slug year title adoptionCount }
  }
}"""
NOTES = "query($slug: String!) { caseStudy(slug: $slug) { adoptions { nodes { note } } } }"

TOYOHASHI_CASE = "toyohashi-agritech-demonstration-projects"  # took place in 豊橋市
SHIRAHAMA_CASE = "shirahama-workation-innovation-hub"  # took place in 白浜町
TAKAISHI, NANTO = "272256", "162108"  # full, active members of expo2025
SAPPORO = "011002"  # not a member: any municipality may adopt a case
TOYOHASHI = "232017"


async def case_id(gql, slug: str) -> str:
    return (await gql.data(CASE, {"slug": slug}))["caseStudy"]["id"]


async def library(gql, filter=None, order_by=None, first=100) -> dict:
    data = await gql.data(LIBRARY, {"filter": filter, "orderBy": order_by, "first": first})
    return data["caseStudies"]


def faults(payload: dict) -> list[tuple[str, list[str] | None]]:
    return [(e["code"], e["field"]) for e in payload["userErrors"]]


async def test_staff_record_their_municipalitys_adoption_and_the_library_counts_it(gql, sign_in):
    takaishi = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    case = await case_id(gql, TOYOHASHI_CASE)

    payload = await takaishi.accepted(
        RECORD, {"input": {"caseStudyId": case, "note": "予算化済み"}}
    )

    assert payload["adoption"] == {
        "adoptedOn": today().isoformat(),
        "note": "予算化済み",
        "municipality": {"code": TAKAISHI},
        "caseStudy": {"slug": TOYOHASHI_CASE, "adoptionCount": 1},
    }
    shown = (await gql.data(CASE, {"slug": TOYOHASHI_CASE}))["caseStudy"]
    assert shown["adoptionCount"] == 1
    assert shown["adoptions"]["nodes"] == [
        {"adoptedOn": today().isoformat(), "municipality": {"code": TAKAISHI}}
    ]


async def test_the_library_orders_by_what_spread_most_and_filters_by_adopter(gql, sign_in):
    admin = await sign_in("ADMIN")
    toyohashi, shirahama = await case_id(gql, TOYOHASHI_CASE), await case_id(gql, SHIRAHAMA_CASE)
    for code, case, day in (
        (TAKAISHI, toyohashi, "2025-05-01"),
        (NANTO, toyohashi, "2025-06-01"),
        (SAPPORO, toyohashi, "2025-07-01"),
        (NANTO, shirahama, "2025-08-01"),
    ):
        await admin.accepted(
            RECORD, {"input": {"caseStudyId": case, "municipalityCode": code, "adoptedOn": day}}
        )

    most = await library(gql, order_by={"field": "ADOPTIONS"}, first=3)
    least = await library(gql, order_by={"field": "ADOPTIONS", "direction": "ASC"})
    by_nanto = await library(gql, filter={"adoptedBy": NANTO})
    newest = (await gql.data(CASE, {"slug": TOYOHASHI_CASE}))["caseStudy"]["adoptions"]["nodes"]

    assert [(n["slug"], n["adoptionCount"]) for n in most["nodes"][:2]] == [
        (TOYOHASHI_CASE, 3),
        (SHIRAHAMA_CASE, 1),
    ]
    assert most["nodes"][2]["adoptionCount"] == 0
    assert [n["slug"] for n in least["nodes"][-2:]] == [SHIRAHAMA_CASE, TOYOHASHI_CASE]
    assert sorted(n["slug"] for n in by_nanto["nodes"]) == [SHIRAHAMA_CASE, TOYOHASHI_CASE]
    assert [n["municipality"]["code"] for n in newest] == [SAPPORO, NANTO, TAKAISHI]


async def test_staff_cannot_record_or_withdraw_for_another_municipality(gql, sign_in):
    takaishi = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    nanto = await sign_in("MUNICIPALITY", municipality=NANTO)
    case = await case_id(gql, TOYOHASHI_CASE)
    await takaishi.accepted(RECORD, {"input": {"caseStudyId": case}})

    recorded = await nanto.mutate(
        RECORD, {"input": {"caseStudyId": case, "municipalityCode": TAKAISHI}}
    )
    withdrawn = await nanto.mutate(
        WITHDRAW, {"input": {"caseStudyId": case, "municipalityCode": TAKAISHI}}
    )
    partner = await (await sign_in("PARTNER", partner="sompo-holdings")).refused(
        RECORD, {"input": {"caseStudyId": case}}
    )

    assert faults(recorded) == [("FORBIDDEN", ["input", "municipalityCode"])]
    assert faults(withdrawn) == [("FORBIDDEN", ["input", "municipalityCode"])]
    assert partner == ["FORBIDDEN"]
    assert (await gql.data(CASE, {"slug": TOYOHASHI_CASE}))["caseStudy"]["adoptionCount"] == 1


async def test_an_adoption_is_recorded_once_not_where_the_case_began_and_not_in_the_future(
    gql, sign_in
):
    admin = await sign_in("ADMIN")
    case = await case_id(gql, TOYOHASHI_CASE)
    await admin.accepted(RECORD, {"input": {"caseStudyId": case, "municipalityCode": TAKAISHI}})

    again = await admin.mutate(
        RECORD, {"input": {"caseStudyId": case, "municipalityCode": TAKAISHI}}
    )
    at_home = await admin.mutate(
        RECORD, {"input": {"caseStudyId": case, "municipalityCode": TOYOHASHI}}
    )
    future = await admin.mutate(
        RECORD,
        {"input": {"caseStudyId": case, "municipalityCode": NANTO, "adoptedOn": "2999-01-01"}},
    )
    unnamed = await admin.mutate(RECORD, {"input": {"caseStudyId": case}})
    long_note = await admin.mutate(
        RECORD, {"input": {"caseStudyId": case, "municipalityCode": NANTO, "note": "あ" * 1001}}
    )
    no_case = await admin.mutate(
        RECORD, {"input": {"caseStudyId": "T2ZmZXJpbmc6MQ==", "municipalityCode": NANTO}}
    )

    assert faults(again) == [("ALREADY_EXISTS", ["input", "caseStudyId"])]
    assert faults(at_home) == [("INVALID", ["input", "municipalityCode"])]
    assert faults(future) == [("INVALID", ["input", "adoptedOn"])]
    assert faults(unnamed) == [("INVALID", ["input", "municipalityCode"])]
    assert faults(long_note) == [("INVALID", ["input", "note"])]
    assert faults(no_case) == [("NOT_FOUND", ["input", "caseStudyId"])]
    assert (await gql.data(CASE, {"slug": TOYOHASHI_CASE}))["caseStudy"]["adoptionCount"] == 1


async def test_withdrawing_an_adoption_takes_it_out_of_the_count(gql, sign_in):
    takaishi = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    case = await case_id(gql, TOYOHASHI_CASE)
    await takaishi.accepted(RECORD, {"input": {"caseStudyId": case}})

    payload = await takaishi.accepted(WITHDRAW, {"input": {"caseStudyId": case}})
    again = await takaishi.mutate(WITHDRAW, {"input": {"caseStudyId": case}})

    assert payload["caseStudy"] == {"slug": TOYOHASHI_CASE, "adoptionCount": 0}
    assert faults(again) == [("NOT_FOUND", ["input", "caseStudyId"])]
    assert (await library(gql, filter={"adoptedBy": TAKAISHI}))["totalCount"] == 0


# Steps aside: an error in CaseStudyAdoption.note, as the test means (graphql-core reports it with
# its path).
@pytest.mark.plan_fallback("field_error")
async def test_the_note_is_read_only_by_the_adopter_and_the_secretariat(gql, sign_in):
    takaishi = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    nanto = await sign_in("MUNICIPALITY", municipality=NANTO)
    case = await case_id(gql, TOYOHASHI_CASE)
    await takaishi.accepted(RECORD, {"input": {"caseStudyId": case, "note": "議会説明は9月"}})

    own = await takaishi.data(NOTES, {"slug": TOYOHASHI_CASE})
    secretariat = await (await sign_in("ADMIN")).data(NOTES, {"slug": TOYOHASHI_CASE})
    other = await nanto.errors(NOTES, {"slug": TOYOHASHI_CASE})
    anonymous = await gql.errors(NOTES, {"slug": TOYOHASHI_CASE})

    assert own["caseStudy"]["adoptions"]["nodes"] == [{"note": "議会説明は9月"}]
    assert secretariat == own
    assert other[0]["extensions"]["code"] == "FORBIDDEN"
    assert anonymous[0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_case_links_to_the_partner_that_ran_it_and_filters_by_it(gql):
    data = await gql.data(
        '{ caseStudy(slug: "google-japan-grow-with-google") { organisation partners { slug } } }'
    )
    by_partner = await library(gql, filter={"partnerSlug": "google"})

    assert data["caseStudy"] == {"organisation": "Google Japan", "partners": [{"slug": "google"}]}
    assert [n["slug"] for n in by_partner["nodes"]] == ["google-japan-grow-with-google"]


async def test_the_secretariat_adds_a_case_that_search_finds_at_once(gql, sign_in):
    admin = await sign_in("ADMIN")
    case = {
        "slug": "takaishi-street-light-watch",
        "title": "霞ヶ浦式の防犯灯による見守り",
        "organisation": "高石市",
        "summary": "高石市が損保のデータを使い、防犯灯で子どもの見守りを始めた。",
        "year": 2025,
        "themeNumbers": [8],
        "municipalityCodes": [TAKAISHI],
        "partnerSlugs": ["sompo-holdings"],
    }

    payload = await admin.accepted(CREATE, {"input": case})
    found = {
        query: [n["slug"] for n in (await library(gql, filter={"search": query}))["nodes"]]
        for query in ("霞ケ浦", "ぼうはんとう", "ﾎﾞｳﾊﾝﾄｳ")
    }
    by_partner = await library(gql, filter={"partnerSlug": "sompo-holdings"})

    assert payload["caseStudy"] == {
        "slug": case["slug"],
        "title": case["title"],
        "themes": [{"number": 8}],
        "municipalities": [{"code": TAKAISHI}],
        "prefectures": [{"code": "27"}],
        "partners": [{"slug": "sompo-holdings"}],
    }
    assert found == {query: [case["slug"]] for query in found}
    assert [n["slug"] for n in by_partner["nodes"]] == [case["slug"]]


async def test_only_the_secretariat_adds_cases_and_bad_drafts_are_refused(sign_in):
    admin = await sign_in("ADMIN")
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    case = {"slug": "new-case", "title": "新しい事例", "organisation": "高石市", "summary": "概要"}

    assert await staff.refused(CREATE, {"input": case}) == ["FORBIDDEN"]
    for changes, fault in (
        ({"slug": TOYOHASHI_CASE}, ("ALREADY_EXISTS", ["input", "slug"])),
        ({"slug": "Not A Slug"}, ("INVALID", ["input", "slug"])),
        ({"title": "  "}, ("INVALID", ["input", "title"])),
        ({"year": 2999}, ("INVALID", ["input", "year"])),
        ({"themeNumbers": [11]}, ("INVALID", ["input", "themeNumbers"])),
        ({"municipalityCodes": ["999999"]}, ("NOT_FOUND", ["input", "municipalityCodes"])),
        ({"partnerSlugs": ["nobody"]}, ("NOT_FOUND", ["input", "partnerSlugs"])),
        ({"source": "s" * 33}, ("INVALID", ["input", "source"])),
    ):
        assert faults(await admin.mutate(CREATE, {"input": {**case, **changes}})) == [fault], (
            changes
        )
    assert (await library(admin, filter={"search": "新しい事例"}))["totalCount"] == 0


async def test_years_order_newest_first_and_cases_without_a_year_come_last_either_way(gql):
    newest = (await library(gql, order_by={"field": "YEAR"}))["nodes"]
    oldest = (await library(gql, order_by={"field": "YEAR", "direction": "ASC"}))["nodes"]
    titles = [n["title"] for n in (await library(gql, order_by={"field": "TITLE"}))["nodes"]]

    dated = [n["year"] for n in newest if n["year"] is not None]
    assert dated and [n["year"] for n in newest[: len(dated)]] == sorted(dated, reverse=True)
    assert [n["year"] for n in oldest[: len(dated)]] == sorted(dated)
    assert newest[-1]["year"] is None and oldest[-1]["year"] is None
    assert titles == sorted(titles)


async def test_the_library_search_takes_kana_for_kanji(gql):
    written = await library(gql, filter={"search": "高齢者"})
    kana = await library(gql, filter={"search": "こうれいしゃ"})

    assert written["totalCount"] > 0
    assert {n["slug"] for n in written["nodes"]} <= {n["slug"] for n in kana["nodes"]}
