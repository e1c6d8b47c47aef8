"""The sender as a real process (`tsunagu send-mail`), stopped the hard way, two of them at once,
and the one `tsunagu serve` keeps beside itself.

An aiosmtpd server on 127.0.0.1 counts what arrives by Message-ID; its handler is slow on purpose,
so that a batch is really half sent when the sender is killed. Every wait is bounded; each test
ends only the processes it started, by their PID.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import datetime as dt
import email
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from email.policy import default
from pathlib import Path

from aiosmtpd.controller import Controller

from i18n import Text
from models import (
    Alliance,
    Audience,
    Event,
    EventFormat,
    EventKind,
    EventRegistration,
    EventRegistrationStatus,
    Municipality,
    OrganiserKind,
    OutboundEmail,
    OutboundEmailStatus,
    Role,
)
from resolvers.accounts import create_user_with_token
from resolvers.mail.letter import Letter
from resolvers.mail.outbox import enqueue, now
from settings import PROJECT_ROOT
from tests.serving import wait_ready
from tests.test_scale_out import free_port

DEADLINE = 60.0


@dataclasses.dataclass
class SlowServer:
    """Accepts every message after `delay` seconds; with `senders_awaited`, holds the first messages
    until that many different connections are sending, so that the senders really overlap."""

    delay: float
    senders_awaited: int = 1
    received: list[str] = dataclasses.field(default_factory=list)
    peers: set[tuple[str, int]] = dataclasses.field(default_factory=set)

    async def handle_DATA(self, server, session, envelope) -> str:
        self.peers.add(session.peer)
        give_up = time.monotonic() + DEADLINE / 2
        while len(self.peers) < self.senders_awaited and time.monotonic() < give_up:
            await asyncio.sleep(0.01)
        await asyncio.sleep(self.delay)
        parsed = email.message_from_bytes(envelope.original_content, policy=default)
        self.received.append(parsed["Message-ID"])
        return "250 OK"


@asynccontextmanager
async def smtp_server(handler: SlowServer) -> AsyncIterator[str]:
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, ready_timeout=5)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}"
    finally:
        controller.stop()


async def start_sender(database_url: str, smtp_url: str) -> asyncio.subprocess.Process:
    """`tsunagu send-mail --once` in a process of its own: it sends what is due, then exits."""
    env = os.environ | {"DATABASE_URL": database_url, "SMTP_URL": smtp_url, "TSUNAGU_LOG_LEVEL": "warning"}
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "cli", "send-mail", "--once",
        cwd=PROJECT_ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )


async def finished(process: asyncio.subprocess.Process) -> str:
    """What the sender printed, once it has exited by itself (within the deadline)."""
    out, err = await asyncio.wait_for(process.communicate(), DEADLINE)
    assert process.returncode == 0, err.decode()
    return out.decode()


async def end(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.kill()
        await asyncio.wait_for(process.wait(), DEADLINE)


async def queue_messages(count: int) -> set[str]:
    letter = Letter(subject=Text("email.login_link.subject"), paragraphs=("本文",))
    rows = [await enqueue(f"user{number}@example.jp", letter, "ja") for number in range(count)]
    return {row.message_id for row in rows}


async def wait_for_arrivals(handler: SlowServer, count: int) -> None:
    async with asyncio.timeout(DEADLINE):
        while len(handler.received) < count:
            await asyncio.sleep(0.01)


async def test_a_sender_killed_mid_batch_leaves_the_rest_to_the_next_at_most_one_sent_twice(database_url):
    handler = SlowServer(delay=0.2)
    queued = await queue_messages(20)
    async with smtp_server(handler) as smtp_url:
        killed = await start_sender(database_url, smtp_url)
        try:
            await wait_for_arrivals(handler, 5)
            os.kill(killed.pid, signal.SIGKILL)
            await asyncio.wait_for(killed.wait(), DEADLINE)
        finally:
            await end(killed)
        before_restart = len(handler.received)
        # The killed sender's lease (five minutes) runs out: its unsent messages are due again.
        leased = await OutboundEmail.filter(status=OutboundEmailStatus.SENDING).update(
            next_attempt_at=now() - dt.timedelta(seconds=1)
        )
        restarted = await start_sender(database_url, smtp_url)
        try:
            await finished(restarted)
        finally:
            await end(restarted)

    assert killed.returncode == -signal.SIGKILL
    assert 5 <= before_restart < 20 and leased > 0, "killed with the batch half sent"
    copies = collections.Counter(handler.received)
    assert set(copies) == queued, "every message arrived"
    assert sum(copies.values()) - len(queued) <= 1, f"more than the one in flight sent twice: {copies}"
    assert await OutboundEmail.filter(status=OutboundEmailStatus.SENT).count() == 20


async def test_two_sender_processes_send_every_message_exactly_once(database_url):
    handler = SlowServer(delay=0.01, senders_awaited=2)
    queued = await queue_messages(150)
    async with smtp_server(handler) as smtp_url:
        senders = [await start_sender(database_url, smtp_url) for _ in range(2)]
        try:
            outputs = await asyncio.gather(*(finished(sender) for sender in senders))
        finally:
            for sender in senders:
                await end(sender)

    copies = collections.Counter(handler.received)
    assert set(copies) == queued and max(copies.values()) == 1, "each message exactly once"
    handled = [int(output.split()[0]) for output in outputs]
    assert sum(handled) == 150 and min(handled) > 0, f"both processes sent: {handled}"
    assert await OutboundEmail.filter(status=OutboundEmailStatus.SENT).count() == 150


async def event_tomorrow_with_registrants(count: int) -> list[str]:
    """An event starting in 20 hours with `count` confirmed registrations, each made by a staff
    member with an address; returns the addresses."""
    starts = now() + dt.timedelta(hours=20)
    event = await Event.create(
        alliance=await Alliance.get(slug="expo2025"), title="明日のセミナー", description="説明",
        kind=EventKind.SEMINAR, organiser_kind=OrganiserKind.ALLIANCE, starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2), registration_closes_at=starts, format=EventFormat.ONLINE,
        audience=Audience.ALL_MEMBERS,
    )
    municipalities = await Municipality.all().order_by("id").limit(count)
    addresses = []
    for number, municipality in enumerate(municipalities):
        address = f"staff{number}@city.example.lg.jp"
        token, _ = await create_user_with_token(
            name=f"職員{number}", role=Role.MUNICIPALITY, municipality_code=municipality.code, email=address
        )
        await EventRegistration.create(
            event=event, municipality=municipality, registered_by_id=token.user_id, status=EventRegistrationStatus.CONFIRMED
        )
        addresses.append(address)
    return addresses


async def test_two_senders_queue_each_event_reminder_exactly_once(database_url):
    addresses = await event_tomorrow_with_registrants(40)
    handler = SlowServer(delay=0.0)
    async with smtp_server(handler) as smtp_url:
        senders = [await start_sender(database_url, smtp_url) for _ in range(2)]
        try:
            await asyncio.gather(*(finished(sender) for sender in senders))
        finally:
            for sender in senders:
                await end(sender)

    reminders = await OutboundEmail.filter(subject__contains="明日のセミナー").values_list("to_address", flat=True)
    assert sorted(reminders) == sorted(addresses), "one reminder for each registrant, queued once"
    assert len(handler.received) == len(set(handler.received)) == len(addresses), "and delivered once"
    assert await EventRegistration.filter(reminded_at__isnull=True).count() == 0


def children_of(pid: int) -> list[int]:
    """The processes whose parent is `pid`, read from /proc."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


