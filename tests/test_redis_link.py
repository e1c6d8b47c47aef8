"""The link to Redis, in this process: its breaker opens after a few failures and then spares
every use the wait, it recovers on its own once Redis answers (running the recovery hooks first),
and budgets are still enforced while Redis is away. A port where nothing listens stands for
Redis gone; a redis-server of the test's own is started there to bring it back."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from redis.asyncio import Redis

from edge.observability import JsonFormatter
from resolvers.cluster.budget import RedisBudget
from resolvers.cluster.redis_link import FAILURES_TO_OPEN, RedisLink, RedisUnavailable
from server import create_app
from tests.redis_server import RedisServer, redis_server
from tests.serving import TIMEOUT
from tests.test_scale_out import free_port

MEMBERS = {"query": '{ alliance(slug: "expo2025") { members(first: 50) { nodes { municipality { name } } } } }'}
MEMBERS_COST = 1 + 1 + 50 * (1 + 1)
START = 1_680_000_000.0  # the first second of a minute


@pytest.fixture
async def own_redis() -> AsyncIterator[RedisServer]:
    async with redis_server() as server:
        yield server


async def test_the_breaker_opens_after_failures_and_closes_once_redis_answers(own_redis):
    await own_redis.kill()
    link = RedisLink(own_redis.url, timeout=0.25, retry_interval=0.2)
    recovered: list[bytes] = []

    async def hook(redis: Redis) -> None:
        recovered.append(await redis.ping())

    link.on_recovery(hook)
    try:
        outcomes = []
        for _ in range(FAILURES_TO_OPEN):
            try:
                await link.run(lambda redis: redis.ping())
            except RedisUnavailable:
                outcomes.append(link.breaker_open)
        started = time.monotonic()
        refused_at_once = [await refused(link) for _ in range(100)]
        refusing = time.monotonic() - started

        await own_redis.start()
        await asyncio.wait_for(link.usable.wait(), TIMEOUT)
        answered = await link.run(lambda redis: redis.ping())
    finally:
        await link.close()

    assert outcomes == [False] * (FAILURES_TO_OPEN - 1) + [True]
    assert all(refused_at_once) and refusing < 0.1, "no command is sent while the breaker is open"
    assert recovered == [True], "the recovery hooks ran before the breaker closed"
    assert answered is True and not link.breaker_open and link.reachable


async def refused(link: RedisLink) -> bool:
    try:
        await link.run(lambda redis: redis.ping())
    except RedisUnavailable:
        return True
    return False


async def test_budgets_are_kept_in_the_process_while_redis_is_away(settings, own_redis):
    await own_redis.kill()
    link = RedisLink(own_redis.url, timeout=0.25, retry_interval=60)
    fits = 3
    app = create_app(
        dataclasses.replace(settings, anonymous_points_per_minute=fits * MEMBERS_COST),
        manage_database=False,
        budget=RedisBudget(link, lambda: START + 1),
    )
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
            statuses = [(await http.post("/graphql", json=MEMBERS)).status_code for _ in range(fits + 1)]
    finally:
        await link.close()

    assert statuses == [200] * fits + [429]


async def test_metrics_and_the_json_log_say_when_redis_is_down(settings, caplog):
    nowhere = f"redis://127.0.0.1:{free_port()}/0"
    app = create_app(dataclasses.replace(settings, redis_url=nowhere), manage_database=False)
    with caplog.at_level(logging.INFO, logger="tsunagu"):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
            answers = [await http.post("/graphql", json=MEMBERS) for _ in range(2)]
            metrics = (await http.get("/metrics")).text
    lines = [json.loads(JsonFormatter().format(record)) for record in caplog.records]

    assert [answer.status_code for answer in answers] == [200, 200]
    assert "tsunagu_redis_up 0.0" in metrics
    assert "tsunagu_redis_breaker_open 1.0" in metrics
    assert "tsunagu_redis_errors_total 2.0" in metrics
    down = next(line for line in lines if line["logger"] == "tsunagu.redis")
    assert (down["level"], down["redis"], down["error"]) == ("WARNING", "down", "ConnectionError")
    access = [line for line in lines if line["logger"] == "tsunagu.access"]
    assert [line["path"] for line in access] == ["/graphql", "/graphql", "/metrics"]
    assert access[-1]["redis"] == "down"
