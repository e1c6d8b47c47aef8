"""The floor: hand-written SQL through asyncpg, shaped into Tsunagu's answers, under Starlette.

Not a GraphQL server: it dispatches on `operationName` to one SQL statement per query and builds
exactly the `data` Tsunagu returns for the texts in bench/queries.py, so bench/run.py checks it
like the other servers. It runs under the same uvicorn as Tsunagu (no uvloop, httptools or
orjson), so it shows what Python, Starlette and asyncpg alone cost on this machine.

    uvicorn bench.floor:app --host 127.0.0.1 --port 8701 --no-access-log
Env: DATABASE_URL (PostgreSQL), PG_POOL_MAX (default 10).
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

SLUG = "expo2025"

MEMBERS = """
  FROM membership m
  JOIN alliance a ON a.id = m.alliance_id AND a.slug = $1
  JOIN municipality mu ON mu.id = m.municipality_id
  JOIN prefecture p ON p.id = mu.prefecture_id
"""

Q1_SQL = f"""
SELECT page.tier, page.code, page.name, page.prefecture, g.numbers, g.titles
  FROM (SELECT m.id, m.tier, mu.code, mu.name, p.name AS prefecture
        {MEMBERS}
         ORDER BY mu.code, m.id
         LIMIT 50) page
  LEFT JOIN LATERAL (
        SELECT array_agg(t.number ORDER BY w.theme_id, wp.id) AS numbers,
               array_agg(t.title ORDER BY w.theme_id, wp.id) AS titles
          FROM working_group_participant wp
          JOIN working_group w ON w.id = wp.working_group_id
          JOIN theme t ON t.id = w.theme_id
         WHERE wp.membership_id = page.id AND wp.left_on IS NULL) g ON true
 ORDER BY page.code, page.id
"""


Q2_SQL = """
SELECT t.number, t.title, pi.name AS pillar, wg.slugs, wg.counts, off.titles, off.partners
  FROM theme t
  JOIN pillar pi ON pi.id = t.pillar_id
  LEFT JOIN LATERAL (
        SELECT array_agg(a.slug ORDER BY w.alliance_id) AS slugs,
               array_agg((SELECT count(*) FROM working_group_participant wp
                           WHERE wp.working_group_id = w.id AND wp.left_on IS NULL)
                         ORDER BY w.alliance_id) AS counts
          FROM working_group w
          JOIN alliance a ON a.id = w.alliance_id
         WHERE w.theme_id = t.id) wg ON true
  LEFT JOIN LATERAL (
        SELECT array_agg(o.title ORDER BY o.id) AS titles, array_agg(pa.name ORDER BY o.id) AS partners
          FROM offering_theme ot
          JOIN offering o ON o.id = ot.offering_id
          JOIN partner pa ON pa.id = o.partner_id
         WHERE ot.theme_id = t.id) off ON true
 ORDER BY t.number
"""

Q3_SQL = f"""
SELECT m.tier, m.joined_on, mu.code, mu.name, mu.name_kana, mu.kind, p.name AS prefecture
{MEMBERS}
 ORDER BY mu.code, m.id
"""

Rows = Sequence[asyncpg.Record]


def q1_shape(rows: Rows) -> dict[str, Any]:
    return {
        "alliance": {
            "members": {
                "nodes": [
                    {
                        "tier": r["tier"],
                        "municipality": {
                            "code": r["code"],
                            "name": r["name"],
                            "prefecture": {"name": r["prefecture"]},
                        },
                        "workingGroups": [
                            {"theme": {"number": n, "title": t}}
                            for n, t in zip(r["numbers"] or (), r["titles"] or (), strict=True)
                        ],
                    }
                    for r in rows
                ]
            }
        }
    }


def q2_shape(rows: Rows) -> dict[str, Any]:
    return {
        "themes": [
            {
                "number": r["number"],
                "title": r["title"],
                "pillar": {"name": r["pillar"]},
                "workingGroups": [
                    {"alliance": {"slug": s}, "participants": {"totalCount": c}}
                    for s, c in zip(r["slugs"] or (), r["counts"] or (), strict=True)
                ],
                "offerings": [
                    {"title": t, "partner": {"name": p}}
                    for t, p in zip(r["titles"] or (), r["partners"] or (), strict=True)
                ],
            }
            for r in rows
        ]
    }


def q3_shape(rows: Rows) -> dict[str, Any]:
    return {
        "alliance": {
            "members": {
                "nodes": [
                    {
                        "tier": r["tier"],
                        "joinedOn": r["joined_on"].isoformat() if r["joined_on"] else None,
                        "municipality": {
                            "code": r["code"],
                            "name": r["name"],
                            "nameKana": r["name_kana"],
                            "kind": r["kind"],
                            "prefecture": {"name": r["prefecture"]},
                        },
                    }
                    for r in rows
                ]
            }
        }
    }


QUERIES: dict[str, tuple[str, Callable[[Rows], dict[str, Any]], tuple[Any, ...]]] = {
    "Q1": (Q1_SQL, q1_shape, (SLUG,)),
    "Q2": (Q2_SQL, q2_shape, ()),
    "Q3": (Q3_SQL, q3_shape, (SLUG,)),
}


def dsn() -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    size = int(os.environ.get("PG_POOL_MAX", "10"))
    app.state.pool = await asyncpg.create_pool(dsn(), min_size=size, max_size=size)
    yield
    await app.state.pool.close()


def json_response(document: dict[str, Any], status_code: int = 200) -> Response:
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    return Response(body, status_code=status_code, media_type="application/json")


async def graphql(request: Request) -> Response:
    body = json.loads(await request.body())
    entry = QUERIES.get(body.get("operationName"))
    if entry is None:
        return json_response({"errors": [{"message": "unknown operationName"}]}, 400)
    sql, shape, parameters = entry
    rows = await request.app.state.pool.fetch(sql, *parameters)
    return json_response({"data": shape(rows)})


app = Starlette(routes=[Route("/graphql", graphql, methods=["POST"])], lifespan=lifespan)
