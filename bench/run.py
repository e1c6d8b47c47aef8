"""Load benchmark of the Tsunagu GraphQL service: three read queries, over HTTP, on one server.

What it does
    1. Prepares a database: a fresh temporary SQLite file by default, or the PostgreSQL
       database named by `--database-url` (created if missing), seeded with `tsunagu seed`.
    2. Adds working-group participation for the EXPO alliance (`expo2025`), which the seed
       lacks: every FULL member joins 2 or 3 of the 10 working groups, chosen from its
       municipality code, so the result is the same on every run and every database.
    3. Starts `tsunagu serve` on 127.0.0.1 (a free port, TSUNAGU_ENV=production, one
       uvicorn worker, access log off) and waits for GET /healthz.
    4. Checks each query once (no `errors`, expected sizes) and prints its response size.
    5. Per query: a warm-up, then a closed-loop run of `--concurrency` workers for
       `--duration` seconds (and at most `--max-requests` HTTP requests), each worker
       sending its next request as soon as the previous one has answered.
    6. Stops the server by its PID (SIGTERM, SIGKILL after 10 s), also on error or Ctrl-C.

The queries
    Q1  member directory page: the first 50 members of expo2025 with municipality,
        prefecture and the working groups (theme number and title) each takes part in.
    Q2  theme overview: the 10 themes with pillar, working groups (alliance slug and
        participant count) and partner offerings.
    Q3  full roster export: all 581 members of expo2025, walked 100 at a time (6 HTTP
        requests, one after the other). One operation is the whole walk.

How to read the table
    ops/s     completed operations per second (for Q3: whole walks per second).
    req/s     HTTP requests per second (= ops/s, or 6 x ops/s for Q3).
    p50/p99   latency of one operation in milliseconds, measured in the client. The load is
              closed-loop at a fixed concurrency, so p99 includes queueing behind the other
              in-flight requests; it is not latency at a fixed arrival rate.
    errors    operations with a non-200 answer, an `errors` key, or a transport failure.
    bytes     response bytes of one operation (for Q3: the sum over the 6 pages).
    srv/cli   CPU used by the server process and by this client, in % of one core; `host`
              is the whole machine's busy CPU in % of all cores (PostgreSQL included).

The client is httpx in this same Python process. On a small machine it competes with the
server (and with PostgreSQL) for CPU, so the figures are a lower bound of what the server
alone could do; the `cli` column says how much CPU the client took. `--pin` puts the server
on CPU 1 and the client on CPU 0, like the anchor benchmark's `taskset` runs.

Run:  .venv/bin/python bench/run.py [--database-url URL] [--duration S] [--concurrency N]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BIN = Path(sys.executable).parent
TSUNAGU = BIN / "tsunagu"
HOST = "127.0.0.1"
ALLIANCE_SLUG = "expo2025"
EXPECTED_MEMBERS = 581
ROSTER_PAGE = 100
FALLBACK_JOINED_ON = date(2024, 4, 1)
STOP_GRACE_S = 10.0
HEALTH_TIMEOUT_S = 90.0

Q1 = """query MemberDirectory {
  alliance(slug: "expo2025") {
    members(first: 50) {
      totalCount
      edges {
        cursor
        node {
          tier
          joinedOn
          municipality { code name prefecture { name } }
          workingGroups { theme { number title } }
        }
      }
    }
  }
}"""

Q2 = """query ThemeOverview {
  themes {
    number
    title
    pillar { key name }
    workingGroups { alliance { slug } participants(first: 1) { totalCount } }
    offerings { title partner { name } }
  }
}"""

Q3 = """query RosterExport($cursor: String) {
  alliance(slug: "expo2025") {
    members(first: %d, after: $cursor) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        tier
        joinedOn
        municipality { code name nameKana kind prefecture { name } }
      }
    }
  }
}""" % ROSTER_PAGE


# --------------------------------------------------------------------------- database


def sqlite_url(directory: Path) -> str:
    return f"sqlite://{directory / 'bench.sqlite3'}"


def without_query(url: str) -> str:
    """asyncpg takes unknown query parameters (e.g. Tortoise's `maxsize`) as server settings."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


async def ensure_postgres_database(url: str) -> bool:
    """Create the URL's database if it is missing, from the `postgres` (or `test`) database."""
    parts = urlsplit(without_query(url))
    name = parts.path.lstrip("/")
    last_error: Exception | None = None
    for admin_db in ("postgres", "test"):
        admin_url = urlunsplit((parts.scheme, parts.netloc, f"/{admin_db}", "", ""))
        try:
            connection = await asyncpg.connect(admin_url)
        except (OSError, asyncpg.PostgresError) as error:
            last_error = error
            continue
        try:
            if await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
                return False
            quoted = '"' + name.replace('"', '""') + '"'
            await connection.execute(f"CREATE DATABASE {quoted}")
            return True
        finally:
            await connection.close()
    raise RuntimeError(f"cannot reach PostgreSQL at {parts.netloc}: {last_error}")


def seed(database_url: str) -> str:
    """Run `tsunagu seed`; return its last line of output."""
    env = {**os.environ, "DATABASE_URL": database_url}
    done = subprocess.run(
        [str(TSUNAGU), "seed"], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"tsunagu seed failed ({done.returncode}):\n{done.stderr}{done.stdout}")
    lines = done.stdout.strip().splitlines()
    return lines[-1] if lines else ""


def theme_numbers(code: str) -> list[int]:
    """2 or 3 distinct theme numbers (1-10) derived from a municipality code."""
    value = int(code[:5])  # the sixth digit is a check digit
    count = 2 + (value // 10) % 2
    return [(value + 3 * k) % 10 + 1 for k in range(count)]


async def add_participation(database_url: str) -> int:
    """Replace expo2025's working-group participants: each FULL member joins 2-3 groups."""
    from tortoise import Tortoise
    from tortoise.transactions import in_transaction

    from models import Alliance, Membership, MembershipTier, WorkingGroup, WorkingGroupParticipant
    from models.database import open_database

    await open_database(database_url)
    try:
        alliance = await Alliance.get(slug=ALLIANCE_SLUG)
        groups = await WorkingGroup.filter(alliance=alliance).select_related("theme")
        by_number = {group.theme.number: group for group in groups}
        members = await Membership.filter(
            alliance=alliance, tier=MembershipTier.FULL
        ).select_related("municipality")
        seats = [
            WorkingGroupParticipant(
                working_group_id=by_number[number].id,
                membership_id=member.id,
                joined_on=member.joined_on or FALLBACK_JOINED_ON,
                left_on=None,
            )
            for member in members
            for number in theme_numbers(member.municipality.code)
        ]
        async with in_transaction():
            group_ids = [group.id for group in groups]
            await WorkingGroupParticipant.filter(working_group_id__in=group_ids).delete()
            await WorkingGroupParticipant.bulk_create(seats)
        return len(seats)
    finally:
        await Tortoise.close_connections()


# --------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def log_tail(path: Path, lines: int = 30) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return ""


def wait_healthy(process: subprocess.Popen[bytes], base_url: str, log_path: Path) -> None:
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log_tail(log_path)}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base_url}/healthz", timeout=2.0).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"server not healthy after {HEALTH_TIMEOUT_S:.0f} s:\n{log_tail(log_path)}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server by its PID; SIGKILL it if it has not exited after the grace period."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_GRACE_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def running_server(
    database_url: str, port: int, log_path: Path
) -> Iterator[subprocess.Popen[bytes]]:
    # The benchmark is one anonymous caller asking thousands of times a minute: lift its budget.
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TSUNAGU_ENV": "production",
        "TSUNAGU_ANONYMOUS_POINTS_PER_MINUTE": str(10**12),
    }
    command = [str(TSUNAGU), "serve", "--host", HOST, "--port", str(port), "--log-level", "warning"]
    with log_path.open("wb") as log:
        # A session of its own: Ctrl-C reaches only this script, which then stops the server.
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_healthy(process, f"http://{HOST}:{port}", log_path)
        yield process
    finally:
        stop(process)


