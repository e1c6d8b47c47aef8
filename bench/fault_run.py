"""Redis killed under mixed load: what callers get, and how long the service takes to recover.

Starts a redis-server of its own (a free port; the machine's shared Redis is never touched) and
`tsunagu serve --workers 2` on 127.0.0.1 against it, then sends a mixed load for `--duration`
seconds (anonymous reads, a municipality's private reads, `addContact` writes with unique names)
from `--clients` concurrent connections. Redis is killed at `--kill-at` seconds and started again
at `--restart-at`. Afterwards it counts, by kind, what every request got, checks no answer names
an internal (connection errors, tracebacks), compares the writes answered with the writes the
database holds (a committed write answered as a failure is counted), and reports how long after
Redis came back every worker was using it again (`tsunagu_redis_breaker_open` 0 in /metrics).

    .venv/bin/python bench/fault_run.py                       # a temporary SQLite database
    .venv/bin/python bench/fault_run.py --database-url postgres://postgres@127.0.0.1:5432/tsunagu_fault

A PostgreSQL database given here is dropped and created again. Every process it starts is ended
when it ends, whatever happens.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import socket
import statistics
import sys
import tempfile
import time
from collections import Counter
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import AsyncIterator

import asyncpg
import httpx
import redis.asyncio as redis

ROOT = Path(__file__).resolve().parent.parent
TSUNAGU = Path(sys.executable).parent / "tsunagu"
TAKAISHI = "272256"
INTERNALS = ("Error 111", "Connection refused", "Traceback", "redis", "Redis", "Timeout reading")
READS = [
    '{ themes { number title } }',
    '{ alliance(slug: "expo2025") { shortName statistics { memberCount } } }',
    '{ alliance(slug: "expo2025") { members(first: 20) { nodes { municipality { name } } } } }',
]
PRIVATE_READ = "query ($code: String!) { municipality(code: $code) { contacts { name } } }"
ADD = """mutation ($input: AddContactInput!) {
  addContact(input: $input) { userErrors { code } contact { id name } } }"""
BREAKER_OPEN = re.compile(r"^tsunagu_redis_breaker_open (\S+)$", re.MULTILINE)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Tally:
    outcomes: Counter[str] = field(default_factory=Counter)
    latencies: list[tuple[float, float]] = field(default_factory=list)
    """(when the request started, seconds it took), seconds since the load began."""
    writes_answered: set[str] = field(default_factory=set)
    writes_failed: set[str] = field(default_factory=set)
    leaks: list[str] = field(default_factory=list)


def kind_of(response: httpx.Response) -> str:
    """What the caller got, as one word: ok, a GraphQL error code, or an HTTP status and body type."""
    json_body = response.headers.get("content-type", "").startswith("application/json")
    if not json_body:
        return f"http-{response.status_code}-plain-text"
    body = response.json()
    if body.get("errors"):
        codes = {e.get("extensions", {}).get("code", "NO_CODE") for e in body["errors"]}
        return f"http-{response.status_code}-" + ",".join(sorted(codes))
    return "ok" if response.status_code == 200 else f"http-{response.status_code}"


@asynccontextmanager
async def process(*command: str, env: dict[str, str], log: Path | None) -> AsyncIterator[asyncio.subprocess.Process]:
    with open(log or os.devnull, "wb") as stderr:
        started = await asyncio.create_subprocess_exec(
            *command, cwd=ROOT, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=stderr, start_new_session=True
        )
    try:
        yield started
    finally:
        if started.returncode is None:
            os.killpg(started.pid, signal.SIGTERM)
            try:
                await asyncio.wait_for(started.wait(), 15)
            except TimeoutError:
                os.killpg(started.pid, signal.SIGKILL)
                await started.wait()


class OwnRedis:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            "redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        try:
            for _ in range(100):
                try:
                    await client.ping()
                    return
                except (OSError, redis.RedisError):
                    await asyncio.sleep(0.05)
        finally:
            await client.aclose()
        raise RuntimeError("redis-server did not start")

    async def kill(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await asyncio.wait_for(self.process.wait(), 10)
        self.process = None


async def fresh_database(url: str | None, workdir: Path) -> str:
    if url is None:
        return f"sqlite://{workdir / 'fault.sqlite3'}"
    name = url.rsplit("/", 1)[1]
    admin = await asyncpg.connect(url.rsplit("/", 1)[0].replace("postgres://", "postgresql://", 1) + "/postgres")
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return url


async def run_command(*args: str, env: dict[str, str]) -> str:
    done = await asyncio.create_subprocess_exec(
        str(TSUNAGU), *args, cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL
    )
    out, _ = await asyncio.wait_for(done.communicate(), 120)
    if done.returncode != 0:
        raise RuntimeError(f"tsunagu {' '.join(args)} failed")
    return out.decode().strip()


async def wait_ready(base: str) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=2) as http:
        for _ in range(600):
            try:
                if (await http.get("/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the service did not become ready")


async def breaker_open(http: httpx.AsyncClient) -> float | None:
    match = BREAKER_OPEN.search((await http.get("/metrics")).text)
    return float(match.group(1)) if match else None


async def load(base: str, token: str, clients: int, duration: float, tally: Tally, began: float) -> None:
    names = iter(range(10**9))

    async def client() -> None:
        auth = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(base_url=base, timeout=10) as http:
            while (now := time.monotonic()) - began < duration:
                roll = random.random()
                name = None
                if roll < 0.7:
                    request = http.post("/graphql", json={"query": random.choice(READS)})
                elif roll < 0.9:
                    request = http.post("/graphql", json={"query": PRIVATE_READ, "variables": {"code": TAKAISHI}}, headers=auth)
                else:
                    name = f"fault-run {next(names)}"
                    variables = {"input": {"role": "DEPUTY", "name": name}}
                    request = http.post("/graphql", json={"query": ADD, "variables": variables}, headers=auth)
                try:
                    response = await request
                except httpx.TransportError as error:
                    tally.outcomes[f"transport-{type(error).__name__}"] += 1
                    if name:
                        tally.writes_failed.add(name)
                    continue
                tally.latencies.append((now - began, time.monotonic() - now))
                kind = kind_of(response)
                tally.outcomes[kind] += 1
                if any(internal in response.text for internal in INTERNALS):
                    tally.leaks.append(response.text[:200])
                if name:
                    contact = response.json().get("data", {}) if kind == "ok" else None
                    if contact and contact["addContact"]["contact"]:
                        tally.writes_answered.add(name)
                    else:
                        tally.writes_failed.add(name)

    await asyncio.gather(*(client() for _ in range(clients)))


async def committed_names(base: str, token: str) -> set[str]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        response = await http.post(
            "/graphql", json={"query": PRIVATE_READ, "variables": {"code": TAKAISHI}},
            headers={"Authorization": f"Bearer {token}"},
        )
    contacts = response.json()["data"]["municipality"]["contacts"]
    return {c["name"] for c in contacts if c["name"].startswith("fault-run ")}


async def main(args: argparse.Namespace) -> dict[str, object]:
    async with AsyncExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        metrics_dir = workdir / "metrics"
        metrics_dir.mkdir()
        own_redis = OwnRedis()
        await own_redis.start()
        stack.push_async_callback(own_redis.kill)
        database_url = await fresh_database(args.database_url, workdir)
        port = free_port()
        env = os.environ | {
            "DATABASE_URL": database_url, "REDIS_URL": own_redis.url, "TSUNAGU_LOG_LEVEL": "warning",
            "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
            "TSUNAGU_ANONYMOUS_POINTS_PER_MINUTE": str(10**9),  # one address sends it all: lift its budget
        }
        await run_command("seed", env=env)
        token = await run_command("token", "--role", "MUNICIPALITY", "--municipality", TAKAISHI, env=env)
        base = f"http://127.0.0.1:{port}"
        await stack.enter_async_context(
            process(
                str(TSUNAGU), "serve", "--workers", "2", "--port", str(port), "--log-level", "warning",
                env=env, log=args.log,
            )
        )
        await wait_ready(base)

        tally = Tally()
        began = time.monotonic()
        loading = asyncio.create_task(load(base, token, args.clients, args.duration, tally, began))
        await asyncio.sleep(args.kill_at)
        await own_redis.kill()
        killed_at = time.monotonic() - began
        await asyncio.sleep(args.restart_at - args.kill_at)
        await own_redis.start()
        back_at = time.monotonic() - began
        recovered_after = None
        async with httpx.AsyncClient(base_url=base, timeout=5) as http:
            while time.monotonic() - began < args.duration + 30:
                if await breaker_open(http) == 0:
                    recovered_after = time.monotonic() - began - back_at
                    break
                await asyncio.sleep(0.05)
        await loading
        committed = await committed_names(base, token)

    outage = [seconds for start, seconds in tally.latencies if killed_at <= start < back_at]
    return {
        "database": "postgresql" if args.database_url else "sqlite",
        "duration_s": args.duration,
        "clients": args.clients,
        "redis_killed_at_s": round(killed_at, 2),
        "redis_back_at_s": round(back_at, 2),
        "requests_answered": sum(n for kind, n in tally.outcomes.items() if not kind.startswith("transport-")),
        "outcomes": dict(tally.outcomes),
        "answers_naming_internals": len(tally.leaks),
        "writes_answered_ok": len(tally.writes_answered),
        "writes_answered_as_failures": len(tally.writes_failed),
        "writes_committed": len(committed),
        "committed_but_answered_as_failures": len(committed & tally.writes_failed),
        "answered_ok_but_not_committed": len(tally.writes_answered - committed),
        "latency_during_outage_ms": {
            "p50": round(statistics.median(outage) * 1000, 1) if outage else None,
            "p99": round(sorted(outage)[int(len(outage) * 0.99)] * 1000, 1) if outage else None,
            "max": round(max(outage) * 1000, 1) if outage else None,
        },
        "recovery_after_redis_back_s": round(recovered_after, 2) if recovered_after is not None else None,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="a PostgreSQL database to drop and recreate (default: temporary SQLite)")
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--kill-at", type=float, default=5.0)
    parser.add_argument("--restart-at", type=float, default=12.0)
    parser.add_argument("--log", type=Path, help="keep the service's JSON log (stderr) in this file")
    print(json.dumps(asyncio.run(main(parser.parse_args())), indent=2, ensure_ascii=False))
