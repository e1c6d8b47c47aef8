"""Side-by-side load benchmark: Tsunagu against PostGraphile 5 on Tsunagu's own PostgreSQL tables.

For each `--scale` it (1) recreates the database, seeds it with `tsunagu seed`, adds expo2025's
working-group participants and N-1 copies of expo2025 (bench/data.py); (2) for each `--workers`
count, starts every server on 127.0.0.1: Tsunagu once per `--modes` entry (uncached: response
cache off; cached: on), PostGraphile (production, pool 10 per worker) and, with `--floor`,
bench/floor.py; with one worker each is one process pinned to CPU 1, with more the servers are
not pinned (Tsunagu `serve --workers N`, PostGraphile under Node's cluster); (3) checks that all return the same data for Q1-Q3 once
PostGraphile's field names are mapped onto Tsunagu's (bench/queries.py); (4) per query and
server runs a warm-up and then `wrk -t1 -c16 -dNs` pinned to CPU 0, `--repeat` times, keeping
the median by req/s, while it samples the server's resident memory and (Tsunagu) diffs its SQL
statements-per-request histogram at /metrics, then Q1 once more with one connection (latency
without queueing); (5) stops the servers by PID, also on error, Ctrl-C or SIGTERM.
It prints the tables and the issue's goals and writes bench/results/<label>.json and .md.

`--sqlite` measures Tsunagu alone on a temporary SQLite file (PostGraphile needs PostgreSQL).

Run:  .venv/bin/python bench/run.py [--scale 1,20] [--workers 1,2] [--modes uncached,cached] [--duration 10]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench import data, executor, queries, servers  # noqa: E402 (run as a script: the path above first)

TSUNAGU = Path(sys.executable).parent / "tsunagu"
UVICORN = Path(sys.executable).parent / "uvicorn"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tsunagu_bench"
RESULTS = HERE / "results"
MODES = {"uncached": 0, "cached": None}  # cache TTL in seconds; None: --cache-ttl
RSS_SAMPLE_S = 0.25
# The goals the issues set, checked in the summary: uncached req/s as a multiple of PostGraphile's
# per query, p99 no higher than PostGraphile's, statements per request, Q1's latency at scale.
UNCACHED_GOAL = {"Q1": 1.0, "Q2": 1.0, "Q3": 1.5}
STATEMENTS_GOAL, SCALE_GOAL = 3, 1.15

NO_ANSWER = "no request completed within the run: lengthen --duration"

Cell = dict[str, Any]


# --------------------------------------------------------------------------- load


def wrk(
    server: servers.Server,
    name: str,
    seconds: float,
    args: argparse.Namespace,
    connections: int | None = None,
) -> Cell:
    """One bounded wrk run against `server` with query `name`; samples the server's RSS meanwhile."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as body:
        json.dump(queries.request_body(server.kind, name), body)
    argv = servers.pinned(
        args.loadgen_cpus,
        [
            "wrk",
            "-t1",
            f"-c{connections or args.connections}",
            f"-d{seconds:g}s",
            "--timeout",
            "10s",
            "-s",
            str(HERE / "post.lua"),
            server.url,
        ],
    )
    env = {**os.environ, "BODY_FILE": body.name, "MAX_REQUESTS": str(args.max_requests)}
    peak = 0
    try:
        process = subprocess.Popen(
            argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        deadline = time.monotonic() + seconds + 30
        while process.poll() is None:
            peak = max(peak, servers.tree_rss_kib(server.pid))
            if time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"wrk did not finish within {seconds + 30:g} s")
            time.sleep(RSS_SAMPLE_S)
        out, err = process.communicate()
    finally:
        os.unlink(body.name)
    line = next((line for line in out.splitlines() if line.startswith("WRK_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk produced no summary:\n{out}\n{err}")
    cell = json.loads(line.removeprefix("WRK_JSON "))
    cell["rss_peak_mib"] = round(max(peak, servers.tree_rss_kib(server.pid)) / 1024, 1)
    cell["errors"] = sum(value for key, value in cell.items() if key.startswith("err_"))
    cell["capped"] = cell["requests"] >= args.max_requests
    if not cell["requests"]:  # nothing answered within the run: no latency to report
        cell.update({key: None for key in cell if key.startswith("lat_")})
    return cell


def measure(server: servers.Server, name: str, args: argparse.Namespace) -> Cell:
    if args.warmup:
        wrk(server, name, args.warmup, args)
        servers.wait_idle(server)
    runs = []
    for _ in range(args.repeat):
        before = servers.statements(server) if server.kind == "tsunagu" else {}
        run = wrk(server, name, args.duration, args)
        run["drain_s"] = servers.wait_idle(server)
        if server.kind == "tsunagu":
            total, count = _diff(before, servers.statements(server), name)
            run["sql_statements"], run["sql_requests"] = total, count
            run["sql_per_request"] = round(total / count, 2) if count else None
        runs.append(run)
    runs.sort(key=lambda run: run["rps"])
    return runs[len(runs) // 2] | {"all_rps": [run["rps"] for run in runs]}


def _diff(
    before: dict[str, tuple[float, float]], after: dict[str, tuple[float, float]], op: str
) -> tuple[float, float]:
    start, end = before.get(op, (0.0, 0.0)), after.get(op, (0.0, 0.0))
    return end[0] - start[0], end[1] - start[1]


# --------------------------------------------------------------------------- checks


def fetch(server: servers.Server, name: str) -> tuple[dict[str, Any], int]:
    response = httpx.post(
        server.url,
        json=queries.request_body(server.kind, name),
        headers={"accept": "application/json"},
        timeout=60.0,
    )
    document = response.json()
    if response.status_code != 200 or document.get("errors"):
        errors = json.dumps(document.get("errors"), ensure_ascii=False)[:600]
        hint = ""
        if name == "Q3" and server.kind == "tsunagu":
            hint = (
                "\n  Q3 needs Alliance.members to accept first: 1000; until the server "
                "does, run with --queries Q1,Q2"
            )
        raise RuntimeError(
            f"{server.name} refused {name} (HTTP {response.status_code}): {errors}{hint}"
        )
    return queries.normalise(server.kind, name, document), len(response.content)


def verify(running: list[servers.Server], names: list[str]) -> dict[str, Any]:
    """Every server's normalised answer to every query must be the same document."""
    checks = {}
    for name in names:
        answers = {server.name: fetch(server, name) for server in running}
        reference_name, (reference, _) = next(iter(answers.items()))
        for server_name, (document, _) in answers.items():
            if document != reference:
                raise RuntimeError(f"{name}: {server_name}'s data differs from {reference_name}'s")
        items = queries.items(name, reference)
        if items != queries.EXPECTED_ITEMS[name]:
            raise RuntimeError(f"{name}: {items} items, expected {queries.EXPECTED_ITEMS[name]}")
        digest = hashlib.sha256(json.dumps(reference, sort_keys=True).encode()).hexdigest()[:16]
        sizes = {server_name: size for server_name, (_, size) in answers.items()}
        floor = executor.floor_ms(name, reference["data"])
        checks[name] = {
            "items": items, "bytes": sizes, "sha256_16": digest, "graphql_core_alone_ms": floor
        }
        print(
            f"  {name}: same data from {', '.join(answers)} ({items} items; sha256 {digest}; bytes "
            + ", ".join(f"{s}={b}" for s, b in sizes.items())
            + f"); graphql-core alone executes it in {floor} ms"
        )
    return checks


# --------------------------------------------------------------------------- one scale


def prepare(database_url: str, scale: int) -> dict[str, int]:
    if database_url.startswith("postgres"):
        asyncio.run(data.recreate_postgres_database(database_url))
    started = time.perf_counter()
    last = data.seed(TSUNAGU, database_url)
    seats = asyncio.run(data.add_participation(database_url))
    print(
        f"  seeded in {time.perf_counter() - started:.1f} s ({last}); {seats} working-group seats"
    )
    if not database_url.startswith("postgres"):
        return {}
    counts = asyncio.run(data.scale_alliance(database_url, scale))
    print("  rows: " + ", ".join(f"{table} {count}" for table, count in counts.items()))
    return counts


def with_pool(url: str, pool: int) -> str:
    """Tortoise reads its asyncpg pool size from the URL; match PostGraphile's pool."""
    return url if not url.startswith("postgres") or "?" in url else f"{url}?maxsize={pool}"


def start_all(
    database_url: str, args: argparse.Namespace, log_dir: Path, workers: int
) -> list[servers.Server]:
    cpus = args.server_cpus if workers == 1 else None
    running: list[servers.Server] = []
    for mode in args.modes:
        ttl = MODES[mode] if MODES[mode] is not None else args.cache_ttl
        name = "tsunagu" if mode == "uncached" else f"tsunagu-{mode}"
        running.append(
            servers.start_tsunagu(
                name, with_pool(database_url, args.pool), ttl, cpus, log_dir, TSUNAGU, workers
            )
        )
    if args.postgraphile:
        running.append(
            servers.start_postgraphile(database_url, args.pool, cpus, log_dir, workers)
        )
    if args.floor:
        if workers > 1:
            raise RuntimeError("--floor measures one worker only")
        running.append(
            servers.start_floor(database_url, args.pool, cpus, log_dir, UVICORN)
        )
    return running


def run_scale(
    database_url: str, scale: int, args: argparse.Namespace, log_dir: Path
) -> list[dict[str, Any]]:
    """One result per `--workers` count, on the same data."""
    print(f"\n== scale {scale}: {database_url}")
    counts = prepare(database_url, scale)
    return [run_workers(database_url, scale, workers, counts, args, log_dir) for workers in args.worker_counts]


def run_workers(
    database_url: str, scale: int, workers: int, counts: dict[str, int], args: argparse.Namespace, log_dir: Path
) -> dict[str, Any]:
    print(f"\n== scale {scale}, {workers} worker{'s' if workers > 1 else ''} per server")
    running = start_all(database_url, args, log_dir, workers)
    try:
        for server in running:
            servers.wait_ready(server, queries.request_body(server.kind, "Q2"))
        print("  servers: " + ", ".join(f"{s.name} (pid {s.pid}, :{s.port})" for s in running))
        checks = verify(running, args.queries)
        cells: dict[str, Cell] = {}
        for name in args.queries:
            for server in running:
                print(f"  {name} {server.name:<15}", end="", flush=True)
                cell = cells[f"{name}/{server.name}"] = measure(server, name, args)
                print(_line(cell))
        one_worker = workers == 1 and "Q1" in args.queries and args.latency
        latency = one_at_a_time(running, args) if one_worker else {}
        idle = {
            server.name: round(servers.tree_rss_kib(server.pid) / 1024, 1) for server in running
        }
    finally:
        for server in running:
            servers.stop(server)
    return {
        "scale": scale,
        "workers": workers,
        "rows": counts,
        "servers": [servers.describe(s) for s in running],
        "verify": checks,
        "results": cells,
        "q1_one_at_a_time": latency,
        "rss_after_mib": idle,
    }


def one_at_a_time(running: list[servers.Server], args: argparse.Namespace) -> dict[str, Cell]:
    """Q1 with one connection: the latency of a request without queueing behind 15 others,
    which is what the scale goal compares."""
    cells = {}
    for server in running:
        print(f"  Q1 {server.name:<15}", end="", flush=True)
        cell = cells[server.name] = wrk(server, "Q1", args.duration, args, connections=1)
        cell["drain_s"] = servers.wait_idle(server)
        print(_line(cell) + "  (one connection)")
    return cells


def ms(cell: Cell, key: str) -> str:
    """A wrk latency in milliseconds, or n/a when no request completed."""
    return "n/a" if cell[key] is None else f"{cell[key] / 1000:.2f}"


def _line(cell: Cell) -> str:
    text = (
        f"{cell['rps']:9.1f} req/s  p50 {ms(cell, 'lat_p50_us'):>8} ms  "
        f"p99 {ms(cell, 'lat_p99_us'):>8} ms  RSS {cell['rss_peak_mib']:6.1f} MiB  "
        f"errors {cell['errors']}"
    )
    if cell.get("sql_per_request") is not None:
        text += f"  SQL/req {cell['sql_per_request']:g}"
    if cell["capped"]:
        text += "  (hit --max-requests: req/s understated)"
    if not cell["requests"]:
        text += f"  ({NO_ANSWER})"
    return text


# --------------------------------------------------------------------------- report


def table(result: dict[str, Any], args: argparse.Namespace) -> str:
    workers = result["workers"]
    rss = "RSS MiB" if workers == 1 else f"RSS MiB (all / {workers} workers)"
    lines = [
        f"| query | server | req/s | p50 ms | p99 ms | × PostGraphile | SQL/req | {rss} | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    cells = result["results"]
    for name in args.queries:
        reference = cells.get(f"{name}/postgraphile")
        for server in result["servers"]:
            cell = cells[f"{name}/{server['name']}"]
            ratio = (
                f"{cell['rps'] / reference['rps']:.2f}×"
                if reference and reference["rps"] and server["kind"] != "postgraphile"
                else ""
            )
            sql = "" if cell.get("sql_per_request") is None else f"{cell['sql_per_request']:g}"
            runs = (
                f" ({', '.join(f'{r:.0f}' for r in cell['all_rps'])})"
                if len(cell["all_rps"]) > 1
                else ""
            )
            memory = f"{cell['rss_peak_mib']:.0f}" + (
                f" / {cell['rss_peak_mib'] / workers:.0f}" if workers > 1 else ""
            )
            lines.append(
                f"| {name} | {server['name']} | {cell['rps']:.0f}{runs} | {ms(cell, 'lat_p50_us')} "
                f"| {ms(cell, 'lat_p99_us')} | {ratio} | {sql} | {memory} "
                f"| {cell['errors']} |"
            )
    return "\n".join(lines)


def mark(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def goals(results: list[dict[str, Any]], args: argparse.Namespace) -> list[str]:
    """The issues' goals, each with the measured figure and ok / MISSED, on one worker; with
    several worker counts, each server's scaling factor against one worker."""
    out = []
    single = [result for result in results if result["workers"] == 1]
    for result in single:
        cells, scale = result["results"], result["scale"]
        for name in args.queries:
            reference, cell = cells.get(f"{name}/postgraphile"), cells.get(f"{name}/tsunagu")
            if reference and reference["rps"] and cell:
                ratio, goal = cell["rps"] / reference["rps"], UNCACHED_GOAL[name]
                note = "" if cell["requests"] else f" ({NO_ANSWER})"
                out.append(
                    f"scale {scale} {name} uncached: {ratio:.2f}× PostGraphile "
                    f"(goal ≥ {goal}×) {mark(ratio >= goal)}{note}"
                )
                if cell["lat_p99_us"] is not None and reference["lat_p99_us"] is not None:
                    ours, theirs = cell["lat_p99_us"] / 1000, reference["lat_p99_us"] / 1000
                    out.append(
                        f"scale {scale} {name} p99 at c{args.connections}: {ours:.1f} ms, "
                        f"PostGraphile {theirs:.1f} ms (goal: no higher) {mark(ours <= theirs)}"
                    )
            if cell and cell.get("sql_per_request") is not None:
                per = cell["sql_per_request"]
                out.append(
                    f"scale {scale} {name}: {per:g} SQL statements per request "
                    f"(goal ≤ {STATEMENTS_GOAL}) {mark(per <= STATEMENTS_GOAL)}"
                )
    out += scaling(results, args)
    # One connection if measured (no queueing), else the loaded p50.
    q1 = {
        result["scale"]: result.get("q1_one_at_a_time", {}).get("tsunagu")
        or result["results"].get("Q1/tsunagu")
        for result in single
    }
    base = (q1.get(1) or {}).get("lat_p50_us")
    for scale, cell in q1.items():
        loaded = (cell or {}).get("lat_p50_us")
        if base and loaded and scale != 1:
            change = loaded / base
            out.append(
                f"Q1 p50 latency at scale {scale}: {change:.2f}× scale 1 "
                f"(goal ≤ {SCALE_GOAL}×) {mark(change <= SCALE_GOAL)}"
            )
    return out


def scaling(results: list[dict[str, Any]], args: argparse.Namespace) -> list[str]:
    """req/s with N workers over req/s with one, per scale, query and server (no goal set)."""
    one = {result["scale"]: result["results"] for result in results if result["workers"] == 1}
    out = []
    for result in results:
        workers, base = result["workers"], one.get(result["scale"])
        if workers == 1 or base is None:
            continue
        for name in args.queries:
            factors = [
                f"{server['name']} {cell['rps'] / before['rps']:.2f}×"
                for server in result["servers"]
                if (cell := result["results"].get(f"{name}/{server['name']}"))
                and (before := base.get(f"{name}/{server['name']}"))
                and before["rps"]
            ]
            out.append(
                f"scale {result['scale']} {name}, {workers} workers against one: " + ", ".join(factors)
            )
    return out


def versions(database_url: str) -> dict[str, Any]:
    def first_line(argv: list[str]) -> str:
        try:
            done = subprocess.run(argv, check=False, capture_output=True, text=True, timeout=20)
            return (done.stdout or done.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired) as error:
            return f"unavailable ({error})"

    def git(*argv: str) -> str:
        return subprocess.run(
            ["git", *argv], check=False, cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()

    found: dict[str, Any] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "wrk": first_line(["wrk", "-v"]),
        "git_commit": git("rev-parse", "HEAD"),
        "git_dirty": git("status", "--porcelain").splitlines(),
    }
    if database_url.startswith("postgres"):
        found["postgresql"] = first_line(
            ["psql", data.without_query(database_url), "-Atc", "SHOW server_version"]
        )
    with_node = HERE / "node_modules" / "postgraphile" / "package.json"
    if with_node.exists():
        found["postgraphile"] = json.loads(with_node.read_text())["version"]
        found["node"] = first_line([servers.node_binary(), "--version"])
    return found


def write(report: dict[str, Any], text: str, label: str) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{label}.json").write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    (RESULTS / f"{label}.md").write_text(text + "\n")
    print(f"\nwrote bench/results/{label}.json and bench/results/{label}.md")


def render(report: dict[str, Any], args: argparse.Namespace) -> str:
    parts = [
        f"# {report['label']} ({report['when']})",
        "",
        (
            f"wrk -t1 -c{args.connections} -d{args.duration:g}s after a {args.warmup:g} s warm-up, "
            f"repeat {args.repeat} (median by req/s); one-worker servers on CPU {args.server_cpus}, "
            f"several workers unpinned; wrk on CPU {args.loadgen_cpus} (PostgreSQL unpinned); pool "
            f"{args.pool} per worker; RSS is the peak under load of the server's process tree."
        ),
    ]
    for result in report["scales"]:
        rows, workers = result["rows"], result["workers"]
        placing = (
            f"one worker per server, on CPU {args.server_cpus}"
            if workers == 1 and args.server_cpus
            else f"{workers} worker{'s' if workers > 1 else ''} per server, not pinned"
        )
        parts += [
            "",
            f"## scale {result['scale']}, {placing}"
            + (
                f" ({rows['membership']} memberships, {rows['working_group_participant']} "
                f"working-group seats)"
                if rows
                else ""
            ),
            "",
            table(result, args),
        ]
        parts += [
            "",
            "graphql-core's executor alone, which Tsunagu's compiled plans stand in for on queries "
            "(bench/executor.py: the answer as root value, default resolvers, no database or HTTP), "
            "CPU per execution: "
            + "; ".join(
                f"{name} {check['graphql_core_alone_ms']} ms"
                f" (at most {1000 / check['graphql_core_alone_ms']:.0f}/s on one core)"
                for name, check in result["verify"].items()
            ),
        ]
        if latency := result.get("q1_one_at_a_time"):
            parts += [
                "",
                "Q1 one request at a time (`wrk -c1`): "
                + "; ".join(
                    f"{name} p50 {ms(cell, 'lat_p50_us')} ms, p99 "
                    f"{ms(cell, 'lat_p99_us')} ms ({cell['rps']:.0f} req/s)"
                    for name, cell in latency.items()
                ),
            ]
    if report["goals"]:
        parts += ["", "## goals", ""] + [f"- {line}" for line in report["goals"]]
    parts += ["", "command: `" + " ".join(report["argv"]) + "`"]
    return "\n".join(parts)


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    add = parser.add_argument
    add(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="PostgreSQL database to recreate and load",
    )
    add("--sqlite", action="store_true", help="Tsunagu alone on a temporary SQLite file")
    add("--scale", default="1", help="comma-separated data scales, e.g. 1,20 (default 1)")
    add(
        "--workers",
        default="1",
        help="comma-separated worker counts per server, e.g. 1,2 (default 1); above one, not pinned",
    )
    add(
        "--modes",
        default="uncached",
        help="Tsunagu modes: uncached, cached or both (comma-separated)",
    )
    add("--cache-ttl", type=int, default=300, help="response cache TTL (s) for the cached mode")
    add("--queries", default="Q1,Q2,Q3")
    add("--no-postgraphile", dest="postgraphile", action="store_false", help="Tsunagu only")
    add("--floor", action="store_true", help="also the bare Starlette + asyncpg floor (floor.py)")
    add(
        "--no-latency",
        dest="latency",
        action="store_false",
        help="skip the one-connection Q1 run (the scale goal's latency)",
    )
    add("--duration", type=float, default=10.0, help="seconds per measurement (default 10)")
    add("--warmup", type=float, default=3.0, help="seconds of warm-up per query and server")
    add("--connections", type=int, default=16)
    add("--repeat", type=int, default=1, help="measurements per cell; the median req/s is kept")
    add("--max-requests", type=int, default=500_000, help="hard cap on requests per wrk run")
    add("--pool", type=int, default=10, help="PostgreSQL connections per server")
    add("--no-pin", dest="pin", action="store_false", help="do not pin with taskset")
    add("--label", help="results file name (default scale<N>[-<M>])")
    args = parser.parse_args(argv)
    args.scales = [int(s) for s in args.scale.split(",")]
    args.worker_counts = [int(w) for w in args.workers.split(",")]
    args.modes = args.modes.split(",")
    args.queries = args.queries.split(",")
    if unknown := set(args.modes) - set(MODES):
        parser.error(f"unknown mode(s): {', '.join(sorted(unknown))}")
    if unknown := set(args.queries) - set(queries.NAMES):
        parser.error(f"unknown query(ies): {', '.join(sorted(unknown))}")
    if args.sqlite:
        if args.scales != [1]:
            parser.error("--scale needs PostgreSQL")
        args.postgraphile = args.floor = False
    args.server_cpus = os.environ.get("SERVER_CPUS", "1") if args.pin else None
    args.loadgen_cpus = os.environ.get("LOADGEN_CPUS", "0") if args.pin else None
    args.label = args.label or "scale" + "-".join(str(s) for s in args.scales) + (
        "-sqlite" if args.sqlite else ""
    )
    return args


def interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Ctrl-C and SIGTERM unwind through the `finally` blocks that stop the servers.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, interrupt)
    if not shutil.which("wrk"):
        print("wrk not found: apt-get install -y wrk", file=sys.stderr)
        return 2
    log_dir = RESULTS / "logs" / args.label
    log_dir.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="tsunagu-bench-"))
    database_url = f"sqlite://{workdir / 'bench.sqlite3'}" if args.sqlite else args.database_url
    print(
        f"pinning: one-worker servers on CPU {args.server_cpus}, wrk on CPU {args.loadgen_cpus}; logs in {log_dir}"
    )
    try:
        results = [result for scale in args.scales for result in run_scale(database_url, scale, args, log_dir)]
    except RuntimeError as error:
        print(f"\nbenchmark stopped: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted; the servers were stopped", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report = {
        "label": args.label,
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "argv": ["bench/run.py", *(argv if argv is not None else sys.argv[1:])],
        "args": {k: v for k, v in vars(args).items()},
        "versions": versions(database_url),
        "scales": results,
        "goals": goals(results, args),
    }
    text = render(report, args)
    print("\n" + text)
    write(report, text, args.label)
    return 1 if any(cell["errors"] for r in results for cell in r["results"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
