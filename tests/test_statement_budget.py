"""The three benchmark operations (QUERIES.md: Q1 member directory page, Q2 theme overview, Q3
whole roster) each cost at most three SQL statements, whatever the page size."""

import pytest

from bench import queries
from tests.factories import seat_full_members_in_working_groups

MAX_STATEMENTS = 3

DIRECTORY = """
query Q1($first: Int!) {
  alliance(slug: "expo2025") {
    members(first: $first) {
      nodes {
        tier
        municipality { code name prefecture { name } }
        workingGroups { theme { number title } }
      }
    }
  }
}
"""

# The benchmark's own texts (bench/queries.py), so the budget holds for what is measured.
THEME_OVERVIEW = queries.TSUNAGU["Q2"]
ROSTER = queries.TSUNAGU["Q3"]


@pytest.fixture
async def seated() -> int:
    """Every full member of expo2025 in two working groups; the number of seats."""
    return await seat_full_members_in_working_groups()


async def run(client, sql_statements, query, variables=None) -> tuple[dict, int]:
    """The operation's data, and how many statements answering it took."""
    operation = query.split()[1].split("(")[0]
    before = sql_statements.count
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables or {}, "operationName": operation}
    )
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return body["data"], sql_statements.count - before


async def test_member_directory_page_costs_at_most_three_statements(client, sql_statements, seated):
    data, statements = await run(client, sql_statements, DIRECTORY, {"first": 50})

    nodes = data["alliance"]["members"]["nodes"]
    assert len(nodes) == 50
    assert all(node["municipality"]["prefecture"]["name"] for node in nodes)
    full = [node for node in nodes if node["tier"] == "FULL"]
    assert full and all(len(node["workingGroups"]) == 2 for node in full)
    assert all(group["theme"]["title"] for node in full for group in node["workingGroups"])
    assert statements <= MAX_STATEMENTS


@pytest.mark.parametrize("first", [1, 10, 100, 581])
async def test_member_directory_statements_do_not_grow_with_the_page(client, sql_statements, seated, first):
    data, statements = await run(client, sql_statements, DIRECTORY, {"first": first})

    assert len(data["alliance"]["members"]["nodes"]) == first
    assert statements <= MAX_STATEMENTS


async def test_theme_overview_costs_at_most_three_statements(client, sql_statements, seated):
    data, statements = await run(client, sql_statements, THEME_OVERVIEW)

    themes = data["themes"]
    assert [theme["number"] for theme in themes] == list(range(1, 11))
    assert all(theme["pillar"]["name"] for theme in themes)
    counts = [group["participants"]["totalCount"] for theme in themes for group in theme["workingGroups"]]
    assert sum(counts) == seated
    assert any(theme["offerings"] for theme in themes)
    assert all(offering["partner"]["name"] for theme in themes for offering in theme["offerings"])
    assert statements <= MAX_STATEMENTS


async def test_whole_roster_costs_at_most_three_statements(client, sql_statements, seated):
    data, statements = await run(client, sql_statements, ROSTER)

    nodes = data["alliance"]["members"]["nodes"]
    assert len(nodes) == 581
    assert len({node["municipality"]["code"] for node in nodes}) == 581
    assert all(node["municipality"]["prefecture"]["name"] for node in nodes)
    assert statements <= MAX_STATEMENTS


async def test_directory_through_edges_and_fragments_costs_the_same(client, sql_statements, seated):
    query = """
    query Directory {
      alliance(slug: "expo2025") {
        members(first: 50) { edges { node { ...Member } } }
      }
    }
    fragment Member on Membership {
      tier
      ... on Membership { workingGroups { theme { number } } }
    }
    """
    data, statements = await run(client, sql_statements, query)

    edges = data["alliance"]["members"]["edges"]
    assert len(edges) == 50
    assert any(edge["node"]["workingGroups"] for edge in edges)
    assert statements <= MAX_STATEMENTS
