"""The compiled executor (schema/engine/executor.py) answers exactly as graphql-core's executor does.

Each operation below is sent twice through the GraphQL endpoint, once as served and once with
the plans turned off so that graphql-core executes it, and the two answers must be equal,
errors and their paths included. Other tests show that the plans are in fact used, kept with
their document, and set aside for whatever they do not cover.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from graphql import get_introspection_query
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema import schema
from schema.engine.executor import CompiledExecutor, Compiler
from settings import Settings
from tests.factories import seat_full_members_in_working_groups
from tests.test_statement_budget import DIRECTORY, ROSTER, THEME_OVERVIEW

FRAGMENTS = """
query Fragments {
  alliance(slug: "expo2025") {
    ...Named
    members(first: 5) { nodes { ... on Membership { tier } municipality { ...Place } } }
  }
}
fragment Named on Alliance { __typename slug name }
fragment Place on Municipality { code name prefecture { __typename code: name } }
"""

ALIASES = """
query Aliases {
  first: alliance(slug: "expo2025") { members(first: 2) { totalCount nodes { tier } } }
  again: alliance(slug: "expo2025") { members(first: 3) { nodes { tier joined: joinedOn } } }
  none: alliance(slug: "no-such-alliance") { slug }
  themes { number number2: number __typename }
}
"""

DIRECTIVES = """
query Directives($withKana: Boolean!, $first: Int!) {
  alliance(slug: "expo2025") {
    members(first: $first) {
      pageInfo { hasNextPage }
      nodes { municipality { name nameKana @include(if: $withKana) kind @skip(if: $withKana) } }
    }
  }
}
"""

NODES = """
query Nodes($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Theme { number } } }
"""

PRIVATE_FIELD = """
query Private { municipality(code: "082082") { name memberships { tier dues { amount } } } }
"""

NULL_NAME = """
query NullName { themes { number } alliance(slug: "expo2025") { members(first: 2) { nodes { municipality { name } } } } }
"""


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """No response cache: each request here must be executed, not answered from the cache."""
    return dataclasses.replace(settings, response_cache_ttl=0)


@pytest.fixture
async def seated() -> int:
    return await seat_full_members_in_working_groups()


@pytest.fixture
def graphql_core_only(monkeypatch: pytest.MonkeyPatch):
    """A switch: once called, every operation runs on graphql-core's executor."""

    def switch() -> None:
        monkeypatch.setattr(CompiledExecutor, "may_compile", lambda self: False)

    return switch


@pytest.fixture
def executions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the operations graphql-core's own executor ran, once per execution."""
    ran: list[str] = []
    execute_operation = StrawberryGraphQLCoreExecutionContext.execute_operation

    def spy(self, *args: Any, **kwargs: Any) -> Any:
        ran.append(self.operation.name.value if self.operation.name else "")
        return execute_operation(self, *args, **kwargs)

    monkeypatch.setattr(StrawberryGraphQLCoreExecutionContext, "execute_operation", spy)
    return ran


async def answer(client, query: str, variables: dict[str, Any] | None = None, headers=None) -> dict:
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers or {}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    body.pop("extensions", None)  # cost and schema version: the same either way, not the subject
    return body


async def both_ways(client, switch, query: str, variables=None, headers=None) -> tuple[dict, dict]:
    compiled = await answer(client, query, variables, headers)
    switch()
    return compiled, await answer(client, query, variables, headers)


# The standard introspection query: fragments, nested `ofType` chains, arguments with defaults.
INTROSPECTION = get_introspection_query(descriptions=True)


@pytest.mark.parametrize("query", [DIRECTORY, THEME_OVERVIEW, ROSTER, FRAGMENTS, ALIASES, INTROSPECTION])
async def test_answers_equal_graphql_cores(client, seated, graphql_core_only, executions, query):
    variables = {"first": 50} if "$first" in query else None

    compiled, reference = await both_ways(client, graphql_core_only, query, variables)

    assert "errors" not in compiled
    assert compiled == reference
    name = query.split()[1].split("(")[0]
    assert executions == [name], "the plan answered the first request, graphql-core the second"


@pytest.mark.parametrize("with_kana", [True, False])
async def test_skip_and_include_follow_the_variables_of_each_request(
    client, graphql_core_only, with_kana
):
    variables = {"withKana": with_kana, "first": 3}
    other = {"withKana": not with_kana, "first": 3}
    await answer(client, DIRECTIVES, other)  # a plan for the other values exists first

    compiled, reference = await both_ways(client, graphql_core_only, DIRECTIVES, variables)

    municipality = compiled["data"]["alliance"]["members"]["nodes"][0]["municipality"]
    assert ("nameKana" in municipality) is with_kana
    assert ("kind" in municipality) is not with_kana
    assert compiled == reference


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_abstract_types_are_left_to_graphql_core(client, graphql_core_only, executions):
    themes = await answer(client, "{ themes { id } }")
    ids = [theme["id"] for theme in themes["data"]["themes"][:2]]
    executions.clear()

    compiled, reference = await both_ways(client, graphql_core_only, NODES, {"ids": ids})

    assert [node["number"] for node in compiled["data"]["nodes"]] == [1, 2]
    assert compiled == reference
    assert executions == ["Nodes", "Nodes"]


# Steps aside: an error in Membership.dues, as the test means (graphql-core reports it with its
# path).
@pytest.mark.plan_fallback("field_error")
async def test_a_field_error_gives_graphql_cores_answer_and_path(
    client, sign_in, graphql_core_only, executions
):
    another_members_staff = await sign_in("MUNICIPALITY", municipality="162108")

    compiled, reference = await both_ways(
        client, graphql_core_only, PRIVATE_FIELD, headers=another_members_staff.headers
    )

    assert compiled["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert compiled["errors"][0]["path"] == ["municipality", "memberships", 0, "dues"]
    assert compiled == reference
    assert executions == ["Private", "Private"], (
        "the plan stepped aside, graphql-core answered both"
    )


# Steps aside: Municipality.name gives null, as the test means.
@pytest.mark.plan_fallback("null_in_non_null")
async def test_a_null_in_a_non_null_field_propagates_as_graphql_cores_does(
    client, graphql_core_only, monkeypatch
):
    name = schema._schema.get_type("Municipality").fields["name"]
    monkeypatch.setattr(name, "resolve", lambda source, info: None)

    compiled, reference = await both_ways(client, graphql_core_only, NULL_NAME)

    assert compiled == reference
    assert compiled["data"]["alliance"] is None
    assert len(compiled["data"]["themes"]) == 10
    assert compiled["errors"][0]["path"] == [
        "alliance",
        "members",
        "nodes",
        0,
        "municipality",
        "name",
    ]


async def test_a_document_is_compiled_once(client, monkeypatch):
    compiled: list[str] = []
    operation = Compiler.operation

    def counting(self, node):
        compiled.append(node.name.value)
        return operation(self, node)

    monkeypatch.setattr(Compiler, "operation", counting)

    # A text no other test sends, so that its document is parsed, and compiled, here first.
    directory = DIRECTORY.replace("query Q1", "query Q1 ", 1)
    for first in (1, 2, 3):
        await answer(client, directory, {"first": first})

    assert compiled == ["Q1"], (
        "one plan serves every value of a variable that only an argument reads"
    )


async def test_mutations_run_on_graphql_core(client, executions):
    await answer(
        client,
        'mutation Revoke { revokeToken(input: {tokenId: "QXBpVG9rZW46MQ=="}) { userErrors { code } } }',
    )

    assert executions == ["Revoke"]
