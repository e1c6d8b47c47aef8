"""The mail sender beside the service: `tsunagu serve` keeps one `tsunagu send-mail --parent PID`
process running, at the lowest CPU priority, so that a bulletin going out takes the cores the
service leaves idle rather than the time of its reads.

- `SenderChild` (in `tsunagu serve`): starts the process, starts it again if it dies (after
  `RESTART_DELAY`), and ends it when the service stops. `TSUNAGU_MAIL_SENDER=0` leaves it out, for
  hosts where `tsunagu send-mail` runs elsewhere.
- `lower_priority` and `watch_parent` (in the process): SCHED_IDLE where the system has it (the
  scheduler gives the process only time nobody else wants), else `nice` 19, and held to one CPU
  (see `lower_priority`); and the process ends by itself once the service that started it is gone,
  even killed without a word.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import threading

from settings import PROJECT_ROOT

LOG = logging.getLogger("tsunagu.mail")
RESTART_DELAY = 1.0
PARENT_POLL = 0.5
STOP_TIMEOUT = 10.0


def lower_priority() -> str:
    """Give this process the CPU only when nothing else wants it, on one CPU; returns what was done.

    Held to one CPU because a low-priority process that may run anywhere still costs the service's
    slowest reads: measured on two cores (bench/RESULTS.md, 2026-12-06), a busy SCHED_IDLE process
    free to move raised the reads' p99 by 86–92 %, the same process held to one CPU by 22–34 %."""
    done = [priority for priority in (lowest_priority(), one_cpu()) if priority]
    return ", ".join(done)


def lowest_priority() -> str:
    if hasattr(os, "sched_setscheduler") and hasattr(os, "SCHED_IDLE"):
        try:
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
            return "SCHED_IDLE"
        except OSError:
            pass
    os.nice(19 - os.nice(0))
    return "nice 19"


def one_cpu() -> str | None:
    """Keep this process to the last CPU it may use, where there are several; the service's own
    processes keep all of them."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    allowed = os.sched_getaffinity(0)
    if len(allowed) < 2:
        return None
    last = max(allowed)
    os.sched_setaffinity(0, {last})
    return f"CPU {last} only"


async def watch_parent(parent: int, stop: asyncio.Event) -> None:
    """Set `stop` once `parent` is no longer this process's parent (it died: the process was
    handed to another)."""
    while not stop.is_set():
        if os.getppid() != parent:
            LOG.warning("the service (pid %s) is gone: the mail sender stops", parent)
            stop.set()
            return
        try:
            await asyncio.wait_for(stop.wait(), PARENT_POLL)
        except TimeoutError:
            pass


class SenderChild:
    """`tsunagu send-mail --parent <this pid>`, kept running while the service runs."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.keeper = threading.Thread(target=self.keep_running, name="mail-sender", daemon=True)

    def __enter__(self) -> SenderChild:
        self.start()
        self.keeper.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        with self.lock:
            process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(STOP_TIMEOUT)
        self.keeper.join(STOP_TIMEOUT)

    def start(self) -> None:
        with self.lock:
            if self.stopping.is_set():
                return
            self.process = subprocess.Popen(
                [sys.executable, "-m", "cli", "send-mail", "--parent", str(os.getpid())], cwd=PROJECT_ROOT
            )

    def keep_running(self) -> None:
        while not self.stopping.is_set():
            assert self.process is not None
            code = self.process.wait()
            if self.stopping.wait(RESTART_DELAY):
                return
            LOG.warning("the mail sender (pid %s) ended with %s: starting it again", self.process.pid, code)
            self.start()
