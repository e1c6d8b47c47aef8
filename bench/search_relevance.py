"""How well `search` finds what people mean: recall@10 and MRR over bench/search_relevance.toml.

    .venv/bin/python bench/search_relevance.py              # a temporary seeded SQLite database
    .venv/bin/python bench/search_relevance.py --latency 20 # also time each query (median, ms)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/search_relevance.py
        # PostgreSQL: seeds a new database beside the one named, and drops it afterwards

Queries go through `resolvers.search.search`, the function behind the GraphQL field, so the
figures measure matching and ranking, not the HTTP layer. `tests/test_search_relevance.py`
keeps a floor under them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import tomllib
import uuid
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import asyncpg  # noqa: E402
from tortoise import Tortoise  # noqa: E402

from database.connection import create_schema, open_database  # noqa: E402
from models import CaseStudy, Municipality, Offering, Partner, SearchKind, Theme  # noqa: E402
from resolvers.db.pagination import PageRequest  # noqa: E402
from resolvers.search import search  # noqa: E402
from seed.dataset import read_dataset  # noqa: E402
from seed.loader import load_dataset  # noqa: E402
from settings import DATA_DIR  # noqa: E402

RELEVANCE_SET = Path(__file__).with_name("search_relevance.toml")
TOP = 10


@dataclass(frozen=True)
class Judged:
    """One query of the set and the records a person expects it to find."""

    text: str
    category: str
    expected: tuple[str, ...]
    complete: bool = False


@dataclass(frozen=True)
class Outcome:
    query: Judged
    found: tuple[str, ...]

    @property
    def recall(self) -> float:
        return len(set(self.query.expected) & set(self.found)) / len(self.query.expected)

    @property
    def reciprocal_rank(self) -> float:
        ranks = [rank for rank, key in enumerate(self.found, 1) if key in self.query.expected]
        return 1 / ranks[0] if ranks else 0.0

    @property
    def precision(self) -> float:
        """The share of the results that are expected (1 when nothing is found)."""
        if not self.found:
            return 1.0
        return len(set(self.query.expected) & set(self.found)) / len(self.found)


def relevance_set(path: Path = RELEVANCE_SET) -> list[Judged]:
    with path.open("rb") as file:
        entries = tomllib.load(file)["query"]
    return [
        Judged(e["text"], e["category"], tuple(e["expected"]), e.get("complete", False))
        for e in entries
    ]


async def record_keys() -> dict[tuple[SearchKind, int], str]:
    """`KIND:key` of every searchable record, by (kind, id)."""
    keys: dict[tuple[SearchKind, int], str] = {}
    for kind, model, field in (
        (SearchKind.THEME, Theme, "number"),
        (SearchKind.MUNICIPALITY, Municipality, "code"),
        (SearchKind.PARTNER, Partner, "slug"),
        (SearchKind.OFFERING, Offering, "slug"),
        (SearchKind.CASE_STUDY, CaseStudy, "slug"),
    ):
        for object_id, value in await model.all().values_list("id", field):
            keys[(kind, object_id)] = f"{kind.value}:{value}"
    return keys


async def evaluate(queries: list[Judged]) -> list[Outcome]:
    """Run every query against the open database; fails on an expected record that does not
    exist."""
    keys = await record_keys()
    unknown = {key for q in queries for key in q.expected} - set(keys.values())
    if unknown:
        raise ValueError(f"expected records not in the seed data: {sorted(unknown)}")
    outcomes = []
    for query in queries:
        page = await search(query.text, [], PageRequest(first=TOP))
        found = tuple(keys[(hit.kind, hit.object_id)] for hit in page.items)
        outcomes.append(Outcome(query, found))
    return outcomes


@dataclass(frozen=True)
class Figures:
    recall: float
    mrr: float
    precision: float | None
    """precision@10 over the queries marked complete (None when the group has none)"""
    queries: int


def figures(outcomes: list[Outcome]) -> dict[str, Figures]:
    """The figures overall (key "all") and per category."""
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups["all"].append(outcome)
        groups[outcome.query.category].append(outcome)
    return {name: _figures(group) for name, group in groups.items()}


def _figures(group: list[Outcome]) -> Figures:
    complete = [o.precision for o in group if o.query.complete]
    return Figures(
        recall=statistics.fmean(o.recall for o in group),
        mrr=statistics.fmean(o.reciprocal_rank for o in group),
        precision=statistics.fmean(complete) if complete else None,
        queries=len(group),
    )


async def latencies(queries: list[Judged], repeat: int) -> list[float]:
    """The median time of each query, in milliseconds, over `repeat` runs."""
    medians = []
    for query in queries:
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            await search(query.text, [], PageRequest(first=TOP))
            times.append((time.perf_counter() - started) * 1000)
        medians.append(statistics.median(times))
    return medians


def report(outcomes: list[Outcome], verbose: bool) -> None:
    for name, group in sorted(figures(outcomes).items(), key=lambda item: item[0] != "all"):
        precision = f"{group.precision:.3f}" if group.precision is not None else "  -  "
        print(f"{name:12} recall@{TOP} {group.recall:.3f}  MRR {group.mrr:.3f}  "
              f"precision@{TOP} {precision}  ({group.queries} queries)")
    if verbose:
        for outcome in outcomes:
            if outcome.recall < 1 or outcome.reciprocal_rank < 1 or (
                outcome.query.complete and outcome.precision < 1
            ):
                missing = sorted(set(outcome.query.expected) - set(outcome.found))
                print(f"  {outcome.query.text!r}: recall {outcome.recall:.2f} RR "
                      f"{outcome.reciprocal_rank:.2f} missing {missing} top {list(outcome.found[:3])}")


async def seeded(url: str) -> None:
    await open_database(url, global_fallback=True)
    await create_schema()
    await load_dataset(read_dataset(DATA_DIR))


async def main(arguments: argparse.Namespace) -> None:
    base = os.environ.get("DATABASE_URL", "")
    queries = relevance_set()
    with tempfile.TemporaryDirectory() as directory:
        if base.startswith("postgres"):
            name = f"tsunagu_relevance_{uuid.uuid4().hex[:8]}"
            admin = base.replace("postgres://", "postgresql://", 1)
            connection = await asyncpg.connect(admin)
            await connection.execute(f'CREATE DATABASE "{name}"')
            url = urlunsplit(urlsplit(base)._replace(path=f"/{name}"))
        else:
            url = f"sqlite://{directory}/relevance.sqlite3"
        try:
            await seeded(url)
            report(await evaluate(queries), arguments.verbose)
            if arguments.latency:
                medians = await latencies(queries, arguments.latency)
                print(f"latency per query (median of {arguments.latency}): "
                      f"mean {statistics.fmean(medians):.2f} ms, max {max(medians):.2f} ms")
        finally:
            await Tortoise.close_connections()
            if base.startswith("postgres"):
                await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                await connection.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=int, default=0, metavar="N", help="time each query N times")
    parser.add_argument("--verbose", action="store_true", help="list the queries that fall short")
    asyncio.run(main(parser.parse_args()))