# --------------------------------------------------------------------------- CPU accounting


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process, from /proc (0 where /proc is missing)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def host_cpu() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except OSError:
        return 0.0, 0.0
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return float(sum(values) - idle), float(sum(values))


@dataclass
class CpuSnapshot:
    wall: float
    server: float
    client: float
    host_busy: float
    host_total: float

    @classmethod
    def take(cls, server_pid: int) -> CpuSnapshot:
        busy, total = host_cpu()
        times = os.times()
        client = times.user + times.system
        return cls(time.perf_counter(), process_cpu_s(server_pid), client, busy, total)

    def usage_since(self, start: CpuSnapshot) -> dict[str, float]:
        wall = max(self.wall - start.wall, 1e-9)
        host_total = max(self.host_total - start.host_total, 1e-9)
        return {
            "server_cpu_pct": round(100 * (self.server - start.server) / wall, 1),
            "client_cpu_pct": round(100 * (self.client - start.client) / wall, 1),
            "host_cpu_pct": round(100 * (self.host_busy - start.host_busy) / host_total, 1),
        }


# --------------------------------------------------------------------------- queries


def body(query: str, variables: dict[str, Any] | None = None) -> bytes:
    document: dict[str, Any] = {"query": query}
    if variables:
        document["variables"] = variables
    return json.dumps(document).encode()


