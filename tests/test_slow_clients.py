"""Slow and silent clients are answered 408 and dropped within the deadlines, while other callers
are served. A real `tsunagu serve` process with short deadlines, raw sockets on 127.0.0.1; every
wait is bounded."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from settings import PROJECT_ROOT
from tests.serving import TIMEOUT, wait_ready
from tests.test_workers import free_port

TSUNAGU = Path(sys.executable).parent / "tsunagu"
HEADER_TIMEOUT = 1.0
BODY_TIMEOUT = 2.0
SLACK = 1.5
BODY = json.dumps({"query": "{ themes { number } }"}).encode()
HEAD = (
    "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    f"Content-Length: {len(BODY)}\r\n\r\n"
).encode()


@asynccontextmanager
async def serving_with_deadlines(database_url: str) -> AsyncIterator[tuple[str, int]]:
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        str(TSUNAGU), "serve", "--port", str(port), "--log-level", "warning",
        "--header-timeout", str(HEADER_TIMEOUT), "--body-timeout", str(BODY_TIMEOUT),
        cwd=PROJECT_ROOT, env=os.environ | {"DATABASE_URL": database_url},
    )
    try:
        await wait_ready(f"http://127.0.0.1:{port}", 3 * TIMEOUT)
        yield "127.0.0.1", port
    finally:
        if process.returncode is None:
            process.terminate()
        await asyncio.wait_for(process.wait(), TIMEOUT)


async def trickle(address: tuple[str, int], before: bytes, trickled: bytes, interval: float) -> tuple[bytes, float]:
    """Send `before` at once, then `trickled` a byte per `interval`, until the server hangs up;
    returns what it answered and after how many seconds (from the connection) it hung up."""
    reader, writer = await asyncio.open_connection(*address)
    started = time.perf_counter()

    async def send_slowly() -> None:
        writer.write(before)
        for byte in trickled:
            await asyncio.sleep(interval)
            writer.write(bytes([byte]))
            await writer.drain()

    sender = asyncio.create_task(send_slowly())
    try:
        answer = await asyncio.wait_for(reader.read(), TIMEOUT)
        return answer, time.perf_counter() - started
    finally:
        sender.cancel()
        writer.close()


async def served_promptly(address: tuple[str, int]) -> float:
    """Seconds a normal request takes, on a connection of its own."""
    async with httpx.AsyncClient(base_url=f"http://{address[0]}:{address[1]}", timeout=TIMEOUT) as http:
        started = time.perf_counter()
        response = await http.post("/graphql", content=BODY, headers={"Content-Type": "application/json"})
    assert response.status_code == 200 and len(response.json()["data"]["themes"]) == 10
    return time.perf_counter() - started


def status_and_code(answer: bytes) -> tuple[bytes, str]:
    head, _, body = answer.partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0], json.loads(body)["errors"][0]["extensions"]["code"]


async def test_slow_and_silent_clients_get_408_and_are_dropped_while_others_are_served(database_url):
    async with serving_with_deadlines(database_url) as address:
        slow_head = asyncio.create_task(trickle(address, b"", HEAD, 0.2))
        silent = asyncio.create_task(trickle(address, b"", b"", 0))
        slow_body = asyncio.create_task(trickle(address, HEAD, BODY, 0.2))
        silent_after_head = asyncio.create_task(trickle(address, HEAD, b"", 0))
        await asyncio.sleep(0.3)
        others = [await served_promptly(address) for _ in range(5)]
        results = {
            "slow head": await slow_head,
            "silent": await silent,
            "slow body": await slow_body,
            "silent after head": await silent_after_head,
        }

    print("\n" + ", ".join(f"{name}: dropped after {seconds:.2f}s" for name, (_, seconds) in results.items()))
    print(f"others served in at most {max(others):.3f}s")
    for name in ("slow head", "silent"):
        answer, seconds = results[name]
        assert status_and_code(answer) == (b"HTTP/1.1 408 Request Timeout", "REQUEST_TIMEOUT"), name
        assert HEADER_TIMEOUT - 0.1 <= seconds < HEADER_TIMEOUT + SLACK, (name, seconds)
    for name in ("slow body", "silent after head"):
        answer, seconds = results[name]
        assert status_and_code(answer) == (b"HTTP/1.1 408 Request Timeout", "REQUEST_TIMEOUT"), name
        assert BODY_TIMEOUT - 0.1 <= seconds < BODY_TIMEOUT + SLACK, (name, seconds)
    assert max(others) < 1.0
