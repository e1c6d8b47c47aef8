"""Query cost and budgets, through /graphql: what each operation costs, the most one request may
cost, the points per minute of each token and IP address, and the depth limit with introspection.

The service's budgets run on an injected clock, so a minute passes without waiting.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack

import httpx
import pytest

from models import Role, TokenScope
from resolvers.accounts import create_user_with_token
from resolvers.cluster.budget import InProcessBudget
from schema import MAX_DEPTH
from schema.cost import MAX_COST
from server import create_app
from settings import ANONYMOUS_POINTS_PER_MINUTE, TOKEN_POINTS_PER_MINUTE, Settings

START = 1_680_000_000.0  # the first second of a minute

DIRECTORY = 'query { alliance(slug: "expo2025") { members(first: 50) { nodes { municipality { name } } } } }'
DIRECTORY_COST = 1 + 1 + 50 * (1 + 1)  # alliance, members, then per node: the node and its municipality

# 6,102 points, though it reads one row: the alliance does not exist.
EXPENSIVE = """{ alliance(slug: "no-such-alliance") { members(first: 100) { nodes {
  workingGroups { participants(first: 29) { nodes { municipality { name } } } } } } } }"""
EXPENSIVE_COST = 1 + 1 + 100 * (1 + 1 + 1 + 29 * (1 + 1))


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


Caller = Callable[..., Awaitable[httpx.Response]]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def caller(settings: Settings, clock: Clock) -> AsyncIterator[Callable[..., Caller]]:
    """`caller(address="10.0.0.1", token=None)`: posts operations to one app sharing one budget."""
    app = create_app(settings, manage_database=False, budget=InProcessBudget(clock))
    async with AsyncExitStack() as stack:

        def make(address: str = "10.0.0.1", token: str | None = None) -> Caller:
            http = httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app, client=(address, 40000)), base_url="http://testserver"
            )
            stack.push_async_callback(http.aclose)
            headers = {"Authorization": f"Bearer {token}"} if token else {}

            async def post(query: str, variables: dict | None = None, **body: object) -> httpx.Response:
                payload = {"query": query, "variables": variables or {}, **body}
                return await http.post("/graphql", json=payload, headers=headers)

            return post

        yield make


async def new_token() -> str:
    _, token = await create_user_with_token(
        name="Cost test user", role=Role("MUNICIPALITY"), municipality_code="272256", scopes=frozenset(TokenScope)
    )
    return token


async def cost_of(post: Caller, query: str, variables: dict | None = None) -> int:
    body = (await post(query, variables)).json()
    assert "errors" not in body, body["errors"]
    return body["extensions"]["cost"]["requested"]


async def test_a_directory_page_costs_the_objects_it_can_hold(caller):
    response = await caller()(DIRECTORY)

    body = response.json()
    assert len(body["data"]["alliance"]["members"]["nodes"]) == 50
    assert body["extensions"]["cost"] == {
        "requested": DIRECTORY_COST,
        "limit": ANONYMOUS_POINTS_PER_MINUTE,
        "remaining": ANONYMOUS_POINTS_PER_MINUTE - DIRECTORY_COST,
        "resetAt": "2023-03-28T10:41:00Z",
    }
    assert "schemaVersion" in body["extensions"]


async def test_edges_count_each_edge_and_page_info_counts_once(caller):
    query = """{ alliance(slug: "expo2025") { members(first: 10) {
      pageInfo { hasNextPage } edges { cursor node { municipality { name prefecture { name } } } } } } }"""

    assert await cost_of(caller(), query) == 1 + 1 + 1 + 10 * (1 + 1 + 1 + 1)


async def test_nested_connections_multiply(caller):
    query = """{ alliance(slug: "expo2025") { members(first: 10) { nodes {
      workingGroups { participants(first: 5) { nodes { municipality { name } } } } } } } }"""

    assert await cost_of(caller(), query) == 1 + 1 + 10 * (1 + 1 + (1 + 5 * (1 + 1)))


async def test_a_connection_without_a_page_size_costs_the_default_page(caller):
    query = '{ alliance(slug: "expo2025") { members { nodes { municipality { name } } } } }'

    assert await cost_of(caller(), query) == 1 + 1 + 20 * (1 + 1)


async def test_the_page_size_may_come_from_a_variable_or_its_default(caller):
    query = """query ($n: Int = 7) {
      alliance(slug: "expo2025") { members(first: $n) { nodes { municipality { name } } } } }"""

    assert await cost_of(caller(), query, {"n": 30}) == 1 + 1 + 30 * 2
    assert await cost_of(caller(), query) == 1 + 1 + 7 * 2


async def test_fragments_cost_what_the_same_fields_written_inline_cost(caller):
    named = """query { alliance(slug: "expo2025") { members(first: 50) { ...Page } } }
      fragment Page on MembershipConnection { nodes { ...Place } }
      fragment Place on Membership { municipality { name } }"""
    inline = """query { alliance(slug: "expo2025") { members(first: 50) {
      ... on MembershipConnection { nodes { ... { municipality { name } } } } } } }"""

    assert await cost_of(caller(), named) == DIRECTORY_COST
    assert await cost_of(caller(), inline) == DIRECTORY_COST


async def test_an_operation_over_the_maximum_cost_is_refused_before_it_runs(caller, sql_statements):
    query = """{ alliance(slug: "expo2025") { members(first: 100) { nodes {
      workingGroups { participants(first: 100) { nodes { municipality { name } } } } } } } }"""

    body = (await caller()(query)).json()

    (error,) = body["errors"]
    cost = 1 + 1 + 100 * (1 + 1 + 1 + 100 * 2)
    assert error["extensions"] == {"code": "COST_LIMIT_EXCEEDED", "cost": cost, "maxCost": MAX_COST}
    assert str(cost) in error["message"]
    assert body["data"] is None
    assert sql_statements.count == 0
    assert body["extensions"]["cost"]["remaining"] == ANONYMOUS_POINTS_PER_MINUTE


async def test_a_whole_roster_costs_every_member_it_can_hold(caller):
    roster = '{ alliance(slug: "expo2025") { members(first: 1000) { nodes { municipality { prefecture { name } } } } } }'

    assert await cost_of(caller(), roster) == 1 + 1 + 1000 * (1 + 1 + 1)


async def test_a_whole_roster_with_nested_connections_is_refused_before_it_runs(caller, sql_statements):
    query = """{ alliance(slug: "expo2025") { members(first: 1000) { nodes {
      workingGroups { participants(first: 5) { nodes { municipality { name } } } } } } } }"""

    body = (await caller()(query)).json()

    (error,) = body["errors"]
    assert error["extensions"]["code"] == "COST_LIMIT_EXCEEDED"
    assert error["extensions"]["cost"] == 1 + 1 + 1000 * (1 + 1 + 1 + 5 * 2)
    assert sql_statements.count == 0


async def test_an_anonymous_caller_over_budget_waits_and_other_addresses_do_not(caller, clock):
    post = caller("10.0.0.1")
    clock.now = START + 45

    first = await post(EXPENSIVE)
    second = await post(EXPENSIVE)
    elsewhere = await caller("10.0.0.2")(EXPENSIVE)

    assert first.status_code == 200
    assert first.json()["extensions"]["cost"]["remaining"] == ANONYMOUS_POINTS_PER_MINUTE - EXPENSIVE_COST
    assert second.status_code == 429
    assert second.headers["Retry-After"] == "15"
    (error,) = second.json()["errors"]
    assert error["extensions"] == {"code": "RATE_LIMITED", "cost": EXPENSIVE_COST, "retryAfter": 15}
    assert second.json()["extensions"]["cost"]["remaining"] == ANONYMOUS_POINTS_PER_MINUTE - EXPENSIVE_COST
    assert elsewhere.status_code == 200


async def test_a_budget_is_fresh_when_the_minute_turns(caller, clock):
    post = caller()
    await post(EXPENSIVE)
    assert (await post(EXPENSIVE)).status_code == 429

    clock.now = START + 60
    again = await post(EXPENSIVE)

    assert again.status_code == 200
    assert again.json()["extensions"]["cost"]["remaining"] == ANONYMOUS_POINTS_PER_MINUTE - EXPENSIVE_COST


async def test_each_token_has_its_own_larger_budget(caller):
    first_token, second_token = await new_token(), await new_token()
    spender = caller("10.0.0.1", first_token)
    fits = TOKEN_POINTS_PER_MINUTE // EXPENSIVE_COST

    statuses = [(await spender(EXPENSIVE)).status_code for _ in range(fits + 1)]
    other_token = await caller("10.0.0.1", second_token)(EXPENSIVE)
    anonymous_same_address = await caller("10.0.0.1")(EXPENSIVE)

    assert statuses == [200] * fits + [429]
    assert other_token.status_code == 200
    assert other_token.json()["extensions"]["cost"]["limit"] == TOKEN_POINTS_PER_MINUTE
    assert anonymous_same_address.status_code == 200


def nested_type_of(depth: int) -> str:
    """`__schema { types { … } }` with `ofType` chains, `depth` object fields deep."""
    inner = "name"
    for _ in range(depth - 2):
        inner = f"ofType {{ {inner} }}"
    return f"{{ __schema {{ types {{ {inner} }} }} }}"


async def test_the_depth_limit_counts_introspection_fields(caller):
    allowed = (await caller()(nested_type_of(MAX_DEPTH))).json()
    refused = (await caller()(nested_type_of(MAX_DEPTH + 1))).json()

    assert "errors" not in allowed
    assert refused["data"] is None
    assert "の入れ子は上限の14段を超えています。" in refused["errors"][0]["message"]
    assert refused["extensions"]["cost"]["requested"] == 0


async def test_a_persisted_query_error_reports_the_budget_too(caller):
    post = caller()
    await post(DIRECTORY)

    body = (await post(None, extensions={"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}})).json()

    assert body["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert body["extensions"]["cost"]["requested"] == 0
    assert body["extensions"]["cost"]["remaining"] == ANONYMOUS_POINTS_PER_MINUTE - DIRECTORY_COST


async def test_the_standard_introspection_queries_fit_the_depth_limit(caller):
    from graphql import get_introspection_query

    response = (await caller()(get_introspection_query(descriptions=True))).json()

    assert "errors" not in response, response.get("errors")
    assert response["data"]["__schema"]["queryType"]["name"] == "Query"
