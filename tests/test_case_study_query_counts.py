"""The case-study library with its adoptions and partners costs the same statements for any page."""

import datetime as dt

import pytest

from models import CaseStudy, CaseStudyAdoption, Municipality, Partner

pytestmark = pytest.mark.usefixtures("uneven_statement_latency")

LIBRARY = """
query ($first: Int!) {
  caseStudies(first: $first, orderBy: {field: ADOPTIONS}) {
    totalCount
    nodes {
      slug adoptionCount
      adoptions(first: 5) { totalCount nodes { adoptedOn municipality { code prefecture { code } } } }
      partners { slug }
      themes { number }
      municipalities { code }
    }
  }
}
"""


async def spread_every_case(adopters_each: int = 6) -> None:
    """Each case adopted by `adopters_each` municipalities and linked to one partner."""
    cases = await CaseStudy.all().order_by("id")
    places = await Municipality.all().order_by("code").limit(len(cases) + adopters_each)
    partner = await Partner.get(slug="sompo-holdings")
    await CaseStudyAdoption.bulk_create(
        CaseStudyAdoption(
            case_study_id=case.id,
            municipality_id=places[index + offset].id,
            adopted_on=dt.date(2025, 4, 1) + dt.timedelta(days=offset),
        )
        for index, case in enumerate(cases)
        for offset in range(adopters_each)
    )
    for case in cases:
        await case.partners.add(partner)


async def statements_for(gql, sql_statements, first: int) -> tuple[int, dict]:
    before = sql_statements.count
    data = await gql.data(LIBRARY, {"first": first})
    return sql_statements.count - before, data


async def test_library_with_adoptions_and_partners_is_bounded(gql, sql_statements):
    await spread_every_case()

    five, _ = await statements_for(gql, sql_statements, 5)
    twenty, data = await statements_for(gql, sql_statements, 20)

    print(f"case-study library: {five} statements for 5 cases, {twenty} for 20")
    nodes = data["caseStudies"]["nodes"]
    assert len(nodes) == 20
    assert all(n["adoptionCount"] == 6 and len(n["adoptions"]["nodes"]) == 5 for n in nodes)
    assert all(n["partners"][-1] == {"slug": "sompo-holdings"} for n in nodes)
    assert five == twenty
    assert twenty <= 14
