"""The executor's floor: graphql-core alone executing a benchmark query over its finished answer.

The answer Tsunagu returned is the root value and every field uses graphql-core's default
resolver, a dictionary lookup: no database, no HTTP, no Strawberry, no DataLoader. What is left
is the executor's own work per field (collecting fields, completing values, building the result),
which any server built on graphql-core pays before it does anything useful. Timed as CPU time of
this process, the best of several batches.
"""

from __future__ import annotations

import time
from functools import cache
from typing import Any

from graphql import GraphQLSchema, build_schema, execute, parse

from bench import queries
from bench.data import ROOT

BATCHES = 5
PER_BATCH = 20


@cache
def tsunagu_schema() -> GraphQLSchema:
    return build_schema((ROOT / "schema.graphql").read_text())


def floor_ms(name: str, data: dict[str, Any]) -> float:
    """Milliseconds of CPU graphql-core needs to execute query `name` over `data`."""
    schema, document = tsunagu_schema(), parse(queries.TSUNAGU[name])
    result = execute(schema, document, root_value=data)
    if result.errors or result.data != data:
        raise RuntimeError(f"{name}: graphql-core alone did not reproduce Tsunagu's answer")
    best = float("inf")
    for _ in range(BATCHES):
        started = time.process_time()
        for _ in range(PER_BATCH):
            execute(schema, document, root_value=data)
        best = min(best, (time.process_time() - started) / PER_BATCH)
    return round(best * 1000, 3)