HEADERS = {"content-type": "application/json", "accept": "application/json"}


async def post(client: httpx.AsyncClient, payload: bytes) -> dict[str, Any]:
    response = await client.post("/graphql", content=payload, headers=HEADERS)
    document = response.json()
    if response.status_code != 200 or document.get("errors"):
        errors = json.dumps(document.get("errors"), ensure_ascii=False)
        raise RuntimeError(f"HTTP {response.status_code}: {errors}")
    document["_bytes"] = len(response.content)
    return document


@dataclass
class Check:
    name: str
    bytes: int
    requests: int
    summary: str


async def check_q1(client: httpx.AsyncClient) -> Check:
    document = await post(client, body(Q1))
    members = document["data"]["alliance"]["members"]
    edges = members["edges"]
    if len(edges) != 50 or members["totalCount"] != EXPECTED_MEMBERS:
        raise RuntimeError(f"Q1: {len(edges)} edges, totalCount {members['totalCount']}")
    in_groups = sum(1 for edge in edges if edge["node"]["workingGroups"])
    seats = sum(len(edge["node"]["workingGroups"]) for edge in edges)
    summary = f"50 edges, {in_groups} in working groups ({seats} seats)"
    return Check("Q1", document["_bytes"], 1, summary)


async def check_q2(client: httpx.AsyncClient) -> Check:
    document = await post(client, body(Q2))
    themes = document["data"]["themes"]
    if len(themes) != 10:
        raise RuntimeError(f"Q2: {len(themes)} themes")
    seats = sum(
        group["participants"]["totalCount"] for theme in themes for group in theme["workingGroups"]
    )
    offerings = sum(len(theme["offerings"]) for theme in themes)
    summary = f"10 themes, {seats} participants, {offerings} offerings"
    return Check("Q2", document["_bytes"], 1, summary)


async def walk_roster(client: httpx.AsyncClient) -> tuple[list[str | None], int, int]:
    """Walk the roster once, checking every page; return the `after` cursors, members, bytes."""
    cursors: list[str | None] = [None]
    count = size = 0
    while True:
        document = await post(client, body(Q3, {"cursor": cursors[-1]}))
        members = document["data"]["alliance"]["members"]
        count += len(members["nodes"])
        size += document["_bytes"]
        if not members["pageInfo"]["hasNextPage"]:
            return cursors, count, size
        cursors.append(members["pageInfo"]["endCursor"])


async def check_q3(client: httpx.AsyncClient) -> tuple[Check, list[str | None]]:
    cursors, count, size = await walk_roster(client)
    if count != EXPECTED_MEMBERS:
        raise RuntimeError(f"Q3: walked {count} members")
    return Check("Q3", size, len(cursors), f"{count} members in {len(cursors)} pages"), cursors


# --------------------------------------------------------------------------- load


@dataclass
class Outcome:
    """What one operation did: HTTP requests sent, bytes received, the first error if any."""

    requests: int
    size: int
    error: str | None = None


Operation = Callable[[httpx.AsyncClient], Awaitable[Outcome]]


async def send(client: httpx.AsyncClient, payload: bytes) -> Outcome:
    """One request, checked without parsing the body (the `errors` key or the status)."""
    try:
        response = await client.post("/graphql", content=payload, headers=HEADERS)
    except httpx.HTTPError as error:
        return Outcome(1, 0, f"{type(error).__name__}: {error}")
    content = response.content
    if response.status_code != 200 or b'"errors":' in content:
        return Outcome(1, len(content), f"HTTP {response.status_code}: {content[:500]!r}")
    return Outcome(1, len(content))


def single(payload: bytes) -> Operation:
    async def operation(client: httpx.AsyncClient) -> Outcome:
        return await send(client, payload)

    return operation


def walk(cursors: list[str | None]) -> Operation:
    """The Q3 walk; cursors are offsets, so the ones seen in the check are valid every time."""
    payloads = [body(Q3, {"cursor": cursor}) for cursor in cursors]

    async def operation(client: httpx.AsyncClient) -> Outcome:
        total = Outcome(0, 0)
        for payload in payloads:
            page = await send(client, payload)
            total.requests += page.requests
            total.size += page.size
            if page.error:
                total.error = page.error
                break
        return total

    return operation


