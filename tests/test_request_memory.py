"""What a request read is freed when it is answered, without waiting for the garbage collector.

A request's rows, GraphQL objects and DataLoader futures number in the thousands for a page of
members. Held in a reference cycle, they would stay in memory until a collection ran, and make
every collection long; freed by reference counting, they go as the answer is sent.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from strawberry.dataloader import DataLoader

from schema.rows import ReadObject
from settings import Settings
from tests.factories import seat_full_members_in_working_groups
from tests.test_statement_budget import DIRECTORY, ROSTER


@pytest.fixture
def settings(database_url: str) -> Settings:
    """No response cache: every request is executed."""
    return dataclasses.replace(Settings(database_url=database_url), response_cache_ttl=0)


@pytest.fixture
def collector_off() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def alive(kind: type) -> int:
    return sum(1 for thing in gc.get_objects() if isinstance(thing, kind))


@pytest.mark.parametrize(
    ("query", "variables"), [(DIRECTORY, {"first": 50}), (ROSTER, None)], ids=["directory", "roster"]
)
async def test_a_query_leaves_no_loader_or_row_behind(gql, query, variables, collector_off):
    await seat_full_members_in_working_groups()
    await gql.data(query, variables)
    loaders, rows = alive(DataLoader), alive(ReadObject)

    for _ in range(2):  # the roster costs 3002 of an anonymous caller's 10000 points a minute
        assert (await gql.data(query, variables))["alliance"]["members"]["nodes"]

    assert (alive(DataLoader), alive(ReadObject)) == (loaders, rows)


def test_the_served_app_freezes_what_startup_built(database_url):
    """`tsunagu serve` (uvicorn's factory `server:app`) keeps the collector off startup's objects."""
    program = (
        "import asyncio, gc\n"
        "from asgi_lifespan import LifespanManager\n"
        "import server\n"
        "async def main():\n"
        "    async with LifespanManager(server.app()):\n"
        "        print(gc.get_freeze_count())\n"
        "asyncio.run(main())\n"
    )
    frozen = subprocess.run(
        [sys.executable, "-c", program],
        env={**os.environ, "DATABASE_URL": database_url},
        cwd=Path(__file__).parent.parent,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert int(frozen.stdout.split()[-1]) > 100_000
