"""Instructions per request, counted by callgrind: a figure that repeats, however busy the VM.

Wall-clock rates on a shared VM move 10-20 % between runs, too much to see a change of a few
per cent. This serves Tsunagu's ASGI app in-process (no HTTP, no uvicorn) under
`valgrind --tool=callgrind`, answers the query a few times to warm up, then counts the
instructions of `--requests` more and prints them per request.

    .venv/bin/python bench/instructions.py Q1 Q2 Q3 --requests 10

`typename` counts `{ __typename }`: what every request costs whatever it asks. `--keep DIR`
keeps each query's dump there for `callgrind_annotate --inclusive=yes`.

The database is `--database-url` (default: the one `bench/run.py` leaves behind, at the last
scale it ran). Needs valgrind (Debian package); a request runs about 50 times slower under it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import orjson
import uvloop

BENCH = Path(__file__).resolve().parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/tsunagu_bench"
WARM_UP = 20


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("queries", nargs="+", choices=["Q1", "Q2", "Q3", "typename"])
    parser.add_argument("--requests", type=int, default=10, help="requests counted per query")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--keep", type=Path, help="a folder to keep each query's callgrind dump in")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


async def serve(name: str, requests: int) -> None:
    """Runs inside valgrind: warm up, then count `requests` answers between zero and dump."""
    sys.path[:0] = [str(BENCH.parent), str(BENCH)]  # imported here: bench/ is on the path only now
    import queries
    from asgi_lifespan import LifespanManager

    import server

    body = orjson.dumps({"query": "{ __typename }"} if name == "typename" else queries.request_body("tsunagu", name))
    async with LifespanManager(server.app()) as manager:
        for _ in range(WARM_UP):
            await answer(manager.app, body)
        callgrind("-z")
        for _ in range(requests):
            await answer(manager.app, body)
        callgrind("-d", "measured")


async def answer(app: Any, body: bytes) -> None:
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/graphql", "raw_path": b"/graphql", "query_string": b"",
        "root_path": "", "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 80),
        "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"application/json")],
    }  # fmt: skip
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop() if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    if sent[0]["status"] != 200 or b'"errors"' in sent[1]["body"]:
        raise SystemExit(f"the query failed: {sent[1]['body'][:300]!r}")


def callgrind(*arguments: str) -> None:
    subprocess.run(["callgrind_control", *arguments, str(os.getpid())], check=True, capture_output=True)


def count(name: str, args: argparse.Namespace) -> float:
    """Instructions per request for query `name`, from the dump of the measured requests."""
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory) / "callgrind.out"
        environment = os.environ | {
            "DATABASE_URL": args.database_url,
            "TSUNAGU_ENV": "production",
            "TSUNAGU_RESPONSE_CACHE_TTL": "0",
            "TSUNAGU_ANONYMOUS_POINTS_PER_MINUTE": str(10**12),
            "TSUNAGU_LOG_LEVEL": "warning",
        }
        command = [
            "valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
            sys.executable, __file__, name, "--serve", "--requests", str(args.requests),
        ]  # fmt: skip
        subprocess.run(command, env=environment, check=True, capture_output=True)
        dumps = sorted(Path(directory).glob("callgrind.out.*"))
        if not dumps:
            raise SystemExit("callgrind wrote no dump of the measured requests")
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            (args.keep / f"callgrind.{name}").write_bytes(dumps[0].read_bytes())
        for line in dumps[0].read_text().splitlines():
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1]) / args.requests
    raise SystemExit("the dump has no totals")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.serve:
        uvloop.run(serve(args.queries[0], args.requests))  # as uvicorn serves it
        return 0
    for name in args.queries:
        print(f"{name}: {count(name, args) / 1e6:.2f} M instructions per request ({args.requests} requests)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
