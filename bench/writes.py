"""Write load on PostgreSQL: `requestOffering`, `registerForEvent` and `joinWorkingGroup` at c16.

It (1) recreates the database `tsunagu_bench_writes`, seeds it and, in this process, creates a
staff account with a token for each active full member and an admin account, which announces
`--events` events open to all members with no capacity limit; (2) starts `tsunagu serve` (one
worker, response cache off, pinned to CPU 1; this driver pins itself to CPU 0); (3) per mutation,
makes a list of distinct writes (each member requests each offering without a cap on places once,
registers for each event once, joins each working group once: no write is refused, so every one
commits its change, its audit entry and the data version), and sixteen clients send them until the list or `--duration`
runs out; (4) prints mutations/s, p50/p99 latency, statements per mutation (from the server's
/metrics) and the server's RSS, and checks that every write was accepted; (5) stops the server by
its PID, also on error or Ctrl-C.

Run:  .venv/bin/python bench/writes.py [--duration 10] [--clients 16]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from base64 import b64encode
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from tortoise import Tortoise  # noqa: E402

from bench import data, servers  # noqa: E402
from database.connection import open_database  # noqa: E402
from models import Membership, MembershipStatus, MembershipTier, Offering, Role, WorkingGroup  # noqa: E402
from resolvers.accounts import create_user_with_token  # noqa: E402

TSUNAGU = Path(sys.executable).parent / "tsunagu"
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tsunagu_bench_writes"
SERVER_CPU, DRIVER_CPU = "1", 0

CREATE_EVENT = """mutation CreateEvent($input: CreateEventInput!) {
  createEvent(input: $input) { event { id } userErrors { code message } } }"""
WRITES = {
    "requestOffering": """mutation RequestOffering($id: ID!) {
  requestOffering(input: {offeringId: $id}) { userErrors { code } } }""",
    "registerForEvent": """mutation RegisterForEvent($id: ID!) {
  registerForEvent(input: {eventId: $id}) { userErrors { code } } }""",
    "joinWorkingGroup": """mutation JoinWorkingGroup($id: ID!) {
  joinWorkingGroup(input: {workingGroupId: $id}) { userErrors { code } } }""",
}
OPERATION_NAMES = {"requestOffering": "RequestOffering", "registerForEvent": "RegisterForEvent",
                   "joinWorkingGroup": "JoinWorkingGroup"}


@dataclass
class Accounts:
    members: list[str]
    """One bearer token per active full member's staff."""
    admin: str
    offering_ids: list[str]
    working_group_ids: list[str]
    event_ids: list[str] = field(default_factory=list)


@dataclass
class Run:
    sent: int = 0
    refused: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    seconds: float = 0.0


def global_id(type_name: str, id_: int) -> str:
    return b64encode(f"{type_name}:{id_}".encode()).decode()


async def create_accounts(database_url: str) -> Accounts:
    await open_database(database_url)
    try:
        codes = await Membership.filter(
            status=MembershipStatus.ACTIVE, tier=MembershipTier.FULL, alliance__slug="expo2025"
        ).order_by("id").values_list("municipality__code", flat=True)
        members = [
            (await create_user_with_token(name=f"bench {code}", role=Role.MUNICIPALITY, municipality_code=code))[1]
            for code in codes
        ]
        _, admin = await create_user_with_token(name="bench admin", role=Role.ADMIN)
        # Offerings without a cap on places: a capped one would refuse the requests after its last place.
        offerings = await Offering.filter(capacity=None).order_by("id").values_list("id", flat=True)
        groups = await WorkingGroup.filter(alliance__slug="expo2025").order_by("id").values_list("id", flat=True)
    finally:
        await Tortoise.close_connections()
    return Accounts(
        members,
        admin,
        [global_id("Offering", id_) for id_ in offerings],
        [global_id("WorkingGroup", id_) for id_ in groups],
    )


async def announce_events(http: httpx.AsyncClient, url: str, accounts: Accounts, count: int) -> None:
    starts = dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
    for number in range(count):
        variables = {"input": {
            "allianceSlug": "expo2025", "title": f"ベンチマーク説明会 {number + 1}", "description": "書き込みの計測用",
            "kind": "SEMINAR", "format": "ONLINE", "audience": "ALL_MEMBERS",
            "startsAt": (starts + dt.timedelta(days=number)).isoformat(),
            "endsAt": (starts + dt.timedelta(days=number, hours=1)).isoformat(), "themeNumbers": [1],
        }}
        answer = await post(http, url, accounts.admin, CREATE_EVENT, variables)
        payload = answer["data"]["createEvent"]
        if payload["userErrors"]:
            raise RuntimeError(f"createEvent refused: {payload['userErrors']}")
        accounts.event_ids.append(payload["event"]["id"])


