"""Redis going away under a running service: killed mid-burst, gone, stalled, restarted.

Redis only holds what the workers share (the data version, the budgets, the fan-out of
notifications), so its outage must degrade the service, never fail it: a committed write is
answered with its payload, reads and writes are served, /readyz says "degraded", a stall delays
no request by more than the link's short timeout, and once Redis is back the workers recover on
their own, with no stale answer served from a cache. Real processes: a redis-server of the test's
own on a free port (the shared one is never touched) and the app under uvicorn, on the test's
database; every wait is bounded and the Redis process is always ended in `finally`.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from models import Contact, Role
from resolvers.accounts import create_user_with_token
from tests.redis_server import RedisServer, redis_server
from tests.serving import TIMEOUT
from tests.test_scale_out import OFFERINGS, REQUEST, SUBSCRIBE, server_process, subscriptions_open

TAKAISHI = "272256"
ADD = """
mutation ($input: AddContactInput!) {
  addContact(input: $input) { userErrors { code } contact { id name } }
}
"""
CONTACTS = "query ($code: String!) { municipality(code: $code) { contacts { name } } }"
THEMES = "{ themes { number title } }"
INTERNALS = ("Error 111", "Connection refused", "Traceback", "redis", "Redis", "Timeout reading")
RECOVERY_LIMIT = 10.0
"""Seconds within which every worker must be using Redis again once it is back."""


@pytest.fixture
async def own_redis() -> AsyncIterator[RedisServer]:
    async with redis_server() as server:
        yield server


@pytest.fixture
async def city_token(database_url: str) -> str:
    _, token = await create_user_with_token(name="City", role=Role.MUNICIPALITY, municipality_code=TAKAISHI)
    return token


async def client_of(stack: AsyncExitStack, address: str, token: str | None = None) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await stack.enter_async_context(
        httpx.AsyncClient(base_url=f"http://{address}", headers=headers, timeout=TIMEOUT)
    )


async def add_contact(http: httpx.AsyncClient, name: str) -> httpx.Response:
    return await http.post("/graphql", json={"query": ADD, "variables": {"input": {"role": "DEPUTY", "name": name}}})


async def contact_names(http: httpx.AsyncClient) -> tuple[set[str], str]:
    """The names of Takaishi's contacts as the worker answers, and its X-Cache header."""
    response = await http.post("/graphql", json={"query": CONTACTS, "variables": {"code": TAKAISHI}})
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return {c["name"] for c in body["data"]["municipality"]["contacts"]}, response.headers["x-cache"]


def assert_plain_graphql(response: httpx.Response) -> None:
    """Answered as GraphQL (JSON), naming nothing of what failed inside."""
    assert response.headers["content-type"].startswith("application/json"), (response.status_code, response.text)
    for internal in INTERNALS:
        assert internal not in response.text, response.text


async def readiness(http: httpx.AsyncClient) -> tuple[int, dict]:
    response = await http.get("/readyz")
    return response.status_code, response.json()


async def recovered(*workers: httpx.AsyncClient) -> float:
    """Seconds until every worker's /readyz says Redis is back (bounded by RECOVERY_LIMIT)."""
    started = time.monotonic()
    while time.monotonic() - started < RECOVERY_LIMIT:
        states = [await readiness(http) for http in workers]
        if all(state == (200, {"status": "ok", "database": "ok", "redis": "ok"}) for state in states):
            return time.monotonic() - started
        await asyncio.sleep(0.1)
    raise AssertionError(f"the workers did not recover within {RECOVERY_LIMIT} s: {states}")


async def first_read_from_cache(http: httpx.AsyncClient) -> float:
    """Seconds until a repeated read is answered from the response cache (`X-Cache: HIT`)."""
    started = time.monotonic()
    while time.monotonic() - started < RECOVERY_LIMIT:
        if (await http.post("/graphql", json={"query": THEMES})).headers["x-cache"] == "HIT":
            return time.monotonic() - started
        await asyncio.sleep(0.1)
    raise AssertionError(f"no read was served from the cache within {RECOVERY_LIMIT} s")


