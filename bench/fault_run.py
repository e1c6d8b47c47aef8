"""Redis killed (and, with `--postgres-outage`, PostgreSQL stopped) under mixed load: what callers
get, whether any write is lost or doubled, and how long the service takes to recover.

Starts a redis-server of its own (a free port; the machine's shared Redis is never touched) and
`tsunagu serve --workers 2` on 127.0.0.1 against it, then sends a mixed load for `--duration`
seconds (anonymous reads, a municipality's private reads, `addContact` writes with unique names,
each with an `Idempotency-Key` of its own) from `--clients` concurrent connections. Redis is killed
at `--kill-at` seconds and started again at `--restart-at`.

With `--postgres-outage` the database is a PostgreSQL cluster of the run's own
(`tests/private_postgres.py`: initdb on a free port, seeded), stopped at once at `--pg-stop-at`
(`pg_ctl stop -m immediate`, as a crash would) and started again at `--pg-start-at`; the defaults
then become Redis killed at 5 s, PostgreSQL down from 8 s to 12 s, Redis back at 14 s, 22 s in all.

Once the load has ended, every write not answered with its contact (a 503, another error, a
transport error) is sent again with the same key, at most `RETRY_ATTEMPTS` times. Then it counts,
by kind, what every request got, checks that every answer other than a 200 is JSON and that no
answer names an internal (a driver, a traceback, an errno, SQL, a host and port), and compares the
writes with the rows the database holds: a write finally answered with its contact must be there
once, a write never answered so must be absent. It reports how long after PostgreSQL came back a
write was first answered with its contact, and how long after Redis came back every worker was
using it again (`tsunagu_redis_breaker_open` 0 in /metrics).

    .venv/bin/python bench/fault_run.py                       # a temporary SQLite database
    .venv/bin/python bench/fault_run.py --database-url postgres://postgres@127.0.0.1:5432/tsunagu_fault
    .venv/bin/python bench/fault_run.py --postgres-outage     # a private cluster, stopped too

A PostgreSQL database given with `--database-url` is dropped and created again. Every process and
cluster it starts is ended when it ends, whatever happens.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.private_postgres import PrivateCluster, missing_reason, private_cluster  # noqa: E402
from tests.redis_server import RedisServer  # noqa: E402
from tests.test_scale_out import free_port  # noqa: E402

TSUNAGU = Path(sys.executable).parent / "tsunagu"
TAKAISHI = "272256"
NAME_PREFIX = "fault-run "
RETRY_ATTEMPTS = 3
RETRY_PAUSE_SECONDS = 1.0
RUN_BOUND_SECONDS = 300.0
"""How long a run may take beyond `--duration` (seeding, starting, retries, counting)."""
# What a caller must never read: drivers, tracebacks, errno text, SQL, hosts and ports.
INTERNALS = re.compile(
    r"(?i:asyncpg|tortoise|traceback|errno|error 111|connection refused|timeout reading|redis"
    r"|transaction\.|underlying connection|connection is closed)"
    r"|\b(?:SELECT|INSERT|UPDATE|DELETE)\b|\b(?:\d{1,3}\.){3}\d{1,3}:\d+|localhost:\d+"
)
READS = [
    '{ themes { number title } }',
    '{ alliance(slug: "expo2025") { shortName statistics { memberCount } } }',
    '{ alliance(slug: "expo2025") { members(first: 20) { nodes { municipality { name } } } } }',
]
PRIVATE_READ = "query ($code: String!) { municipality(code: $code) { contacts { name } } }"
ADD = """mutation ($input: AddContactInput!) {
  addContact(input: $input) { userErrors { code } contact { id name } } }"""
UNAVAILABLE = "http-503-SERVICE_UNAVAILABLE"
BREAKER_OPEN = re.compile(r"^tsunagu_redis_breaker_open (\S+)$", re.MULTILINE)


@dataclass
class Write:
    """One `addContact`, its key, and what became of it."""

    name: str
    key: str = field(default_factory=lambda: str(uuid.uuid4()))
    first_answer: str = ""
    answered_ok_at: float | None = None
    """Seconds since the load began when it was answered with its contact (first time or retry)."""
    retried: bool = False
    replayed: bool = False
    """A retry was answered `Idempotent-Replayed: true`: the first attempt had been committed."""

    @property
    def ok(self) -> bool:
        return self.answered_ok_at is not None


@dataclass
class Tally:
    outcomes: Counter[str] = field(default_factory=Counter)
    retry_outcomes: Counter[str] = field(default_factory=Counter)
    latencies: list[tuple[float, float]] = field(default_factory=list)
    """(when the request started, seconds it took), seconds since the load began."""
    writes: list[Write] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    not_json: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)
    """Answers neither ok nor a 503 with `Retry-After`."""

    def record(self, response: httpx.Response, outcomes: Counter[str]) -> str:
        """Count what the caller got; keep any answer that is not JSON or names an internal."""
        kind = kind_of(response)
        outcomes[kind] += 1
        if kind not in ("ok", UNAVAILABLE):
            self.others.append(f"{response.status_code} {response.text[:300]}")
        if response.status_code != 200 and not is_json(response):
            self.not_json.append(f"{response.status_code} {response.text[:200]}")
        if INTERNALS.search(response.text):
            self.leaks.append(f"{response.status_code} {response.text[:200]}")
        return kind


def is_json(response: httpx.Response) -> bool:
    return response.headers.get("content-type", "").startswith("application/json")


def kind_of(response: httpx.Response) -> str:
    """What the caller got, as one word: ok, or the HTTP status with the GraphQL error codes or
    the body's type; a 503 without a `Retry-After` says so."""
    if not is_json(response):
        return f"http-{response.status_code}-plain-text"
    body = response.json()
    kind = "ok" if response.status_code == 200 else f"http-{response.status_code}"
    if body.get("errors"):
        codes = {e.get("extensions", {}).get("code", "NO_CODE") for e in body["errors"]}
        kind = f"http-{response.status_code}-" + ",".join(sorted(codes))
    if response.status_code == 503 and not response.headers.get("retry-after", "").isdigit():
        kind += "-no-retry-after"
    return kind


