"""Two server processes on different ports, one database and one Redis: what is written through
one is read through the other, even where the other had the answer cached, and a subscription
opened on one hears an event caused on the other. Real processes (uvicorn), real sockets on 127.0.0.1; every wait is bounded."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import httpx
import pytest
import redis.asyncio as redis
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from models import Role
from resolvers.accounts import create_user_with_token
from settings import PROJECT_ROOT
from tests.serving import TIMEOUT, wait_ready

REDIS_URL = os.environ.get("TSUNAGU_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
SUBSCRIBE = "subscription { notificationReceived { kind subject { id } } }"
OFFERINGS = 'query { partner(slug: "kanko-yoho-platform") { offerings { id slug } } }'
REQUEST = 'mutation($id: ID!) { requestOffering(input: {offeringId: $id}) { offeringRequest { id } userErrors { code } } }'
REQUESTS = "{ offeringRequests(first: 5) { totalCount nodes { id } } }"


async def redis_reachable() -> bool:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        return bool(await asyncio.wait_for(client.ping(), 2))
    except (TimeoutError, OSError, redis.RedisError):
        return False
    finally:
        await client.aclose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@asynccontextmanager
async def server_process(database_url: str, redis_url: str = REDIS_URL) -> AsyncIterator[str]:
    """`uvicorn --factory server:app` in a process of its own; yields its address once ready."""
    port = free_port()
    env = os.environ | {"DATABASE_URL": database_url, "REDIS_URL": redis_url, "TSUNAGU_LOG_LEVEL": "warning"}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "uvicorn", "--factory", "server:app", "--host", "127.0.0.1", "--port", str(port),
        "--log-level", "warning", cwd=PROJECT_ROOT, env=env,
    )
    address = f"127.0.0.1:{port}"
    try:
        await wait_ready(f"http://{address}", 3 * TIMEOUT)
        yield address
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), TIMEOUT)


async def subscriptions_open(address: str) -> float:
    async with httpx.AsyncClient(base_url=f"http://{address}") as http:
        metrics = (await http.get("/metrics")).text
    line = next(line for line in metrics.splitlines() if line.startswith("tsunagu_subscriptions "))
    return float(line.split()[1])


async def answer(address: str, token: str, query: str, variables: dict | None = None) -> httpx.Response:
    async with httpx.AsyncClient(base_url=f"http://{address}", timeout=TIMEOUT) as http:
        response = await http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers={"Authorization": f"Bearer {token}"}
        )
    assert "errors" not in response.json(), response.json()
    return response


async def graphql(address: str, token: str, query: str, variables: dict | None = None) -> dict:
    return (await answer(address, token, query, variables)).json()["data"]


async def test_two_processes_share_writes_and_subscriptions(database_url):
    if not await redis_reachable():
        if os.environ.get("CI"):
            raise AssertionError(f"Redis is not reachable at {REDIS_URL}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    _, partner_token = await create_user_with_token(name="Partner", role=Role.PARTNER, partner_slug="kanko-yoho-platform")
    _, city_token = await create_user_with_token(name="City", role=Role.MUNICIPALITY, municipality_code="272256")

    async with AsyncExitStack() as stack:
        first = await stack.enter_async_context(server_process(database_url))
        second = await stack.enter_async_context(server_process(database_url))
        websocket = await stack.enter_async_context(
            connect(f"ws://{first}/graphql", subprotocols=[Subprotocol("graphql-transport-ws")], open_timeout=TIMEOUT)
        )
        await websocket.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {partner_token}"}}))
        assert json.loads(await asyncio.wait_for(websocket.recv(), TIMEOUT))["type"] == "connection_ack"
        await websocket.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
        for _ in range(int(TIMEOUT / 0.05)):
            if await subscriptions_open(first) >= 1:
                break
            await asyncio.sleep(0.05)

        offerings = (await graphql(second, city_token, OFFERINGS))["partner"]["offerings"]
        cached_by_first = [await answer(first, partner_token, REQUESTS) for _ in range(2)]
        demo = next(o["id"] for o in offerings if o["slug"] == "kanko-yoho-demo-accounts")
        made = (await graphql(second, city_token, REQUEST, {"id": demo}))["requestOffering"]
        assert made["userErrors"] == []

        message = json.loads(await asyncio.wait_for(websocket.recv(), TIMEOUT))
        seen_by_first = await answer(first, partner_token, REQUESTS)

    assert message["type"] == "next"
    assert message["payload"]["data"]["notificationReceived"] == {
        "kind": "OFFERING_REQUESTED",
        "subject": {"id": made["offeringRequest"]["id"]},
    }
    assert [r.headers["x-cache"] for r in cached_by_first] == ["MISS", "HIT"]
    assert cached_by_first[1].json()["data"]["offeringRequests"]["nodes"] == []
    assert seen_by_first.headers["x-cache"] == "MISS"
    assert seen_by_first.json()["data"]["offeringRequests"]["nodes"] == [{"id": made["offeringRequest"]["id"]}]
