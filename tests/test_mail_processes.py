"""The sender as a real process (`tsunagu send-mail`), stopped the hard way, and two of them at once.

An aiosmtpd server on 127.0.0.1 counts what arrives by Message-ID; its handler is slow on purpose,
so that a batch is really half sent when the sender is killed. Every wait is bounded; each test
ends only the processes it started, by their PID.
"""

from __future__ import annotations

import asyncio
import collections
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

from aiosmtpd.controller import Controller

from i18n import Text
from models import OutboundEmail, OutboundEmailStatus
from resolvers.mail.letter import Letter
from resolvers.mail.outbox import enqueue, now
from settings import PROJECT_ROOT
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