def by_kind(outcomes: Counter[str]) -> dict[str, int]:
    """The outcomes in the four kinds the issue names."""
    grouped: Counter[str] = Counter()
    for kind, count in outcomes.items():
        if kind == "ok":
            grouped["ok"] += count
        elif kind == UNAVAILABLE:
            grouped["503_service_unavailable_with_retry_after"] += count
        elif kind.startswith("transport-"):
            grouped["transport_errors"] += count
        else:
            grouped["other"] += count
    kinds = ("ok", "503_service_unavailable_with_retry_after", "transport_errors", "other")
    return {kind: grouped[kind] for kind in kinds}


def added_contact(response: httpx.Response) -> bool:
    if kind_of(response) != "ok":
        return False
    return bool((response.json().get("data") or {}).get("addContact", {}).get("contact"))


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


async def breaker_closed_after(base: str, began: float, bound: float) -> float | None:
    """Seconds from now until /metrics shows every worker's breaker closed (None past `bound`)."""
    start = time.monotonic()
    async with httpx.AsyncClient(base_url=base, timeout=5) as http:
        while time.monotonic() - began < bound:
            try:
                if await breaker_open(http) == 0:
                    return time.monotonic() - start
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.05)
    return None


def send_write(http: httpx.AsyncClient, token: str, write: Write) -> Awaitable[httpx.Response]:
    variables = {"input": {"role": "DEPUTY", "name": write.name}}
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": write.key}
    return http.post("/graphql", json={"query": ADD, "variables": variables}, headers=headers)


async def load(base: str, token: str, clients: int, duration: float, tally: Tally, began: float) -> None:
    names = iter(range(10**9))

    async def client() -> None:
        auth = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(base_url=base, timeout=10) as http:
            while (now := time.monotonic()) - began < duration:
                roll = random.random()
                write = None
                if roll < 0.7:
                    request = http.post("/graphql", json={"query": random.choice(READS)})
                elif roll < 0.9:
                    request = http.post("/graphql", json={"query": PRIVATE_READ, "variables": {"code": TAKAISHI}}, headers=auth)
                else:
                    write = Write(f"{NAME_PREFIX}{next(names)}")
                    tally.writes.append(write)
                    request = send_write(http, token, write)
                try:
                    response = await request
                except httpx.TransportError as error:
                    tally.outcomes[f"transport-{type(error).__name__}"] += 1
                    if write:
                        write.first_answer = f"transport-{type(error).__name__}"
                    continue
                tally.latencies.append((now - began, time.monotonic() - now))
                kind = tally.record(response, tally.outcomes)
                if write:
                    write.first_answer = kind
                    if added_contact(response):
                        write.answered_ok_at = time.monotonic() - began

    await asyncio.gather(*(client() for _ in range(clients)))