async def post(http: httpx.AsyncClient, url: str, token: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    response = await http.post(url, json={"query": query, "variables": variables},
                               headers={"Authorization": f"Bearer {token}"})
    return response.json()


def writes_of(name: str, accounts: Accounts) -> list[tuple[str, str]]:
    """Every (member's token, target id) pair once, shuffled so that clients spread over targets."""
    targets = {
        "requestOffering": accounts.offering_ids,
        "registerForEvent": accounts.event_ids,
        "joinWorkingGroup": accounts.working_group_ids,
    }[name]
    pairs = [(token, target) for token in accounts.members for target in targets]
    random.Random(2025).shuffle(pairs)
    return pairs


async def load(url: str, name: str, pairs: list[tuple[str, str]], clients: int, duration: float) -> Run:
    run = Run()
    queue: Iterator[tuple[str, str]] = iter(pairs)
    deadline = time.perf_counter() + duration
    body = {"query": WRITES[name], "operationName": OPERATION_NAMES[name]}

    async def client(http: httpx.AsyncClient) -> None:
        for token, target in queue:
            if time.perf_counter() >= deadline:
                return
            began = time.perf_counter()
            response = await http.post(url, json=body | {"variables": {"id": target}},
                                       headers={"Authorization": f"Bearer {token}"})
            run.latencies_ms.append((time.perf_counter() - began) * 1000)
            run.sent += 1
            answer = response.json()
            errors = answer.get("errors") or (answer.get("data") or {}).get(name, {}).get("userErrors")
            if response.status_code != 200 or errors:
                run.refused.append(json.dumps(errors, ensure_ascii=False)[:200])

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=60.0, limits=limits) as http:
        began = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(clients)))
        run.seconds = time.perf_counter() - began
    return run


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def statements_per_request(server: servers.Server, operation: str) -> tuple[float, float]:
    totals = servers.statements(server).get(operation, (0.0, 0.0))
    return totals[0], totals[1]


def report_line(name: str, run: Run, statements: float | None, rss_mib: float) -> str:
    rate = run.sent / run.seconds if run.seconds else 0.0
    return (
        f"{name:<18} {run.sent:>6} {rate:>10.1f} {percentile(run.latencies_ms, 0.5):>8.1f} "
        f"{percentile(run.latencies_ms, 0.99):>8.1f} {statements if statements is not None else '-':>10} "
        f"{rss_mib:>8.0f} {len(run.refused):>8}"
    )


async def main(args: argparse.Namespace) -> int:
    os.sched_setaffinity(0, {DRIVER_CPU})
    await data.recreate_postgres_database(args.database_url)
    data.seed(TSUNAGU, args.database_url)
    accounts = await create_accounts(args.database_url)
    log_dir = Path(tempfile.mkdtemp(prefix="tsunagu-writes-"))
    server = servers.start_tsunagu("tsunagu", args.database_url, 0, SERVER_CPU, log_dir, TSUNAGU)
    try:
        servers.wait_ready(server, {"query": "{ __typename }"})
        async with httpx.AsyncClient(timeout=60.0) as http:
            await announce_events(http, server.url, accounts, args.events)
        print(f"{len(accounts.members)} members, {len(accounts.offering_ids)} offerings, "
              f"{len(accounts.event_ids)} events, {len(accounts.working_group_ids)} working groups; "
              f"c{args.clients}, at most {args.duration:.0f} s per mutation; server log {log_dir}")
        print(f"{'mutation':<18} {'sent':>6} {'per s':>10} {'p50 ms':>8} {'p99 ms':>8} {'stmts/mut':>10} "
              f"{'RSS MiB':>8} {'refused':>8}")
        failed = 0
        for name in args.mutations:
            before = statements_per_request(server, OPERATION_NAMES[name])
            run = await load(server.url, name, writes_of(name, accounts), args.clients, args.duration)
            after = statements_per_request(server, OPERATION_NAMES[name])
            count = after[1] - before[1]
            statements = round((after[0] - before[0]) / count, 2) if count else None
            print(report_line(name, run, statements, servers.tree_rss_kib(server.pid) / 1024))
            for refusal in run.refused[:3]:
                print(f"  refused: {refusal}")
            failed += len(run.refused)
        return 1 if failed else 0
    finally:
        servers.stop(server)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DATABASE_URL)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds at most per mutation")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--events", type=int, default=40, help="events announced for registerForEvent")
    parser.add_argument("--mutations", type=lambda text: text.split(","), default=list(WRITES))
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(asyncio.run(main(arguments())))
