"""Bulletin mail at the alliance's size: ~1,200 contacts over the 581 members of expo2025.

On a scratch database (a temporary SQLite file, or `--database-url` for an empty PostgreSQL
database) seeded as `tsunagu seed` seeds it, this adds the contacts, writes a bulletin with a
PDF attached (`--attachment-kb`, 200), publishes it (as publishBulletin does, in one transaction) and prints the
time to enqueue; then runs one sender (`send_all_due`, as `tsunagu send-mail --once`) against a
local aiosmtpd on 127.0.0.1 (in a process of its own, as a mail server is) and prints messages per
second, the sender's CPU time per message and its memory. The sender keeps to `--rate` messages a
second (the service's default, `TSUNAGU_MAIL_RATE`); `--rate 0` shows what one sender can do. Bounded: it stops by itself after
`--timeout` seconds at most.

    .venv/bin/python bench/bulletin_mail.py [--contacts 1200] [--rate 0] [--database-url postgres://…]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import multiprocessing
import os
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller
from tortoise import Tortoise

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from database.connection import create_schema, open_database  # noqa: E402
from models import Audience, Contact, ContactRole, Membership, MembershipStatus, OutboundEmail  # noqa: E402
from resolvers.bulletin import BulletinDraft, create_bulletin, publish_bulletin  # noqa: E402
from resolvers.bulletin_files import attach_file  # noqa: E402
from resolvers.db.transaction import committing  # noqa: E402
from resolvers.mail.sender import send_all_due  # noqa: E402
from seed.dataset import read_dataset  # noqa: E402
from seed.loader import load_dataset  # noqa: E402
from settings import DATA_DIR, MAIL_RATE, Settings  # noqa: E402

BODY = "## 今月のトピック\n\n" + "\n".join(f"- 報告 {n}: [詳細](https://example.jp/{n})" for n in range(40))


class Counter:
    def __init__(self, received) -> None:
        self.received = received

    async def handle_DATA(self, server, session, envelope) -> str:
        with self.received.get_lock():
            self.received.value += 1
        return "250 OK"


def serve_smtp(port: int, received, ready) -> None:
    """The SMTP server's process: aiosmtpd counting what it accepts, until terminated."""
    controller = Controller(Counter(received), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    threading.Event().wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_seconds_of(pid: int) -> float:
    """User and system CPU time a process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb() -> tuple[float, float]:
    """The process's resident memory now and at its peak, in MB (Linux /proc)."""
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return int(status["VmRSS"].split()[0]) / 1024, int(status["VmHWM"].split()[0]) / 1024


async def add_contacts(count: int) -> int:
    members = await Membership.filter(alliance__slug="expo2025", status=MembershipStatus.ACTIVE).order_by("id").values_list("municipality_id", flat=True)
    roles = list(ContactRole)
    await Contact.bulk_create(
        [
            Contact(
                municipality_id=members[n % len(members)], role=roles[(n // len(members)) % len(roles)],
                name=f"担当者 {n}", email=f"contact{n}@city{n % len(members)}.example.jp",
                fiscal_year=2026, started_on=dt.date(2026, 4, 1),
            )
            for n in range(count)
        ],
        batch_size=500,
    )
    return len(members)


async def run(database_url: str, contacts: int, attachment_kb: int, rate: float) -> None:
    await open_database(database_url)
    try:
        await create_schema()
        await load_dataset(read_dataset(DATA_DIR))
        members = await add_contacts(contacts)
        async with committing("createBulletin"):
            draft = BulletinDraft(year=2026, month=12, title="万博首長連合 会報 12月号", body=BODY, audience=Audience.ALL_MEMBERS)
            bulletin = (await create_bulletin("expo2025", draft)).subject
            await attach_file(bulletin.id, "総会資料.pdf", b"%PDF-1.7\n" + b"0" * attachment_kb * 1000)

        started = time.perf_counter()
        async with committing("publishBulletin"):
            publication = (await publish_bulletin(bulletin.id, "http://localhost:8000")).subject
        enqueue_seconds = time.perf_counter() - started
        print(f"contacts: {contacts} over {members} members; emails queued: {publication.emailed_count}")
        print(f"publish + enqueue: {enqueue_seconds:.2f} s")

        spawn = multiprocessing.get_context("spawn")
        received, ready = spawn.Value("i", 0), spawn.Event()
        port = free_port()
        server = spawn.Process(target=serve_smtp, args=(port, received, ready), daemon=True)
        server.start()
        try:
            if not ready.wait(60):
                raise SystemExit("aiosmtpd did not start in 60 s")
            started, cpu, server_cpu = time.perf_counter(), cpu_seconds_of(os.getpid()), cpu_seconds_of(server.pid)
            await send_all_due(Settings(database_url=database_url, smtp_url=f"smtp://127.0.0.1:{port}", mail_rate=rate))
            send_seconds = time.perf_counter() - started
            cpu = cpu_seconds_of(os.getpid()) - cpu
            server_cpu = cpu_seconds_of(server.pid) - server_cpu
        finally:
            server.terminate()
            server.join(30)
        sent = await OutboundEmail.filter(status="SENT").count()
        now, peak = rss_mb()
        print(f"sent: {sent} (server received {received.value}) in {send_seconds:.1f} s: {sent / send_seconds:.0f} messages/s with one sender "
              f"(rate limit: {rate or 'none'})")
        print(f"CPU per message: sender {1000 * cpu / sent:.1f} ms, aiosmtpd {1000 * server_cpu / sent:.1f} ms "
              f"(on {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f})")
        print(f"RSS (sender, the seed loaded in the same process): {now:.0f} MB now, {peak:.0f} MB peak")
    finally:
        await Tortoise.close_connections()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contacts", type=int, default=1200)
    parser.add_argument("--attachment-kb", type=int, default=200, help="the size of the attached PDF")
    parser.add_argument("--database-url", help="an EMPTY database (default: a temporary SQLite file)")
    parser.add_argument("--rate", type=float, default=MAIL_RATE, help="messages/s the sender keeps to; 0: no limit")
    parser.add_argument("--timeout", type=float, default=600.0, help="stop after this many seconds")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tsunagu-bulletin-bench-") as scratch:
        url = arguments.database_url or f"sqlite://{Path(scratch) / 'bench.sqlite3'}"
        asyncio.run(asyncio.wait_for(run(url, arguments.contacts, arguments.attachment_kb, arguments.rate), arguments.timeout))


if __name__ == "__main__":
    main()
