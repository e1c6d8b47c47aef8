"""A PostgreSQL cluster of the test's own, in a temporary directory on a free port, that a test
may stop and start again (the shared server on 5432 is never touched).

The cluster runs as the `postgres` OS user when the tests run as root (PostgreSQL refuses root),
else as the current user. Every command is bounded in time, and the cluster is stopped and its
directory removed whatever happens.
"""

from __future__ import annotations

import asyncio
import os
import pwd
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.test_scale_out import free_port

POSTGRES_BIN = Path(os.environ.get("TSUNAGU_TEST_POSTGRES_BIN", "/usr/lib/postgresql/15/bin"))
COMMAND_TIMEOUT = 60.0


def missing_reason() -> str | None:
    """Why a private cluster cannot be made here, or None when it can."""
    for tool in ("initdb", "pg_ctl", "postgres"):
        if not (POSTGRES_BIN / tool).exists():
            return f"no PostgreSQL server binaries in {POSTGRES_BIN} (set TSUNAGU_TEST_POSTGRES_BIN)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no `postgres` OS user to run a cluster as"
    return None


async def run(*command: str) -> None:
    """Run a PostgreSQL tool (as `postgres` when we are root); fail with its output."""
    prefix = ("runuser", "-u", "postgres", "--") if os.geteuid() == 0 else ()
    process = await asyncio.create_subprocess_exec(
        *prefix, *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    try:
        output, _ = await asyncio.wait_for(process.communicate(), COMMAND_TIMEOUT)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise
    if process.returncode != 0:
        raise AssertionError(f"{' '.join(command)} failed: {output.decode(errors='replace')}")


@dataclass(frozen=True)
class PrivateCluster:
    directory: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    async def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        await run(str(POSTGRES_BIN / "pg_ctl"), "-D", str(self.directory / "data"), "-o", options,
                  "-l", str(self.directory / "log"), "-w", "start")

    async def stop(self) -> None:
        """Stop at once, as a crash or a kill would: clients are cut off mid-connection."""
        await run(str(POSTGRES_BIN / "pg_ctl"), "-D", str(self.directory / "data"), "-m", "immediate", "-w", "stop")

    async def is_running(self) -> bool:
        try:
            await run(str(POSTGRES_BIN / "pg_ctl"), "-D", str(self.directory / "data"), "status")
        except AssertionError:
            return False
        return True


@asynccontextmanager
async def private_cluster() -> AsyncIterator[PrivateCluster]:
    """A started cluster with trust authentication for `postgres` on 127.0.0.1."""
    directory = Path(tempfile.mkdtemp(prefix="tsunagu-pg-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    cluster = PrivateCluster(directory, free_port())
    try:
        await run(str(POSTGRES_BIN / "initdb"), "-D", str(directory / "data"), "-A", "trust", "-U", "postgres",
                  "--no-sync")
        await cluster.start()
        yield cluster
    finally:
        try:
            if await cluster.is_running():
                await cluster.stop()
        finally:
            shutil.rmtree(directory, ignore_errors=True)
