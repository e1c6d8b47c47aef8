"""The contract's surface: the schema version on every response, the SDL at a stable URL, and who
may introspect."""

import re

import httpx
import pytest

from server import create_app
from settings import Settings
from tests.conftest import GraphQLClient
from tests.test_schema_sdl import SDL_PATH

INTROSPECTION = "{ __schema { queryType { name } } }"
VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}\.[0-9a-f]{12}$")


# Steps aside: an error in Query.auditLog, as the test means (graphql-core reports it with its
# path).
@pytest.mark.plan_fallback("field_error")
async def test_every_response_carries_the_same_schema_version(client, gql):
    answered = (await client.post("/graphql", json={"query": "{ themes { number } }"})).json()
    invalid = (await client.post("/graphql", json={"query": "{ themes { nope } }"})).json()
    refused = (await client.post("/graphql", json={"query": "{ auditLog { totalCount } }"})).json()
    unauthenticated = await client.post(
        "/graphql", json={"query": "{ themes { number } }"}, headers={"Authorization": "Bearer tsu_unknown"}
    )

    versions = {
        body["extensions"]["schemaVersion"] for body in (answered, invalid, refused, unauthenticated.json())
    }
    assert unauthenticated.status_code == 401 and invalid["errors"] and refused["errors"]
    (version,) = versions
    assert VERSION.match(version), version


async def test_the_sdl_is_published_as_plain_text_and_revalidates_with_its_etag(client):
    response = await client.get("/schema.graphql")
    unchanged = await client.get("/schema.graphql", headers={"If-None-Match": response.headers["etag"]})

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == SDL_PATH.read_text(encoding="utf-8")
    assert "public" in response.headers["cache-control"]
    assert unchanged.status_code == 304 and unchanged.content == b""


async def test_the_etag_is_the_schema_version(client):
    response = await client.get("/schema.graphql")
    body = (await client.post("/graphql", json={"query": "{ __typename }"})).json()

    assert response.headers["etag"] == f'"{body["extensions"]["schemaVersion"]}"'


@pytest.fixture
async def production(database_url):
    """A client factory for an app run in production mode with the given settings."""
    clients = []

    def make(token: str | None = None, **settings: object) -> GraphQLClient:
        app = create_app(
            Settings(database_url=database_url, environment="production", **settings), manage_database=False
        )
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
        clients.append(http)
        return GraphQLClient(http, token)

    yield make
    for http in clients:
        await http.aclose()


async def test_anonymous_callers_may_not_introspect_in_production(production):
    errors = await production().errors(INTROSPECTION)

    assert [e["extensions"]["code"] for e in errors] == ["INTROSPECTION_DISABLED"]
    assert "/schema.graphql" in errors[0]["message"]


async def test_typename_is_not_introspection(production):
    data = await production().data("{ __typename themes { __typename number } }")

    assert data == {"__typename": "Query", "themes": [{"__typename": "Theme", "number": n} for n in range(1, 11)]}


async def test_signed_in_callers_introspect_in_production(production, sign_in):
    partner = await sign_in("PARTNER", partner="sompo-holdings")

    data = await production(partner.token).data(INTROSPECTION)

    assert data == {"__schema": {"queryType": {"name": "Query"}}}


async def test_a_setting_opens_introspection_to_anonymous_callers_in_production(production):
    data = await production(anonymous_introspection=True).data('{ __type(name: "Theme") { name } }')

    assert data == {"__type": {"name": "Theme"}}


async def test_development_allows_introspection_to_anyone(gql):
    data = await gql.data(INTROSPECTION)

    assert data["__schema"]["queryType"]["name"] == "Query"