@dataclass
class Tally:
    operations: int = 0
    requests: int = 0
    errors: int = 0
    first_error: str | None = None
    latencies: list[float] = field(default_factory=list)


async def load(
    client: httpx.AsyncClient,
    operation: Operation,
    *,
    duration: float,
    concurrency: int,
    max_requests: int,
    requests_per_op: int,
) -> tuple[Tally, float]:
    """Closed-loop load until the deadline or the request cap; return the tally and elapsed s."""
    tally = Tally()
    reserved = 0
    start = time.perf_counter()
    deadline = start + duration

    async def worker() -> None:
        nonlocal reserved
        while time.perf_counter() < deadline and reserved + requests_per_op <= max_requests:
            reserved += requests_per_op
            began = time.perf_counter()
            outcome = await operation(client)
            tally.latencies.append(time.perf_counter() - began)
            tally.operations += 1
            tally.requests += outcome.requests
            if outcome.error:
                tally.errors += 1
                tally.first_error = tally.first_error or outcome.error

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return tally, time.perf_counter() - start


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, round(fraction * len(sorted_values) + 0.5))
    return sorted_values[min(rank, len(sorted_values)) - 1]


@dataclass
class Result:
    query: str
    ops_per_s: float
    req_per_s: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    operations: int
    requests: int
    errors: int
    bytes: int
    elapsed_s: float
    server_cpu_pct: float
    client_cpu_pct: float
    host_cpu_pct: float
    first_error: str | None


def summarise(name: str, tally: Tally, elapsed: float, size: int, cpu: dict[str, float]) -> Result:
    latencies = sorted(tally.latencies)
    ms = lambda fraction: round(1000 * percentile(latencies, fraction), 2)  # noqa: E731
    return Result(
        query=name,
        ops_per_s=round(tally.operations / elapsed, 1),
        req_per_s=round(tally.requests / elapsed, 1),
        p50_ms=ms(0.50),
        p90_ms=ms(0.90),
        p99_ms=ms(0.99),
        max_ms=round(1000 * latencies[-1], 2) if latencies else float("nan"),
        operations=tally.operations,
        requests=tally.requests,
        errors=tally.errors,
        bytes=size,
        elapsed_s=round(elapsed, 2),
        first_error=tally.first_error,
        **cpu,
    )


async def measure(
    client: httpx.AsyncClient, server_pid: int, name: str, operation: Operation, check: Check,
    args: argparse.Namespace,
) -> Result:
    options = {"concurrency": args.concurrency, "requests_per_op": check.requests}
    await load(client, operation, duration=args.warmup, max_requests=args.max_requests, **options)
    before = CpuSnapshot.take(server_pid)
    tally, elapsed = await load(
        client, operation, duration=args.duration, max_requests=args.max_requests, **options
    )
    cpu = CpuSnapshot.take(server_pid).usage_since(before)
    return summarise(name, tally, elapsed, check.bytes, cpu)


# --------------------------------------------------------------------------- report

LABELS = {
    "Q1": "Q1 member directory page",
    "Q2": "Q2 theme overview",
    "Q3": "Q3 full roster export (6 req)",
}


def print_table(results: list[Result]) -> None:
    header = (
        f"{'query':<31}{'ops/s':>8}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'errors':>8}{'bytes':>9}{'srv%':>6}{'cli%':>6}{'host%':>7}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{LABELS[r.query]:<31}{r.ops_per_s:>8.1f}{r.req_per_s:>8.1f}{r.p50_ms:>9.2f}"
            f"{r.p99_ms:>9.2f}{r.errors:>8}{r.bytes:>9}{r.server_cpu_pct:>6.0f}"
            f"{r.client_cpu_pct:>6.0f}{r.host_cpu_pct:>7.0f}"
        )
    for r in results:
        if r.first_error:
            print(f"\n{r.query}: {r.errors} failed operations; first error:\n  {r.first_error}")


