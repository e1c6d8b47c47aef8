"""The response cache: a repeated query is answered from it, a write makes every answer it could
change fresh at once, and no caller is ever served an answer cached for another."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid

import httpx
import pytest
import redis.asyncio as redis

from models import Role
from portals import api
from resolvers.accounts import actor_for, create_user_with_token
from resolvers.cluster.data_version import DataVersion, bump_shared
from resolvers.cluster.redis_link import RedisLink
from schema.contract.documents import sha256_hex
from server import create_app
from tests.test_scale_out import REDIS_URL, redis_reachable

THEMES = {"query": "query Themes { themes { number title } }", "operationName": "Themes"}
PARTNER_COUNT = "{ partners { totalCount } }"
PARTNER = "query($slug: String!) { partner(slug: $slug) { name } }"
CREATE_PARTNER = """
mutation($input: CreatePartnerInput!) {
  createPartner(input: $input) { partner { slug } userErrors { code } }
}"""
OFFERINGS = "query($slug: String!) { partner(slug: $slug) { offerings { id slug } } }"
REQUEST = """
mutation($id: ID!) {
  requestOffering(input: {offeringId: $id}) { offeringRequest { id } userErrors { code } }
}"""
NOTIFICATIONS = "{ notifications(first: 10) { totalCount nodes { id kind } } }"
REQUESTS = "{ offeringRequests(first: 10) { totalCount nodes { id } } }"
VIEWER = "{ viewer { name role } }"
DEPRECATED_USAGE = "{ deprecatedUsage(first: 5) { totalCount } }"
KANKO = "kanko-yoho-platform"
TAKAISHI = "272256"


async def post(
    client: httpx.AsyncClient,
    query: str,
    variables: dict | None = None,
    *,
    token: str | None = None,
    **extra,
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await client.post(
        "/graphql", json={"query": query, "variables": variables or {}, **extra}, headers=headers
    )


def partner_input(slug: str) -> dict:
    return {
        "slug": slug,
        "name": f"{slug} 研究所",
        "kind": "ASSOCIATION",
        "description": "地域連携の研究会。",
    }


async def cache_results(client: httpx.AsyncClient) -> dict[str, float]:
    metrics = (await client.get("/metrics")).text
    found = {}
    for line in metrics.splitlines():
        if line.startswith("tsunagu_response_cache_total{"):
            label, value = line.split()
            found[label.split('"')[1]] = float(value)
    return found


async def demo_accounts_id(client: httpx.AsyncClient) -> str:
    offerings = (await post(client, OFFERINGS, {"slug": KANKO})).json()["data"]["partner"][
        "offerings"
    ]
    return next(o["id"] for o in offerings if o["slug"] == "kanko-yoho-demo-accounts")


# --- hits and misses ---------------------------------------------------------------------------


async def test_a_repeated_query_is_answered_from_the_cache_with_the_same_data(client):
    first = await client.post("/graphql", json=THEMES)
    second = await client.post("/graphql", json=THEMES)
    by_get = await client.get("/graphql", params=THEMES)

    assert (first.headers["x-cache"], second.headers["x-cache"], by_get.headers["x-cache"]) == (
        "MISS",
        "HIT",
        "HIT",
    )
    assert second.json()["data"] == first.json()["data"] == by_get.json()["data"]
    assert (
        second.json()["extensions"]["schemaVersion"] == first.json()["extensions"]["schemaVersion"]
    )
    assert second.headers["content-type"] == "application/json"
    assert "x-request-id" in second.headers
    assert await cache_results(client) == {"hit": 2.0, "miss": 1.0}


async def test_other_variables_or_another_operation_name_miss(client):
    one = await post(client, PARTNER, {"slug": KANKO})
    other = await post(client, PARTNER, {"slug": "sompo-holdings"})
    again = await post(client, PARTNER, {"slug": KANKO})
    two_operations = "query A { themes { number } } query B { themes { title } }"
    a = await post(client, two_operations, operationName="A")
    b = await post(client, two_operations, operationName="B")

    assert [r.headers["x-cache"] for r in (one, other, again, a, b)] == [
        "MISS",
        "MISS",
        "HIT",
        "MISS",
        "MISS",
    ]
    assert one.json()["data"] != other.json()["data"]
    assert a.json()["data"] != b.json()["data"]


async def test_a_hit_is_named_in_the_metrics_by_its_operation(client):
    await client.post("/graphql", json=THEMES)
    await client.post("/graphql", json=THEMES)

    metrics = (await client.get("/metrics")).text
    assert 'tsunagu_requests_total{operation="Themes",status="200"} 2.0' in metrics


async def test_graphql_response_media_type_is_kept_on_a_hit(client):
    accept = {"Accept": "application/graphql-response+json"}
    await client.post("/graphql", json=THEMES, headers=accept)
    hit = await client.post("/graphql", json=THEMES, headers=accept)

    assert hit.headers["x-cache"] == "HIT"
    assert hit.headers["content-type"] == "application/graphql-response+json"
    assert hit.json()["data"]["themes"]


# --- what is never kept ------------------------------------------------------------------------


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_errors_and_mutations_are_never_kept(client, sign_in):
    admin = await sign_in("ADMIN")
    missing = 'query { node(id: "not-an-id") { id } }'
    errors = [await post(client, missing) for _ in range(2)]
    created = [
        await post(client, CREATE_PARTNER, {"input": partner_input("cache-lab")}, token=admin.token)
        for _ in range(2)
    ]

    assert [r.headers["x-cache"] for r in errors + created] == ["BYPASS"] * 4
    assert all(r.json()["errors"] for r in errors)
    assert created[0].json()["data"]["createPartner"]["userErrors"] == []
    assert created[1].json()["data"]["createPartner"]["userErrors"] == [{"code": "ALREADY_EXISTS"}]


async def test_the_record_of_deprecated_usage_is_never_kept(client, sign_in):
    admin = await sign_in("ADMIN")
    answers = [await post(client, DEPRECATED_USAGE, token=admin.token) for _ in range(2)]

    assert [r.headers["x-cache"] for r in answers] == ["BYPASS", "BYPASS"]


async def test_a_ttl_of_zero_turns_the_cache_off(settings):
    app = create_app(dataclasses.replace(settings, response_cache_ttl=0), manage_database=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:
        answers = [await client.post("/graphql", json=THEMES) for _ in range(2)]

        assert [r.headers.get("x-cache") for r in answers] == [None, None]
        assert await cache_results(client) == {}


# --- budgets -----------------------------------------------------------------------------------


async def test_a_hit_is_charged_to_the_budget_and_refused_when_it_is_spent(settings):
    app = create_app(
        dataclasses.replace(settings, anonymous_points_per_minute=100), manage_database=False
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:
        first = await post(client, PARTNER, {"slug": KANKO})
        cost = first.json()["extensions"]["cost"]["requested"]
        answers = [await post(client, PARTNER, {"slug": KANKO}) for _ in range(100 // cost - 1)]
        refused = await post(client, PARTNER, {"slug": KANKO})

    remaining = [r.json()["extensions"]["cost"]["remaining"] for r in [first, *answers]]
    assert cost > 0
    assert remaining == [100 - cost * (i + 1) for i in range(len(remaining))]
    assert all(
        r.headers["x-cache"] == "HIT" and r.json()["extensions"]["cost"]["requested"] == cost
        for r in answers
    )
    assert refused.status_code == 429
    assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert refused.headers["x-cache"] == "BYPASS"


# --- invalidation ------------------------------------------------------------------------------


async def test_a_write_is_seen_by_the_next_read(client, sign_in):
    admin = await sign_in("ADMIN")
    before = (await post(client, PARTNER_COUNT)).json()["data"]["partners"]["totalCount"]
    assert (await post(client, PARTNER_COUNT)).headers["x-cache"] == "HIT"

    await admin.accepted(CREATE_PARTNER, {"input": partner_input("cache-lab")})
    after = await post(client, PARTNER_COUNT)

    assert after.headers["x-cache"] == "MISS"
    assert after.json()["data"]["partners"]["totalCount"] == before + 1


async def test_a_write_made_by_a_portal_in_process_is_seen_by_the_next_read(client, settings):
    _, token = await create_user_with_token(name="Portal admin", role=Role.ADMIN)
    before = (await post(client, PARTNER_COUNT)).json()["data"]["partners"]["totalCount"]

    outcome = await api.mutate(
        settings,
        await actor_for(f"Bearer {token}"),
        "admin/create_partner",
        partner_input("portal-lab"),
        language="ja",
    )
    after = await post(client, PARTNER_COUNT)

    assert outcome.accepted
    assert after.headers["x-cache"] == "MISS"
    assert after.json()["data"]["partners"]["totalCount"] == before + 1


async def test_reads_that_start_after_a_write_is_answered_all_see_it(client, sign_in):
    admin = await sign_in("ADMIN")
    base = (await post(client, PARTNER_COUNT)).json()["data"]["partners"]["totalCount"]

    async def count() -> int:
        return (await post(client, PARTNER_COUNT)).json()["data"]["partners"]["totalCount"]

    for written in range(1, 6):
        write = asyncio.ensure_future(
            admin.accepted(CREATE_PARTNER, {"input": partner_input(f"cache-lab-{written}")})
        )
        during = await asyncio.gather(*(count() for _ in range(8)))
        await write
        after = await asyncio.gather(*(count() for _ in range(8)))

        assert all(base + written - 1 <= seen <= base + written for seen in during)
        assert after == [base + written] * 8
    assert await count() == base + 5


# --- who sees what -----------------------------------------------------------------------------


async def test_no_caller_is_served_an_answer_cached_for_another(client, sign_in):
    city = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    kanko = await sign_in("PARTNER", partner=KANKO)
    sompo = await sign_in("PARTNER", partner="sompo-holdings")
    made = await city.accepted(REQUEST, {"id": await demo_accounts_id(client)})
    request_id = made["offeringRequest"]["id"]

    for _ in range(2):
        kanko_sees = await post(client, REQUESTS, token=kanko.token)
        sompo_sees = await post(client, REQUESTS, token=sompo.token)
        kanko_told = await post(client, NOTIFICATIONS, token=kanko.token)
        sompo_told = await post(client, NOTIFICATIONS, token=sompo.token)
        assert kanko_sees.json()["data"]["offeringRequests"]["nodes"] == [{"id": request_id}]
        assert sompo_sees.json()["data"]["offeringRequests"] == {"totalCount": 0, "nodes": []}
        assert kanko_told.json()["data"]["notifications"]["totalCount"] == 1
        assert sompo_told.json()["data"]["notifications"]["totalCount"] == 0
    assert kanko_sees.headers["x-cache"] == sompo_sees.headers["x-cache"] == "HIT"


async def test_anonymous_callers_never_get_a_signed_in_callers_answer(client, sign_in):
    admin = await sign_in("ADMIN")
    signed_in = [await post(client, VIEWER, token=admin.token) for _ in range(2)]
    anonymous = [await post(client, VIEWER) for _ in range(2)]

    assert [r.json()["data"]["viewer"] for r in signed_in] == [
        {"name": "Admin test user", "role": "ADMIN"}
    ] * 2
    assert [r.json()["data"]["viewer"] for r in anonymous] == [None, None]
    assert [r.headers["x-cache"] for r in signed_in + anonymous] == ["MISS", "HIT", "MISS", "HIT"]


@pytest.mark.parametrize("role", ["PARTNER", "MUNICIPALITY"])
async def test_two_accounts_of_one_organisation_do_not_share_answers(client, sign_in, role):
    where = {"partner": KANKO} if role == "PARTNER" else {"municipality": TAKAISHI}
    one, two = await sign_in(role, **where), await sign_in(role, **where)

    answers = [await post(client, VIEWER, token=caller.token) for caller in (one, two, one, two)]

    assert [r.headers["x-cache"] for r in answers] == ["MISS", "MISS", "HIT", "HIT"]


# --- the shared data version -------------------------------------------------------------------


async def test_the_commands_that_write_raise_the_version_every_worker_reads():
    if not await redis_reachable():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    key = f"tsunagu:test:data-version:{uuid.uuid4().hex}"
    link = RedisLink(REDIS_URL, timeout=1.0, retry_interval=1.0)
    worker = DataVersion()
    worker.connect(link, key)
    try:
        before = await worker.current()
        await bump_shared(REDIS_URL, key)
        assert await worker.current() == before + 1
        assert await worker.bump() == before + 2
        cleaner = redis.Redis.from_url(REDIS_URL)
        await cleaner.delete(key)  # as a restart of Redis, which keeps nothing on disk, would
        await cleaner.aclose()
        after_restart = await worker.current()
        assert after_restart > before + 2, "a lost version starts again above every earlier one"
        assert await worker.bump() == after_restart + 1
    finally:
        worker.close()
        await link.close()
        cleaner = redis.Redis.from_url(REDIS_URL)
        await cleaner.delete(key)
        await cleaner.aclose()


async def test_a_persisted_query_is_served_by_hash_only_once_its_hash_is_known(client):
    query = "query Pillars { pillars { key } }"
    by_hash = {"persistedQuery": {"version": 1, "sha256Hash": sha256_hex(query)}}
    unknown = [await client.post("/graphql", json={"extensions": by_hash}) for _ in range(2)]
    registered = await client.post("/graphql", json={"query": query, "extensions": by_hash})
    known = [await client.post("/graphql", json={"extensions": by_hash}) for _ in range(2)]

    assert [r.json()["errors"][0]["extensions"]["code"] for r in unknown] == [
        "PERSISTED_QUERY_NOT_FOUND"
    ] * 2
    assert [r.headers["x-cache"] for r in [*unknown, registered, *known]] == [
        "BYPASS",
        "BYPASS",
        "MISS",
        "MISS",
        "HIT",
    ]
    assert known[1].json()["data"] == known[0].json()["data"] == registered.json()["data"]
