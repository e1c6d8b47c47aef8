"""How fast one sender empties the email outbox, what it costs in memory, and what it does to the
GraphQL service's read latency while it sends.

On a scratch database (a temporary SQLite file, or with `--database-url` a PostgreSQL database
that is dropped and created again), it starts `tsunagu serve` on 127.0.0.1 with its own sender
off (`TSUNAGU_MAIL_SENDER=0`), its response cache off and the anonymous budget out of reach (so
every read runs its SQL), measures a read query's latency from one client while idle, queues
`--messages` emails (1,200), starts aiosmtpd on 127.0.0.1 (a process of its own) and one `tsunagu send-mail --once`
process against it, and measures the same read while that process sends. It prints the messages
per second (from the first message recorded SENT to the last), the sender's peak RSS
(sampled from /proc every 50 ms) and the read's p50/p99, idle and while sending.

    .venv/bin/python bench/mail_send.py
    .venv/bin/python bench/mail_send.py --database-url postgres://postgres@127.0.0.1:5432/tsunagu_mail_bench

Every wait is bounded (`--deadline` seconds); the server and the sender it starts are ended, by
their PID, whatever happens. Targets: at least 50 messages/s; the read's p99 while sending within
20 % of its p99 idle.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from database.connection import open_database  # noqa: E402
from i18n import Text  # noqa: E402
from resolvers.mail.letter import Letter  # noqa: E402
from resolvers.mail.outbox import enqueue  # noqa: E402
from tests.test_scale_out import free_port  # noqa: E402

READ = '{ alliance(slug: "expo2025") { members(first: 20, filter: {prefectureCode: "27"}) { totalCount nodes { tier municipality { name } } } } }'


async def sending_span(database_url: str) -> tuple[int, float]:
    """How many messages the outbox holds as SENT, and the seconds from the first to the last."""
    await open_database(database_url)
    from tortoise import Tortoise

    from models import OutboundEmail, OutboundEmailStatus

    try:
        times = await OutboundEmail.filter(status=OutboundEmailStatus.SENT).order_by("sent_at").values_list("sent_at", flat=True)
    finally:
        await Tortoise.close_connections()
    return len(times), (times[-1] - times[0]).total_seconds() if times else 0.0


def start_smtp_sink(port: int, idle: bool) -> subprocess.Popen:
    """aiosmtpd in a process of its own, accepting and dropping every message."""
    return subprocess.Popen([*(["chrt", "--idle", "0"] if idle else []), sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink", "-l", f"127.0.0.1:{port}"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def scratch_postgres(url: str) -> None:
    base, _, name = url.rpartition("/")
    admin = await asyncpg.connect(f"{base}/postgres")
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


async def wait_ready(base_url: str, deadline: float) -> None:
    async with httpx.AsyncClient(base_url=base_url) as http:
        give_up = time.monotonic() + deadline
        while time.monotonic() < give_up:
            try:
                if (await http.get("/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise SystemExit(f"the server at {base_url} did not become ready in {deadline} s")


async def read_latencies(http: httpx.AsyncClient, *, count: int | None = None, until: asyncio.Event | None = None) -> list[float]:
    """Seconds per read, one after another: `count` of them, or until `until` is set."""
    latencies: list[float] = []
    while (count is None or len(latencies) < count) and not (until is not None and until.is_set()):
        started = time.perf_counter()
        response = await http.post("/graphql", json={"query": READ})
        latencies.append(time.perf_counter() - started)
        assert response.status_code == 200 and "errors" not in response.json(), response.text
    return latencies


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


async def queue(database_url: str, count: int) -> None:
    await open_database(database_url)
    from tortoise import Tortoise

    try:
        letter = Letter(subject=Text("email.login_link.subject"), paragraphs=("ベンチマークの本文です。",) * 5)
        for number in range(count):
            await enqueue(f"reader{number}@city.example.lg.jp", letter, "ja")
    finally:
        await Tortoise.close_connections()


async def send_and_watch(
    env: dict[str, str], http: httpx.AsyncClient, deadline: float, niceness: int, parent: int | None
) -> tuple[list[float], int, float]:
    """Run one sender to its end; returns the reads' latencies meanwhile, its peak RSS and its run time."""
    done = asyncio.Event()
    beside = ["--parent", str(parent)] if parent is not None else []
    sender = subprocess.Popen(["nice", "-n", str(niceness), sys.executable, "-m", "cli", "send-mail", "--once", *beside],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    started = time.monotonic()
    peak = 0

    async def watch() -> None:
        nonlocal peak
        try:
            while sender.poll() is None:
                if time.monotonic() - started > deadline:
                    raise SystemExit(f"the sender did not finish in {deadline} s")
                peak = max(peak, rss_kib(sender.pid))
                await asyncio.sleep(0.05)
        finally:
            done.set()

    try:
        latencies, _ = await asyncio.gather(read_latencies(http, until=done), watch())
    finally:
        if sender.poll() is None:
            sender.kill()
        sender.wait(timeout=deadline)
    if sender.returncode != 0:
        raise SystemExit(f"the sender failed: {sender.stderr.read().decode() if sender.stderr else ''}")
    return latencies, peak, time.monotonic() - started


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1200)
    parser.add_argument("--idle-reads", type=int, default=400)
    parser.add_argument("--database-url", help="a PostgreSQL database to drop and create again")
    parser.add_argument("--sender-nice", type=int, default=0, help="run the sender at this niceness (nice -n), 0 to 19")
    parser.add_argument("--beside-service", action="store_true",
                        help="run the sender as `tsunagu serve` runs its own (--parent: SCHED_IDLE, else nice 19)")
    parser.add_argument("--smtp-idle", action="store_true", help="run aiosmtpd at SCHED_IDLE (chrt --idle 0)")
    parser.add_argument("--deadline", type=float, default=300.0, help="the longest any one step may take, in seconds")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="tsunagu-mail-bench-") as scratch:
        database_url = args.database_url or f"sqlite://{Path(scratch) / 'bench.sqlite3'}"
        if args.database_url:
            await scratch_postgres(database_url)
        port = free_port()
        env = os.environ | {
            "DATABASE_URL": database_url,
            "TSUNAGU_MAIL_SENDER": "0",
            "TSUNAGU_LOG_LEVEL": "warning",
            "TSUNAGU_RESPONSE_CACHE_TTL": "0",  # every read runs against the database the sender writes to
            "TSUNAGU_ANONYMOUS_POINTS_PER_MINUTE": "100000000",
        }
        server = subprocess.Popen([sys.executable, "-m", "cli", "serve", "--port", str(port), "--log-level", "warning"],
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        smtp_port = free_port()
        smtp = start_smtp_sink(smtp_port, args.smtp_idle)
        try:
            base_url = f"http://127.0.0.1:{port}"
            await wait_ready(base_url, args.deadline)
            async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
                await read_latencies(http, count=50)  # warm-up
                idle = await read_latencies(http, count=args.idle_reads)
                await queue(database_url, args.messages)
                sender_env = env | {"SMTP_URL": f"smtp://127.0.0.1:{smtp_port}"}
                sending, peak_kib, run_s = await send_and_watch(
                    sender_env, http, args.deadline, args.sender_nice, server.pid if args.beside_service else None
                )
            sent, span = await sending_span(database_url)
        finally:
            for process in (smtp, server):
                process.terminate()
                process.wait(timeout=30)

    if sent != args.messages:
        raise SystemExit(f"{sent} of {args.messages} messages were sent")
    backend = "PostgreSQL" if args.database_url else "SQLite"
    idle_p50, idle_p99 = percentile(idle, 0.5) * 1000, percentile(idle, 0.99) * 1000
    busy_p50, busy_p99 = percentile(sending, 0.5) * 1000, percentile(sending, 0.99) * 1000
    priority = "beside the service (SCHED_IDLE)" if args.beside_service else f"nice {args.sender_nice}"
    print(f"database: {backend}; {args.messages} messages, one `tsunagu send-mail --once` process "
          f"({priority}), aiosmtpd on 127.0.0.1{' at SCHED_IDLE' if args.smtp_idle else ''}")
    print(f"sending:  {args.messages / span:.0f} messages/s ({span:.2f} s from the first message sent to the last; "
          f"{run_s:.2f} s with the process's start)")
    print(f"sender:   peak RSS {peak_kib / 1024:.0f} MiB")
    print(f"reads:    idle p50 {idle_p50:.1f} ms, p99 {idle_p99:.1f} ms ({len(idle)} reads); "
          f"while sending p50 {busy_p50:.1f} ms, p99 {busy_p99:.1f} ms ({len(sending)} reads); "
          f"p99 {100 * (busy_p99 / idle_p99 - 1):+.0f} %; mean {statistics.mean(sending) * 1000:.1f} ms")


if __name__ == "__main__":
    asyncio.run(main())
