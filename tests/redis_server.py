"""A redis-server of a test's own, on a free port of 127.0.0.1, for tests that stop Redis: the
shared one is never touched. The process is always ended when the test is."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
import redis.asyncio as redis

from tests.serving import TIMEOUT
from tests.test_scale_out import free_port


class RedisServer:
    """A redis-server of the test's own, on a free port of 127.0.0.1, that keeps nothing on disk."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            "redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--daemonize", "no",
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        try:
            for _ in range(int(TIMEOUT / 0.05)):
                try:
                    if await client.ping():
                        return
                except (OSError, redis.RedisError):
                    await asyncio.sleep(0.05)
        finally:
            await client.aclose()
        raise AssertionError(f"redis-server did not start on port {self.port}")

    async def kill(self) -> None:
        """Kill the server if it runs (paused or not); killing it again does nothing."""
        if self.process is None:
            return
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
        await asyncio.wait_for(self.process.wait(), TIMEOUT)
        self.process = None

    def pause(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)


@asynccontextmanager
async def redis_server() -> AsyncIterator[RedisServer]:
    """A started `RedisServer`, killed on the way out if it still runs; skipped without redis-server."""
    if shutil.which("redis-server") is None:
        if os.environ.get("CI"):
            raise AssertionError("redis-server is not installed")
        pytest.skip("redis-server is not installed")
    server = RedisServer()
    await server.start()
    try:
        yield server
    finally:
        await server.kill()
