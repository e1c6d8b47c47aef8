"""`tsunagu serve --workers 2` on one SQLite file: a burst of writes through both workers all
succeed, each with its audit entry. Two processes write one file; each write transaction takes
the write lock when it begins (BEGIN IMMEDIATE), so neither finds the other's commit under its
feet halfway, and waits for the lock up to the busy timeout. A real process on 127.0.0.1; every
wait is bounded. SQLite only: on PostgreSQL the workers share a server that orders their writes.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest

from models import AuditEntry, AuditOutcome, Role
from resolvers.accounts import create_user_with_token
from tests.conftest import IS_POSTGRES
from tests.serving import TIMEOUT
from tests.test_workers import two_workers

pytestmark = pytest.mark.skipif(IS_POSTGRES, reason="several processes writing one SQLite file")

WRITES = 80
ISSUE = "mutation($name: String!) { issueToken(input: {name: $name, role: PARTNER, partnerSlug: \"kanko-yoho-platform\"}) { token userErrors { code } } }"


async def issue(base: str, token: str, name: str) -> httpx.Response:
    """One write on a connection of its own, so the kernel may hand it to either worker."""
    async with httpx.AsyncClient(base_url=base, timeout=3 * TIMEOUT) as http:
        return await http.post(
            "/graphql", json={"query": ISSUE, "variables": {"name": name}}, headers={"Authorization": f"Bearer {token}"}
        )


async def test_a_burst_of_writes_through_two_workers_on_sqlite_all_succeed_and_are_audited(database_url, tmp_path):
    _, admin = await create_user_with_token(name="Secretariat", role=Role.ADMIN)
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()

    async with two_workers(database_url, metrics_dir) as base:
        answers = await asyncio.gather(*(issue(base, admin, f"burst {n}") for n in range(WRITES)))

    bodies = [answer.json() for answer in answers]
    failed = [body for body in bodies if "errors" in body or body["data"]["issueToken"]["userErrors"]]
    assert ([answer.status_code for answer in answers], failed) == ([200] * WRITES, [])
    audited = await AuditEntry.filter(action="issueToken").values_list("outcome", flat=True)
    assert audited == [AuditOutcome.ACCEPTED] * WRITES