async def retry_failed_writes(base: str, token: str, tally: Tally, began: float) -> None:
    """Send each write not answered with its contact again, with its key, a few times at most."""
    deadline = time.monotonic() + RUN_BOUND_SECONDS / 2
    async with httpx.AsyncClient(base_url=base, timeout=10) as http:
        for write in (w for w in tally.writes if not w.ok):
            write.retried = True
            for _ in range(RETRY_ATTEMPTS):
                if time.monotonic() > deadline:
                    return
                try:
                    response = await send_write(http, token, write)
                except httpx.TransportError as error:
                    tally.retry_outcomes[f"transport-{type(error).__name__}"] += 1
                else:
                    tally.record(response, tally.retry_outcomes)
                    if added_contact(response):
                        write.answered_ok_at = time.monotonic() - began
                        write.replayed = response.headers.get("idempotent-replayed") == "true"
                        break
                await asyncio.sleep(RETRY_PAUSE_SECONDS)


async def committed_names(base: str, token: str) -> Counter[str]:
    """How many rows the database holds for each name the run wrote."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        response = await http.post(
            "/graphql", json={"query": PRIVATE_READ, "variables": {"code": TAKAISHI}},
            headers={"Authorization": f"Bearer {token}"},
        )
    contacts = response.json()["data"]["municipality"]["contacts"]
    return Counter(c["name"] for c in contacts if c["name"].startswith(NAME_PREFIX))


@dataclass
class Fault:
    """Something done to a dependency `at` seconds into the load."""

    at: float
    label: str
    action: Callable[[], Awaitable[None]]


async def run_faults(faults: list[Fault], began: float) -> dict[str, float]:
    """Do each fault at its time, in order; returns when each was done (seconds into the load)."""
    done: dict[str, float] = {}
    for fault in sorted(faults, key=lambda f: f.at):
        await asyncio.sleep(max(0.0, began + fault.at - time.monotonic()))
        await fault.action()
        done[fault.label] = round(time.monotonic() - began, 2)
    return done


async def database_for(
    args: argparse.Namespace, stack: AsyncExitStack, workdir: Path
) -> tuple[str, PrivateCluster | None]:
    """The database the service uses, and the private cluster that holds it when there is one."""
    if not args.postgres_outage:
        return await fresh_database(args.database_url, workdir), None
    cluster = await stack.enter_async_context(private_cluster())
    return await fresh_database(cluster.url.rsplit("/", 1)[0] + "/tsunagu_fault", workdir), cluster


def seconds(value: float | None) -> float | None:
    return round(value, 2) if value is not None else None


def latency_ms(latencies: list[float]) -> dict[str, float | None]:
    if not latencies:
        return {"p50": None, "p99": None, "max": None}
    ordered = sorted(latencies)
    return {
        "p50": round(statistics.median(ordered) * 1000, 1),
        "p99": round(ordered[int(len(ordered) * 0.99)] * 1000, 1),
        "max": round(ordered[-1] * 1000, 1),
    }


def answers_report(tally: Tally) -> dict[str, object]:
    """What callers got, and whether any answer was plain text or named an internal."""
    answered = sum(n for kind, n in tally.outcomes.items() if not kind.startswith("transport-"))
    return {
        "requests_answered": answered,
        "answers_by_kind": by_kind(tally.outcomes),
        "outcomes": dict(tally.outcomes),
        "non_200_answers_not_json": len(tally.not_json),
        "answers_naming_internals": len(tally.leaks),
        "samples_of_bad_answers": (tally.not_json + tally.leaks)[:3],
        "samples_of_other_answers": tally.others[:3],
    }


def writes_report(tally: Tally, committed: Counter[str]) -> dict[str, object]:
    """What the writes were answered, and what the database holds of them."""
    writes = tally.writes
    retried = [w for w in writes if w.retried]
    never_ok = [w for w in writes if not w.ok]
    return {
        "writes_sent": len(writes),
        "writes_answered_ok_first_time": len(writes) - len(retried),
        "writes_first_answered_as_failures": dict(Counter(w.first_answer for w in retried)),
        "retry_outcomes": dict(tally.retry_outcomes),
        "retries_answered_ok": sum(1 for w in retried if w.ok),
        "retries_replayed_first_attempt_committed": dict(Counter(w.first_answer for w in writes if w.replayed)),
        "writes_never_answered_ok": len(never_ok),
        "rows_written": sum(committed.values()),
        "committed_but_answered_as_failures": sum(1 for w in never_ok if committed[w.name]),
        "answered_ok_but_not_committed": sum(1 for w in writes if w.ok and not committed[w.name]),
        "duplicates": sum(count - 1 for count in committed.values() if count > 1),
    }


def recovery_report(tally: Tally, done: dict[str, float], breaker_recovery: float | None) -> dict[str, object]:
    """Latency while anything was down, and how soon each dependency was used again."""
    first_fault, last_fault = min(done.values()), max(done.values())
    pg_back = done.get("postgres back")
    first_ok_write = None
    if pg_back is not None:
        first_ok_write = min((w.answered_ok_at for w in tally.writes if w.ok and w.answered_ok_at >= pg_back),
                             default=None)
    return {
        "latency_from_first_to_last_fault_ms": latency_ms(
            [took for start, took in tally.latencies if first_fault <= start < last_fault]
        ),
        "postgres_back_to_first_ok_write_s": seconds(first_ok_write - pg_back if first_ok_write else None),
        "redis_back_to_breaker_closed_s": seconds(breaker_recovery),
    }


def report(args: argparse.Namespace, tally: Tally, done: dict[str, float], committed: Counter[str],
           breaker_recovery: float | None) -> dict[str, object]:
    if args.postgres_outage:
        database = "private postgresql, stopped"
    else:
        database = "postgresql" if args.database_url else "sqlite"
    return {
        "database": database,
        "duration_s": args.duration,
        "clients": args.clients,
        "faults_done_at_s": done,
        **answers_report(tally),
        **writes_report(tally, committed),
        **recovery_report(tally, done, breaker_recovery),
    }


async def main(args: argparse.Namespace) -> dict[str, object]:
    async with asyncio.timeout(args.duration + RUN_BOUND_SECONDS), AsyncExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        metrics_dir = workdir / "metrics"
        metrics_dir.mkdir()
        own_redis = RedisServer()
        await own_redis.start()
        stack.push_async_callback(own_redis.kill)
        database_url, cluster = await database_for(args, stack, workdir)
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
        watching: list[asyncio.Task[float | None]] = []

        async def restart_redis() -> None:
            await own_redis.start()
            closing = breaker_closed_after(base, began, args.duration + 30)
            watching.append(asyncio.create_task(closing))

        faults = [Fault(args.kill_at, "redis killed", own_redis.kill),
                  Fault(args.restart_at, "redis back", restart_redis)]
        if cluster is not None:
            faults += [Fault(args.pg_stop_at, "postgres stopped", cluster.stop),
                       Fault(args.pg_start_at, "postgres back", cluster.start)]
        loading = asyncio.create_task(load(base, token, args.clients, args.duration, tally, began))
        done = await run_faults(faults, began)
        await loading
        breaker_recovery = await watching[0]
        await retry_failed_writes(base, token, tally, began)
        committed = await committed_names(base, token)
    return report(args, tally, done, committed, breaker_recovery)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--database-url",
                        help="a PostgreSQL database to drop and recreate (default: temporary SQLite)")
    source.add_argument("--postgres-outage", action="store_true",
                        help="a private PostgreSQL cluster, stopped from --pg-stop-at to --pg-start-at")
    parser.add_argument("--duration", type=float,
                        help="seconds of load (default 20, or 22 with --postgres-outage)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--kill-at", type=float, default=5.0)
    parser.add_argument("--restart-at", type=float, help="default 12, or 14 with --postgres-outage")
    parser.add_argument("--pg-stop-at", type=float, default=8.0)
    parser.add_argument("--pg-start-at", type=float, default=12.0)
    parser.add_argument("--log", type=Path, help="keep the service's JSON log (stderr) in this file")
    args = parser.parse_args()
    if args.postgres_outage and missing_reason():
        parser.error(f"--postgres-outage: {missing_reason()}")
    args.duration = args.duration or (22.0 if args.postgres_outage else 20.0)
    args.restart_at = args.restart_at or (14.0 if args.postgres_outage else 12.0)
    return args


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(arguments())), indent=2, ensure_ascii=False))