async def test_writes_committed_as_redis_dies_are_answered_with_their_payload(database_url, own_redis, city_token):
    names = [f"障害 {i}" for i in range(30)]
    async with AsyncExitStack() as stack:
        address = await stack.enter_async_context(server_process(database_url, own_redis.url))
        http = await client_of(stack, address, city_token)

        async def add_later(i: int, name: str) -> httpx.Response:
            await asyncio.sleep(i * 0.01)
            return await add_contact(http, name)

        async def kill_later() -> None:
            await asyncio.sleep(0.15)
            await own_redis.kill()

        *answers, _ = await asyncio.gather(*(add_later(i, name) for i, name in enumerate(names)), kill_later())

    committed = set(await Contact.filter(name__in=names).values_list("name", flat=True))
    answered = {
        body["data"]["addContact"]["contact"]["name"]
        for body in (response.json() for response in answers if response.status_code == 200)
        if "errors" not in body and body["data"]["addContact"]["contact"]
    }
    assert committed - answered == set(), "committed, yet answered as a failure"
    assert answered == committed
    for response in answers:
        assert_plain_graphql(response)
    assert len(committed) == len(names), "with Redis gone, writes are still served"


async def test_with_redis_down_reads_and_writes_are_served_and_readyz_says_degraded(
    database_url, own_redis, city_token
):
    async with AsyncExitStack() as stack:
        address = await stack.enter_async_context(server_process(database_url, own_redis.url))
        anonymous, city = await client_of(stack, address), await client_of(stack, address, city_token)
        ready_before = await readiness(anonymous)
        await own_redis.kill()
        reads = [await anonymous.post("/graphql", json={"query": THEMES}) for _ in range(3)]
        write = await add_contact(city, "停止中 一郎")
        seen, _ = await contact_names(city)
        ready = await readiness(anonymous)
        metrics = (await anonymous.get("/metrics")).text

    assert ready_before == (200, {"status": "ok", "database": "ok", "redis": "ok"})
    for read in reads:
        assert_plain_graphql(read)
        assert read.status_code == 200 and len(read.json()["data"]["themes"]) == 10
        assert read.headers["x-cache"] == "BYPASS", "no worker may serve from its cache what it cannot check"
    assert_plain_graphql(write)
    assert write.json()["data"]["addContact"]["contact"]["name"] == "停止中 一郎"
    assert "停止中 一郎" in seen
    assert ready == (200, {"status": "degraded", "database": "ok", "redis": "down"})
    assert "tsunagu_redis_up 0.0" in metrics
    assert "tsunagu_redis_breaker_open 1.0" in metrics
    assert "tsunagu_redis_errors_total" in metrics


async def test_the_service_starts_without_redis_and_uses_it_once_it_appears(database_url, own_redis):
    await own_redis.kill()
    async with AsyncExitStack() as stack:
        address = await stack.enter_async_context(server_process(database_url, own_redis.url))
        http = await client_of(stack, address)
        ready_without = await readiness(http)
        read = await http.post("/graphql", json={"query": THEMES})
        await own_redis.start()
        await recovered(http)
        # A Redis that comes back empty holds no data version until the worker's recovery sets
        # one, so a read may still be bypassed just after /readyz says ok; soon one is served.
        served = await first_read_from_cache(http)

    assert ready_without == (200, {"status": "degraded", "database": "ok", "redis": "down"})
    assert read.status_code == 200 and len(read.json()["data"]["themes"]) == 10
    assert served < RECOVERY_LIMIT