async def sender_child(serve_pid: int, other_than: int | None = None) -> int:
    """The `tsunagu send-mail --parent` process `tsunagu serve` started (a new one, with `other_than`)."""
    async with asyncio.timeout(DEADLINE):
        while True:
            for pid in children_of(serve_pid):
                with contextlib.suppress(FileNotFoundError):
                    if b"send-mail" in Path(f"/proc/{pid}/cmdline").read_bytes() and pid != other_than:
                        return pid
            await asyncio.sleep(0.1)


def alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie, dead but not yet reaped, does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@asynccontextmanager
async def tsunagu_serve(database_url: str, smtp_url: str, **env: str) -> AsyncIterator[asyncio.subprocess.Process]:
    port = free_port()
    environment = os.environ | {"DATABASE_URL": database_url, "SMTP_URL": smtp_url, "TSUNAGU_LOG_LEVEL": "warning"} | env
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "cli", "serve", "--port", str(port), "--log-level", "warning", cwd=PROJECT_ROOT, env=environment,
    )
    try:
        await wait_ready(f"http://127.0.0.1:{port}", DEADLINE)
        yield process
    finally:
        await end(process)


async def test_serve_keeps_an_idle_priority_sender_on_one_cpu_beside_it_restarts_it_and_takes_it_along(database_url):
    handler = SlowServer(delay=0.0)
    queued = await queue_messages(3)
    addresses = await event_tomorrow_with_registrants(1)
    async with smtp_server(handler) as smtp_url, tsunagu_serve(database_url, smtp_url) as serve:
        child = await sender_child(serve.pid)
        assert os.sched_getscheduler(child) == os.SCHED_IDLE
        cpus = os.sched_getaffinity(0)
        assert os.sched_getaffinity(child) == ({max(cpus)} if len(cpus) > 1 else cpus), "the sender keeps to one CPU"
        await wait_for_arrivals(handler, 4)
        assert set(handler.received) >= queued, "the outbox is sent while the service runs"
        assert await OutboundEmail.filter(to_address=addresses[0], subject__contains="明日のセミナー").count() == 1

        os.kill(child, signal.SIGKILL)
        restarted = await sender_child(serve.pid, other_than=child)
        later = await queue_messages(1)
        await wait_for_arrivals(handler, 5)
        assert later <= set(handler.received), "the restarted sender sends"

        os.kill(serve.pid, signal.SIGKILL)
        await asyncio.wait_for(serve.wait(), DEADLINE)
        async with asyncio.timeout(DEADLINE):
            while alive(restarted):
                await asyncio.sleep(0.1)


async def test_serve_runs_no_sender_with_mail_sender_off(database_url):
    handler = SlowServer(delay=0.0)
    await queue_messages(1)
    async with smtp_server(handler) as smtp_url, tsunagu_serve(database_url, smtp_url, TSUNAGU_MAIL_SENDER="0") as serve:
        await asyncio.sleep(3)
        assert children_of(serve.pid) == [] and handler.received == []
