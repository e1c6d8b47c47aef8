"""The real app served by uvicorn on 127.0.0.1, inside the test's event loop, for tests that need
a real socket (WebSocket subscriptions, external HTTP clients)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
import uvicorn

from server import create_app
from settings import Settings

TIMEOUT = 10.0


async def wait_until(condition: Callable[[], bool]) -> None:
    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), TIMEOUT)


async def wait_ready(base_url: str, timeout: float = TIMEOUT) -> None:
    """Poll `/readyz` of a server started in another process until it answers 200."""
    async with httpx.AsyncClient(base_url=base_url) as http:
        for _ in range(int(timeout / 0.1)):
            try:
                if (await http.get("/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"the server at {base_url} did not become ready")


@asynccontextmanager
async def serving(settings: Settings) -> AsyncIterator[str]:
    """The real app under uvicorn on 127.0.0.1 (port chosen by the system); yields host:port."""
    config = uvicorn.Config(
        create_app(settings, manage_database=False), host="127.0.0.1", port=0, log_level="warning"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        await wait_until(lambda: server.started or task.done())
        if task.done():
            task.result()
        host, port = server.servers[0].sockets[0].getsockname()[:2]
        yield f"{host}:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, TIMEOUT)
