"""The database goes away under a running service and comes back.

A PostgreSQL cluster of the test's own (`tests/private_postgres.py`), seeded, serves a real
`tsunagu serve` process; the cluster is stopped at once (`pg_ctl stop -m immediate`, as a crash
would) and started again. Meanwhile every caller, anonymous or signed in, API or portal, gets a
503 with `Retry-After` that names nothing internal, and once the cluster is back the service
answers again without a restart. The test makes its own cluster, so it runs in both passes of
the suite (SQLite and PostgreSQL); it is skipped, with the reason, where there are no PostgreSQL
server binaries. Every wait is bounded, and the cluster is stopped and removed in any case.
A second test, in process, makes the test's own database refuse every statement, on either backend.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
import time
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from tortoise import Tortoise, connections

from database.connection import open_database
from models import Role
from portals.session import SESSION_COOKIE
from resolvers.accounts import create_user_with_token
from resolvers.portal_session import sign_in_with_token
from settings import PROJECT_ROOT
from tests.conftest import seed_into
from tests.private_postgres import free_port, missing_reason, private_cluster
from tests.serving import TIMEOUT, wait_ready

needs_postgres_binaries = pytest.mark.skipif(missing_reason() is not None, reason=str(missing_reason()))

TSUNAGU = Path(sys.executable).parent / "tsunagu"
ANSWER_BOUND = 5.0
RECOVERY_BOUND = 20.0
ALLIANCE = '{ alliance(slug: "expo2025") { shortName } }'
VIEWER = "{ viewer { name role } }"
ISSUE = 'mutation { issueToken(input: {name: "Outage", role: ADMIN}) { token userErrors { code } } }'
# What a caller must never read in an answer: exception names, errno text, drivers, SQL, hosts.
INTERNALS = re.compile(r"Errno|refused|Traceback|asyncpg|tortoise|Exception|Error:|SELECT|127\.0\.0\.1|postgres", re.I)


@asynccontextmanager
async def serving(database_url: str, log: Path) -> AsyncIterator[str]:
    """`tsunagu serve` against `database_url` in a process of its own, its log written to `log`;
    yields its base URL."""
    port = free_port()
    env = os.environ | {"DATABASE_URL": database_url, "TSUNAGU_RESPONSE_CACHE_TTL": "0"}
    env.pop("REDIS_URL", None)
    with log.open("wb") as stderr:
        process = await asyncio.create_subprocess_exec(
            str(TSUNAGU), "serve", "--port", str(port), "--log-level", "info", cwd=PROJECT_ROOT, env=env, stderr=stderr,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_ready(base, 3 * TIMEOUT)
        yield base
    finally:
        if process.returncode is None:
            process.terminate()
        await asyncio.wait_for(process.wait(), TIMEOUT)


async def admin_token_and_session(database_url: str) -> tuple[str, str]:
    """A secretariat token, and a portal session signed in with it."""
    await open_database(database_url)
    try:
        _, token = await create_user_with_token(name="Secretariat", role=Role.ADMIN)
        session_id, _ = await sign_in_with_token(token)
    finally:
        await Tortoise.close_connections()
    return token, session_id


async def timed(request: Awaitable[httpx.Response]) -> tuple[httpx.Response, float]:
    """The response and how long it took to come."""
    started = time.perf_counter()
    response = await request
    return response, time.perf_counter() - started


def assert_unavailable_json(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"].isdigit()
    assert response.headers["content-type"].startswith("application/json")
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert not INTERNALS.search(response.text), response.text


@needs_postgres_binaries
async def test_database_outage_is_answered_503_and_the_service_recovers(tmp_path):
    async with private_cluster() as cluster:
        await seed_into(cluster.url)
        token, session_id = await admin_token_and_session(cluster.url)
        signed_in = {"Authorization": f"Bearer {token}"}
        cookies = {SESSION_COOKIE: session_id}
        async with (
            serving(cluster.url, tmp_path / "server.log") as base,
            httpx.AsyncClient(base_url=base, timeout=TIMEOUT, cookies=cookies) as http,
        ):
            assert (await http.get("/admin")).status_code == 200

            await cluster.stop()
            anonymous_read, anonymous_seconds = await timed(http.post("/graphql", json={"query": ALLIANCE}))
            signed_in_read, read_seconds = await timed(http.post("/graphql", json={"query": VIEWER}, headers=signed_in))
            signed_in_write, write_seconds = await timed(http.post("/graphql", json={"query": ISSUE}, headers=signed_in))
            page, page_seconds = await timed(http.get("/admin"))
            ready = await http.get("/readyz")
            metrics = (await http.get("/metrics")).text

            await cluster.start()
            restarted = time.perf_counter()
            while (answer := await http.post("/graphql", json={"query": ALLIANCE})).status_code != 200:
                assert time.perf_counter() - restarted < RECOVERY_BOUND, answer.text
                await asyncio.sleep(0.1)
            recovery_seconds = time.perf_counter() - restarted
            write_after = await http.post("/graphql", json={"query": ISSUE}, headers=signed_in)
            page_after = await http.get("/admin")
            metrics_after = (await http.get("/metrics")).text

    print(f"\noutage answers: anonymous read {anonymous_seconds:.3f}s, signed-in read {read_seconds:.3f}s, "
          f"write {write_seconds:.3f}s, portal page {page_seconds:.3f}s; recovery {recovery_seconds:.3f}s")
    for response in (anonymous_read, signed_in_read, signed_in_write):
        assert_unavailable_json(response)
    assert page.status_code == 503
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["retry-after"].isdigit()
    assert "<h1>" in page.text and not INTERNALS.search(page.text)
    assert max(anonymous_seconds, read_seconds, write_seconds, page_seconds) < ANSWER_BOUND
    assert ready.status_code == 503
    assert re.search(r"^tsunagu_database_up 0\.0$", metrics, re.M)
    assert float(re.search(r"^tsunagu_database_errors_total (\S+)$", metrics, re.M).group(1)) >= 4

    assert answer.json()["data"]["alliance"]["shortName"]
    assert write_after.json()["data"]["issueToken"]["userErrors"] == []
    assert page_after.status_code == 200
    assert re.search(r"^tsunagu_database_up 1\.0$", metrics_after, re.M)
    log = [json.loads(line) for line in (tmp_path / "server.log").read_text().splitlines() if line.startswith("{")]
    database_lines = [(line["message"], line.get("database")) for line in log if line["logger"] == "tsunagu.database"]
    assert database_lines == [("database unavailable", "unavailable"), ("database available again", "ok")]
    assert {line["path"] for line in log if line.get("database") == "unavailable" and "path" in line} == {"/graphql", "/admin"}


# Steps aside: an error in Query.alliance, as the test means (graphql-core reports it with its
# path).
@pytest.mark.plan_fallback("field_error")
async def test_a_database_that_refuses_every_statement_is_a_503_for_every_caller(client, sign_in, monkeypatch):
    staff = await sign_in("MUNICIPALITY", municipality="272256")
    connection = connections.get("default")

    async def refused(*args: object, **kwargs: object) -> None:
        raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")

    for method in ("execute_query", "execute_query_dict", "execute_insert", "execute_script"):
        monkeypatch.setattr(connection, method, refused)

    anonymous = await client.post("/graphql", json={"query": ALLIANCE})
    signed_in = await client.post("/graphql", json={"query": VIEWER}, headers=staff.headers)
    ready = await client.get("/readyz")
    metrics = (await client.get("/metrics")).text

    for response in (anonymous, signed_in):
        assert_unavailable_json(response)
    assert ready.status_code == 503
    assert re.search(r"^tsunagu_database_up 0\.0$", metrics, re.M)
    assert re.search(r"^tsunagu_database_errors_total 2\.0$", metrics, re.M)


# Steps aside: the reads the outage fails are errors with their path.
@pytest.mark.plan_fallback("field_error")
async def test_an_outage_is_not_logged_as_a_traceback_per_request(client, monkeypatch, caplog):
    """The outage is one JSON line when it begins (and the metrics count each request): each
    request it failed must not add a GraphQL error with its traceback, outside the JSON log."""
    connection = connections.get("default")

    async def refused(*args: object, **kwargs: object) -> None:
        raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")

    for method in ("execute_query", "execute_query_dict", "execute_insert", "execute_script"):
        monkeypatch.setattr(connection, method, refused)

    with caplog.at_level("ERROR", logger="strawberry.execution"):
        for _ in range(3):
            assert_unavailable_json(await client.post("/graphql", json={"query": ALLIANCE}))

    assert [record for record in caplog.records if record.name == "strawberry.execution"] == []
