"""How fast one sender empties the email outbox, what it costs in memory, and what it does to the
GraphQL service's read latency while it sends.

On a scratch database (a temporary SQLite file, or with `--database-url` a PostgreSQL database
that is dropped and created again), it starts `tsunagu serve` on 127.0.0.1 with its own sender
off (`TSUNAGU_MAIL_SENDER=0`), its response cache off and the anonymous budget out of reach (so
every read runs its SQL), measures a read query's latency from one client while idle, queues
`--messages` emails (1,200), starts aiosmtpd on 127.0.0.1 (a process of its own) and one `tsunagu send-mail --once`
process against it, and measures the same read while that process sends. While it sends, the
sender is paused (SIGSTOP) and resumed (SIGCONT) in turn every `--window` seconds, so that the
reads idle and the reads while sending are taken in the same minute, as many of each, whatever
else the machine does meanwhile; a read that spans a switch counts in neither. It prints the
messages per second while not paused (from the first message recorded SENT to the last), the
sender's peak RSS (sampled from /proc every 50 ms) and the read's p50/p99: before sending, and
in the interleaved windows, paused and sending.

`--stand-in` runs, in the sender's place and paused and resumed the same way, a process that
sends nothing, at SCHED_IDLE for `--stand-in-seconds`: `sleep` (the method's own noise: reads
"while sending" against "paused" when nothing happens), `spin` (a loop that wants a CPU all the
time and may run on any) or `spin-one-cpu` (the same loop held to the last CPU, as the sender
beside the service holds itself: `edge/mail_sender.py`). No mail is queued.

    .venv/bin/python bench/mail_send.py
    .venv/bin/python bench/mail_send.py --database-url postgres://postgres@127.0.0.1:5432/tsunagu_mail_bench
    .venv/bin/python bench/mail_send.py --stand-in spin

Every wait is bounded (`--deadline` seconds); the server and the sender it starts are ended, by
their PID, whatever happens. Targets: at least 50 messages/s; the read's p99 while sending within
20 % of its p99 idle.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import os
import signal
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

STAND_INS = {
    "sleep": "import time; time.sleep({seconds})",
    "spin": "import time\nuntil = time.monotonic() + {seconds}\nwhile time.monotonic() < until: sum(range(1000))",
}
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


async def timed_reads(
    http: httpx.AsyncClient, *, count: int | None = None, until: asyncio.Event | None = None
) -> list[tuple[float, float]]:
    """Reads one after another, `count` of them or until `until` is set: when each began and ended."""
    reads: list[tuple[float, float]] = []
    while (count is None or len(reads) < count) and not (until is not None and until.is_set()):
        started = time.perf_counter()
        response = await http.post("/graphql", json={"query": READ})
        reads.append((started, time.perf_counter()))
        assert response.status_code == 200 and "errors" not in response.json(), response.text
    return reads


def latencies(reads: list[tuple[float, float]]) -> list[float]:
    return [ended - started for started, ended in reads]


def split_by_window(
    reads: list[tuple[float, float]], switches: list[tuple[float, bool]]
) -> tuple[list[float], list[float]]:
    """The latencies of the reads made wholly while the sender was paused, and wholly while it
    ran; `switches` are the moments it was resumed (True) or paused (False), in order."""
    moments = [moment for moment, _ in switches]
    paused: list[float] = []
    sending: list[float] = []
    for started, ended in reads:
        window = bisect.bisect_right(moments, started)
        if window == 0 or bisect.bisect_right(moments, ended) != window:
            continue
        (sending if switches[window - 1][1] else paused).append(ended - started)
    return paused, sending


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


def sender_command(niceness: int, parent: int | None) -> list[str]:
    beside = ["--parent", str(parent)] if parent is not None else []
    return ["nice", "-n", str(niceness), sys.executable, "-m", "cli", "send-mail", "--once", *beside]


def stand_in_command(kind: str, seconds: float) -> list[str]:
    """A process that sends nothing, at SCHED_IDLE, for `seconds` (see the module's docstring)."""
    held = ["taskset", "-c", str(max(os.sched_getaffinity(0)))] if kind == "spin-one-cpu" else []
    code = STAND_INS[kind.removesuffix("-one-cpu")].format(seconds=seconds)
    return ["chrt", "--idle", "0", *held, sys.executable, "-c", code]


async def send_and_watch(
    command: list[str], env: dict[str, str], http: httpx.AsyncClient, deadline: float, window: float
) -> tuple[list[float], list[float], int, float]:
    """Run one sender (`command`) to its end, paused and resumed every `window` seconds; returns the
    reads' latencies while it was paused and while it sent, its peak RSS and the share of its time it ran."""
    done = asyncio.Event()
    sender = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    started = time.monotonic()
    switches: list[tuple[float, bool]] = [(time.perf_counter(), True)]
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

    async def pause_and_resume() -> None:
        running = True
        while not done.is_set():
            await asyncio.sleep(window)
            if sender.poll() is not None:
                return
            running = not running
            sender.send_signal(signal.SIGCONT if running else signal.SIGSTOP)
            switches.append((time.perf_counter(), running))

    try:
        reads, _, _ = await asyncio.gather(timed_reads(http, until=done), watch(), pause_and_resume())
    finally:
        if sender.poll() is None:
            sender.send_signal(signal.SIGCONT)
            sender.kill()
        sender.wait(timeout=deadline)
    if sender.returncode != 0:
        raise SystemExit(f"the sender failed: {sender.stderr.read().decode() if sender.stderr else ''}")
    paused, sending = split_by_window(reads, switches)
    ended = time.perf_counter()
    running = sum(
        (switches[i + 1][0] if i + 1 < len(switches) else ended) - moment
        for i, (moment, resumed) in enumerate(switches) if resumed
    )
    return paused, sending, peak, running / (ended - switches[0][0])


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1200)
    parser.add_argument("--idle-reads", type=int, default=400)
    parser.add_argument("--database-url", help="a PostgreSQL database to drop and create again")
    parser.add_argument("--sender-nice", type=int, default=0, help="run the sender at this niceness (nice -n), 0 to 19")
    parser.add_argument("--beside-service", action="store_true",
                        help="run the sender as `tsunagu serve` runs its own (--parent: SCHED_IDLE, else nice 19)")
    parser.add_argument("--smtp-idle", action="store_true", help="run aiosmtpd at SCHED_IDLE (chrt --idle 0)")
    parser.add_argument("--rate", type=float, help="TSUNAGU_MAIL_RATE for the sender: messages/s, 0 for no limit "
                        "(unset: the service's default)")
    parser.add_argument("--window", type=float, default=1.0,
                        help="seconds the sender runs, then is paused, in turn, while reads are measured")
    parser.add_argument("--stand-in", choices=["sleep", "spin", "spin-one-cpu"],
                        help="instead of a sender, a process that sends nothing (see above)")
    parser.add_argument("--stand-in-seconds", type=float, default=40.0)
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
                await timed_reads(http, count=50)  # warm-up
                idle = latencies(await timed_reads(http, count=args.idle_reads))
                if args.stand_in:
                    command = stand_in_command(args.stand_in, args.stand_in_seconds)
                else:
                    await queue(database_url, args.messages)
                    command = sender_command(args.sender_nice, server.pid if args.beside_service else None)
                sender_env = env | {"SMTP_URL": f"smtp://127.0.0.1:{smtp_port}"}
                if args.rate is not None:
                    sender_env["TSUNAGU_MAIL_RATE"] = str(args.rate)
                paused, sending, peak_kib, running_share = await send_and_watch(
                    command, sender_env, http, args.deadline, args.window
                )
            sent, span = (0, 0.0) if args.stand_in else await sending_span(database_url)
        finally:
            for process in (smtp, server):
                process.terminate()
                process.wait(timeout=30)

    if args.stand_in:
        print(f"stand-in: {args.stand_in} at SCHED_IDLE for {args.stand_in_seconds:.0f} s, in the sender's place; "
              f"database: {'PostgreSQL' if args.database_url else 'SQLite'}; load average {os.getloadavg()[0]:.1f}")
        print_reads(idle, paused, sending)
        return
    if sent != args.messages:
        raise SystemExit(f"{sent} of {args.messages} messages were sent")
    backend = "PostgreSQL" if args.database_url else "SQLite"
    priority = "beside the service (SCHED_IDLE)" if args.beside_service else f"nice {args.sender_nice}"
    print(f"database: {backend}; {args.messages} messages, one `tsunagu send-mail --once` process "
          f"({priority}, rate limit {'default' if args.rate is None else args.rate or 'none'}), "
          f"aiosmtpd on 127.0.0.1{' at SCHED_IDLE' if args.smtp_idle else ''}; "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"sending:  {args.messages / (span * running_share):.0f} messages/s while not paused ({span:.2f} s "
          f"from the first message sent to the last, {100 * running_share:.0f} % of it not paused)")
    print(f"sender:   peak RSS {peak_kib / 1024:.0f} MiB")
    print_reads(idle, paused, sending)


def print_reads(idle: list[float], paused: list[float], sending: list[float]) -> None:
    print(f"reads:    before sending {summary(idle)}")
    print(f"          sender paused  {summary(paused)}")
    print(f"          sender sending {summary(sending)}")
    print(f"p99 while sending against paused: {100 * (percentile(sending, 0.99) / percentile(paused, 0.99) - 1):+.0f} % "
          f"(p50 {100 * (percentile(sending, 0.5) / percentile(paused, 0.5) - 1):+.0f} %)")


def summary(latencies_s: list[float]) -> str:
    return (f"p50 {percentile(latencies_s, 0.5) * 1000:.1f} ms, p99 {percentile(latencies_s, 0.99) * 1000:.1f} ms, "
            f"mean {statistics.mean(latencies_s) * 1000:.1f} ms ({len(latencies_s)} reads)")


if __name__ == "__main__":
    asyncio.run(main())