async def test_a_stalled_redis_delays_no_request_by_more_than_a_second(database_url, own_redis, city_token):
    async with AsyncExitStack() as stack:
        first = await stack.enter_async_context(server_process(database_url, own_redis.url))
        second = await stack.enter_async_context(server_process(database_url, own_redis.url))
        writer, reader = await client_of(stack, first, city_token), await client_of(stack, second, city_token)
        warm = [await contact_names(reader) for _ in range(2)]

        timings: list[float] = []
        own_redis.pause()
        try:
            for i in range(3):
                started = time.monotonic()
                write = await add_contact(writer, f"停滞 {i}")
                timings.append(time.monotonic() - started)
                started = time.monotonic()
                during, _ = await contact_names(reader)
                timings.append(time.monotonic() - started)
                assert_plain_graphql(write)
                assert write.json()["data"]["addContact"]["contact"]["name"] == f"停滞 {i}"
                assert f"停滞 {i}" in during
        finally:
            own_redis.resume()
        await recovered(reader, writer)
        after = [await contact_names(reader) for _ in range(2)]

    assert [cache for _, cache in warm] == ["MISS", "HIT"]
    assert max(timings) < 1.0, timings
    assert {"停滞 0", "停滞 1", "停滞 2"} <= after[0][0], "the answer cached before the stall is stale"
    assert [cache for _, cache in after] == ["MISS", "HIT"]


async def test_once_redis_is_back_the_workers_recover_and_share_writes_again(database_url, own_redis, city_token):
    async with AsyncExitStack() as stack:
        first = await stack.enter_async_context(server_process(database_url, own_redis.url))
        second = await stack.enter_async_context(server_process(database_url, own_redis.url))
        writer, reader = await client_of(stack, first, city_token), await client_of(stack, second, city_token)
        warm = [await contact_names(reader) for _ in range(2)]

        await own_redis.kill()
        during_write = await add_contact(writer, "断絶 一郎")
        during_read = await contact_names(reader)
        await own_redis.start()
        recovery = await recovered(reader, writer)
        after = [await contact_names(reader) for _ in range(2)]
        await add_contact(writer, "復旧 二郎")
        later, _ = await contact_names(reader)

    assert [cache for _, cache in warm] == ["MISS", "HIT"]
    assert during_write.json()["data"]["addContact"]["contact"]["name"] == "断絶 一郎"
    assert during_read == (during_read[0], "BYPASS") and "断絶 一郎" in during_read[0]
    assert recovery < RECOVERY_LIMIT
    assert "断絶 一郎" in after[0][0]
    assert [cache for _, cache in after] == ["MISS", "HIT"], "the cache is served again"
    assert "復旧 二郎" in later, "a write through one worker makes the other's cached answer stale again"


async def test_a_notification_sent_while_redis_is_away_reaches_a_subscriber_on_another_worker(
    database_url, own_redis, city_token
):
    _, partner_token = await create_user_with_token(name="Partner", role=Role.PARTNER, partner_slug="kanko-yoho-platform")
    async with AsyncExitStack() as stack:
        first = await stack.enter_async_context(server_process(database_url, own_redis.url))
        second = await stack.enter_async_context(server_process(database_url, own_redis.url))
        city = await client_of(stack, second, city_token)
        websocket = await stack.enter_async_context(
            connect(f"ws://{first}/graphql", subprotocols=[Subprotocol("graphql-transport-ws")], open_timeout=TIMEOUT)
        )
        await websocket.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {partner_token}"}}))
        assert json.loads(await asyncio.wait_for(websocket.recv(), TIMEOUT))["type"] == "connection_ack"
        await websocket.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
        await wait_for_subscription(first)
        offerings = (await city.post("/graphql", json={"query": OFFERINGS})).json()["data"]["partner"]["offerings"]
        demo = next(o["id"] for o in offerings if o["slug"] == "kanko-yoho-demo-accounts")

        await own_redis.kill()
        made = (await city.post("/graphql", json={"query": REQUEST, "variables": {"id": demo}})).json()
        await own_redis.start()
        message = json.loads(await asyncio.wait_for(websocket.recv(), RECOVERY_LIMIT))
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(websocket.recv(), 2.0)

    assert made["data"]["requestOffering"]["userErrors"] == []
    assert message["type"] == "next"
    assert message["payload"]["data"]["notificationReceived"] == {
        "kind": "OFFERING_REQUESTED",
        "subject": {"id": made["data"]["requestOffering"]["offeringRequest"]["id"]},
    }


async def wait_for_subscription(address: str) -> None:
    for _ in range(int(TIMEOUT / 0.05)):
        if await subscriptions_open(address) >= 1:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the subscription did not open")
