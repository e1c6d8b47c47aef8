"""Text search over municipalities, themes, partners, offerings and case studies.

Bodies and queries are normalised alike (`resolvers.text.normalise`), then matched as substrings,
which suits Japanese (no word boundaries). Each part of a body with kanji is followed by its
katakana reading, so a query in kana (hiragana, katakana, half-width) finds text written in
kanji. On SQLite a query of three or more characters goes through the FTS5 trigram index; on
PostgreSQL the pg_trgm GIN index serves LIKE. Results are ranked by where the match starts
(names and titles, and their readings, come first in every body).
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise import connections
from tortoise.expressions import Subquery

from models import CaseStudy, Offering, Partner, SearchEntry, SearchKind
from models.database import dialect
from resolvers.pagination import Page, PageRequest, page_of, window
from resolvers.registry import check_search_text
from resolvers.text import normalise, reading

TRIGRAM = 3
SEPARATOR = " | "


def body(*parts: str | None, read: bool = True) -> str:
    """A search body: the parts normalised, the name or title first (see the module docstring).

    With `read`, each part with kanji is followed by its reading; without it (municipalities,
    whose official kana is one of the parts) the body holds the parts as written.
    """
    pieces: list[str] = []
    for part in filter(None, parts):
        written = normalise(part)
        pieces.append(written)
        kana = reading(part) if read else None
        if kana and kana != written:
            pieces.append(kana)
    return SEPARATOR.join(pieces)


def partner_body(partner: Partner) -> str:
    return body(partner.name, partner.name_en, partner.description)


def offering_body(offering: Offering, partner: Partner) -> str:
    return body(offering.title, partner.name, offering.summary, *offering.legacy_goals)


def case_study_body(case: CaseStudy, places: list[str]) -> str:
    """`places` are the names of the municipalities where the case took place."""
    return body(case.title, case.organisation, case.category, *places, case.summary, case.outcome,
                case.programme, *case.co_creators)


async def index(kind: SearchKind, object_id: int, text: str) -> None:
    """Add or refresh one object's search body (SQLite's FTS5 table follows by trigger)."""
    entry = await SearchEntry.get_or_none(kind=kind, object_id=object_id)
    if entry is None:
        await SearchEntry.create(kind=kind, object_id=object_id, body=text)
    elif entry.body != text:
        entry.body = text
        await entry.save(update_fields=["body"])


async def unindex(kind: SearchKind, object_id: int) -> None:
    """Remove an object that is no longer public from search."""
    await SearchEntry.filter(kind=kind, object_id=object_id).delete()


@dataclass(frozen=True)
class SearchHit:
    kind: SearchKind
    object_id: int


def like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def matching_ids(kind: SearchKind, text: str) -> Subquery:
    """The ids of objects of one kind whose search body contains `text`."""
    needle = normalise(check_search_text(text))
    return Subquery(
        SearchEntry.filter(kind=kind, body__contains=needle).values("object_id")
    )


class _Statement:
    """Collects parameters and hands out the dialect's placeholders (`?` or `$n`)."""

    def __init__(self, postgres: bool) -> None:
        self.postgres = postgres
        self.params: list[object] = []

    def param(self, value: object) -> str:
        self.params.append(value)
        return f"${len(self.params)}" if self.postgres else "?"

    def where(self, needle: str, kinds: list[SearchKind]) -> str:
        if self.postgres:
            clause = f"e.body LIKE {self.param(like_pattern(needle))}"
        elif len(needle) >= TRIGRAM:
            phrase = '"' + needle.replace('"', '""') + '"'
            clause = (
                "e.id IN (SELECT rowid FROM search_entry_fts "
                f"WHERE search_entry_fts MATCH {self.param(phrase)})"
            )
        else:
            clause = f"e.body LIKE {self.param(like_pattern(needle))} ESCAPE '\\'"
        if kinds:
            clause += f" AND e.kind IN ({', '.join(self.param(k.value) for k in kinds)})"
        return clause

    def rank(self, needle: str) -> str:
        function = "strpos" if self.postgres else "instr"
        return f"{function}(e.body, {self.param(needle)})"


async def search(text: str, kinds: list[SearchKind], request: PageRequest) -> Page[SearchHit]:
    needle = normalise(check_search_text(text, "query"))
    connection = connections.get("default")
    postgres = dialect() == "postgres"

    count = _Statement(postgres)
    count_sql = f"SELECT COUNT(*) AS n FROM search_entry e WHERE {count.where(needle, kinds)}"
    total_count = int((await connection.execute_query_dict(count_sql, count.params))[0]["n"])

    start, end = window(request, total_count)
    hits: list[SearchHit] = []
    if end > start:
        page = _Statement(postgres)
        page_sql = (
            f"SELECT e.kind, e.object_id FROM search_entry e WHERE {page.where(needle, kinds)} "
            f"ORDER BY {page.rank(needle)}, e.kind, e.object_id "
            f"LIMIT {end - start} OFFSET {start}"
        )
        rows = await connection.execute_query_dict(page_sql, page.params)
        hits = [SearchHit(SearchKind(row["kind"]), row["object_id"]) for row in rows]
    return page_of(hits, start, end, total_count)