def git_state() -> dict[str, Any]:
    def git(*argv: str) -> str:
        done = subprocess.run(["git", *argv], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    return {"commit": git("rev-parse", "HEAD"), "dirty": git("status", "--porcelain").splitlines()}


def environment(database_url: str, args: argparse.Namespace) -> dict[str, Any]:
    return {
        "database": urlsplit(database_url).scheme,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "httpx": httpx.__version__,
        "client": "httpx.AsyncClient in the benchmark process (shares CPU with the server)",
        "pinned": args.pin,
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "concurrency": args.concurrency,
        "max_requests": args.max_requests,
        "git": git_state(),
    }


# --------------------------------------------------------------------------- main


async def benchmark(
    port: int, server_pid: int, args: argparse.Namespace
) -> tuple[list[Check], list[Result]]:
    # Inside the loop, SIGTERM cancels the run like Ctrl-C does (raising from a plain handler
    # can be swallowed by the HTTP client's cleanup).
    main_task = asyncio.current_task()
    assert main_task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, main_task.cancel)
    size = args.concurrency
    limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
    async with httpx.AsyncClient(
        base_url=f"http://{HOST}:{port}", limits=limits, timeout=30.0
    ) as client:
        q1, q2 = await check_q1(client), await check_q2(client)
        q3, cursors = await check_q3(client)
        checks = [q1, q2, q3]
        for check in checks:
            print(
                f"  {check.name}: ok, {check.bytes} bytes in {check.requests} request(s);"
                f" {check.summary}"
            )
        operations = {"Q1": single(body(Q1)), "Q2": single(body(Q2)), "Q3": walk(cursors)}
        results = []
        for check in checks:
            print(
                f"  measuring {check.name}: {args.warmup:g} s warm-up + {args.duration:g} s ...",
                flush=True,
            )
            operation = operations[check.name]
            results.append(await measure(client, server_pid, check.name, operation, check, args))
        return checks, results


def prepare_database(database_url: str) -> None:
    if database_url.startswith("postgres"):
        created = asyncio.run(ensure_postgres_database(database_url))
        name = urlsplit(database_url).path.lstrip("/")
        print(f"  database {name}: {'created' if created else 'exists'}")
    started = time.perf_counter()
    last = seed(database_url)
    print(f"  seeded in {time.perf_counter() - started:.1f} s ({last})")
    seats = asyncio.run(add_participation(database_url))
    print(f"  {seats} working-group participations for {ALLIANCE_SLUG}'s FULL members")


def pin(server_pid: int) -> None:
    if (os.cpu_count() or 1) < 2:
        print("  --pin ignored: fewer than 2 CPUs")
        return
    os.sched_setaffinity(server_pid, {1})
    os.sched_setaffinity(0, {0})
    print("  pinned: server on CPU 1, client on CPU 0 (PostgreSQL not pinned)")


def run(database_url: str, workdir: Path, args: argparse.Namespace) -> int:
    print(f"database: {database_url}")
    prepare_database(database_url)
    port = free_port()
    log_path = workdir / "server.log"
    print(f"server: 127.0.0.1:{port}, log {log_path}")
    with running_server(database_url, port, log_path) as server:
        if args.pin:
            pin(server.pid)
        try:
            checks, results = asyncio.run(benchmark(port, server.pid, args))
        finally:
            signal.signal(signal.SIGTERM, interrupt)  # closing the loop reset it to SIG_DFL
    print(
        f"\nconcurrency {args.concurrency}, {args.duration:g} s per query after {args.warmup:g} s "
        f"warm-up; client: httpx in this process, sharing {os.cpu_count()} CPUs with the server"
        f"{' and PostgreSQL' if database_url.startswith('postgres') else ''}\n"
    )
    print_table(results)
    if args.json:
        report = {
            "environment": environment(database_url, args),
            "checks": [asdict(c) for c in checks],
            "results": [asdict(r) for r in results],
        }
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        print(f"\nwrote {args.json}")
    return 1 if any(r.errors for r in results) else 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--database-url", help="postgres://... (default: a fresh temporary SQLite file)"
    )
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per query")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up per query")
    parser.add_argument("--concurrency", type=int, default=16, help="operations in flight")
    parser.add_argument(
        "--max-requests", type=int, default=200_000, help="HTTP request cap per run"
    )
    parser.add_argument("--pin", action="store_true", help="server on CPU 1, client on CPU 0")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    return parser.parse_args(argv)


def interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Ctrl-C and SIGTERM both unwind through the `finally` that stops the server (SIGINT is
    # set explicitly because a shell's background job inherits it ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, interrupt)
    workdir = Path(tempfile.mkdtemp(prefix="tsunagu-bench-"))
    database_url = args.database_url or sqlite_url(workdir)
    status = 1
    try:
        status = run(database_url, workdir, args)
        return status
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("\ninterrupted; the server was stopped", file=sys.stderr)
        return 130
    finally:
        if args.keep or status != 0:  # keep the server log (and SQLite file) to look into
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
