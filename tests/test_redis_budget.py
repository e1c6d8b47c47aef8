"""With Redis, the points budget is one counter shared by every worker: what a caller spends
through one app is gone through another. Two apps with their own Redis clients stand for two
worker processes; a clock set to a window of this test's own keeps its keys apart."""

from __future__ import annotations

import os
import uuid

import httpx
import pytest

from resolvers.cluster.budget import RedisBudget
from resolvers.cluster.redis_link import RedisLink
from server import create_app
from settings import ANONYMOUS_POINTS_PER_MINUTE
from tests.test_scale_out import REDIS_URL, redis_reachable

MEMBERS = '{ alliance(slug: "expo2025") { members(first: 100) { nodes { municipality { name } } } } }'
MEMBERS_COST = 1 + 1 + 100 * 2


@pytest.fixture
async def workers(settings):
    if not await redis_reachable():
        if os.environ.get("CI"):
            raise AssertionError(f"Redis is not reachable at {REDIS_URL}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    window_start = 60.0 * (10**8 + uuid.uuid4().int % 10**8)
    links = [RedisLink(REDIS_URL, timeout=1.0, retry_interval=1.0) for _ in range(2)]
    apps = [
        create_app(settings, manage_database=False, budget=RedisBudget(link, lambda: window_start + 1))
        for link in links
    ]
    https = [httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") for app in apps]
    yield https
    for http in https:
        await http.aclose()
    for link in links:
        await link.close()


async def test_a_budget_spent_through_one_worker_is_spent_for_all(workers):
    first, second = workers
    spends = ANONYMOUS_POINTS_PER_MINUTE // MEMBERS_COST

    for i in range(spends):
        worker = first if i % 2 == 0 else second
        assert (await worker.post("/graphql", json={"query": MEMBERS})).status_code == 200
    refused = await second.post("/graphql", json={"query": MEMBERS})
    cost = (await first.post("/graphql", json={"query": "{ themes { number } }"})).json()["extensions"]["cost"]

    assert refused.status_code == 429 and int(refused.headers["retry-after"]) == 59
    assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert cost["remaining"] == ANONYMOUS_POINTS_PER_MINUTE - spends * MEMBERS_COST - cost["requested"]
