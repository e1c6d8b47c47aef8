"""`tsunagu serve --workers 2`: two uvicorn workers behind one port, and /metrics counts what
every worker served, whichever worker answers the scrape. A real process on 127.0.0.1; every wait
is bounded.

Which worker answered is read from the per-process sample files prometheus_client writes into
`PROMETHEUS_MULTIPROC_DIR` (`counter_<pid>.db`), which the test controls: nothing in a response
names a process, and the service gains no header for the test's sake."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from prometheus_client.multiprocess import MultiProcessCollector

from settings import PROJECT_ROOT
from tests.serving import TIMEOUT, wait_ready

TSUNAGU = Path(sys.executable).parent / "tsunagu"
THEMES = {"query": "query Themes { themes { number } }", "operationName": "Themes"}
REQUESTS = 40
ROUNDS = 10
SCRAPES = 10
THEMES_SERVED = {"operation": "Themes", "status": "200"}
SERVED = re.compile(r'^tsunagu_requests_total\{operation="Themes",status="200"\} (\S+)$', re.MULTILINE)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@asynccontextmanager
async def two_workers(database_url: str, metrics_dir: Path) -> AsyncIterator[str]:
    port = free_port()
    env = os.environ | {"DATABASE_URL": database_url, "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
    process = await asyncio.create_subprocess_exec(
        str(TSUNAGU), "serve", "--workers", "2", "--port", str(port), "--log-level", "warning",
        cwd=PROJECT_ROOT, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_ready(base, 3 * TIMEOUT)
        yield base
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 3 * TIMEOUT)


async def fresh_connection(base: str, method: str, path: str, **kwargs: object) -> httpx.Response:
    """One request on a connection of its own, so the kernel may hand it to either worker."""
    async with httpx.AsyncClient(base_url=base, timeout=TIMEOUT) as http:
        return await http.request(method, path, **kwargs)


def served_by_worker(metrics_dir: Path) -> dict[str, float]:
    """The Themes requests each worker answered, by its PID, from its own sample file."""
    served = {}
    for samples in metrics_dir.glob("counter_*.db"):
        pid = samples.stem.removeprefix("counter_")
        for metric in MultiProcessCollector.merge([str(samples)]):
            for sample in metric.samples:
                if sample.name == "tsunagu_requests_total" and sample.labels == THEMES_SERVED:
                    served[pid] = sample.value
    return served


async def send_until_both_workers_answered(base: str, metrics_dir: Path) -> int:
    """Rounds of concurrent requests, each on its own connection, until two workers have
    answered some (at most `ROUNDS`); how many were sent."""
    sent = 0
    while sent < ROUNDS * REQUESTS and len(served_by_worker(metrics_dir)) < 2:
        answers = await asyncio.gather(
            *(fresh_connection(base, "POST", "/graphql", json=THEMES) for _ in range(REQUESTS))
        )
        assert {answer.status_code for answer in answers} == {200}
        sent += REQUESTS
    return sent


async def test_metrics_add_up_every_workers_requests_and_forget_an_earlier_run(database_url, tmp_path):
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    (metrics_dir / "counter_1.db").write_bytes(b"left over from an earlier run")

    async with two_workers(database_url, metrics_dir) as base:
        sent = await send_until_both_workers_answered(base, metrics_dir)
        scrapes = [await fresh_connection(base, "GET", "/metrics") for _ in range(SCRAPES)]

    by_worker = served_by_worker(metrics_dir)
    assert len(by_worker) == 2 and all(by_worker.values()), by_worker
    assert sum(by_worker.values()) == sent
    served = [float(SERVED.search(scrape.text).group(1)) for scrape in scrapes]
    assert served == [sent] * SCRAPES
