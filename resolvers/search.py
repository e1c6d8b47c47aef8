"""Text search over municipalities, themes, partners, offerings, case studies and challenges.

Bodies and queries are normalised alike (`resolvers.text.normalise`), then matched as substrings,
which suits Japanese (no word boundaries); a word in latin letters matches only from its start
(see `needle`). Each part of a body with kanji is followed by its katakana reading, so a query
in kana finds text written in kanji. A body has two zones, the names (name or title, other
names, their readings) and then the details, so that a match can be told to be in a name.

A query also looks for its related terms (`resolvers.synonyms`). Results are ranked by how they
match (`MatchKind`, in order), then by where the match starts. On SQLite a term of three or more
characters goes through the FTS5 trigram index; on PostgreSQL a scan with strpos finds the terms
(the pg_trgm GIN index serves the LIKE of `matching_ids`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

from tortoise import connections
from tortoise.expressions import Subquery

from database.connection import dialect
from models import CaseStudy, Offering, Partner, SearchEntry, SearchKind
from resolvers.db.pagination import Page, PageRequest, page_of, window
from resolvers.errors import InvalidArgument
from resolvers.registry import check_search_text
from resolvers.synonyms import related_terms
from resolvers.text import SPACES, normalise, reading

TRIGRAM = 3
SEPARATOR = " | "
ZONE_SEPARATOR = " || "
# A latin word this short must match a whole word (EV is not "event"); a longer one may be the
# start of a word (typing "ryuga" finds Ryugasaki).
WHOLE_WORD_MAX = 3
# The way bodies are written: raise it whenever `normalise`, `reading` or `body` change what they
# produce, and stored bodies are rebuilt when the service starts (`seed.search_bodies`).
BODY_FORMAT = 2


class MatchKind(IntEnum):
    """How a result matched, best first (the rank's first key)."""

    EXACT_NAME = 0
    NAME = 1
    RELATED_NAME = 2
    TEXT = 3
    RELATED_TEXT = 4


def _zone(parts: Sequence[str | None], read: bool) -> str:
    pieces: list[str] = []
    for part in filter(None, parts):
        written = normalise(part).strip()
        if written:
            pieces.append(written)
        kana = reading(part) if read else None
        if kana and kana.strip() != written:
            pieces.append(kana.strip())
    return SEPARATOR.join(pieces)


def body(
    names: Sequence[str | None], details: Sequence[str | None] = (), *, read: bool = True
) -> str:
    """A search body: the names zone (name or title first), then the details (see the module
    docstring), each part normalised.

    With `read`, each part with kanji is followed by its reading; without it (municipalities,
    whose official kana is one of the names) the body holds the parts as written. The body
    starts and ends with a space, so that a latin word at either end has a space on both sides.
    """
    zones = [zone for zone in (_zone(names, read), _zone(details, read)) if zone]
    return SPACES.sub(" ", f" {ZONE_SEPARATOR.join(zones)} ")


def partner_body(partner: Partner) -> str:
    return body([partner.name, partner.name_en], [partner.description])


def offering_body(offering: Offering, partner: Partner) -> str:
    return body([offering.title], [partner.name, offering.summary, *offering.legacy_goals])


def case_study_body(case: CaseStudy, places: list[str]) -> str:
    """`places` are the names of the municipalities where the case took place."""
    details = [case.organisation, case.category, *places, case.summary, case.outcome,
               case.programme, *case.co_creators]
    return body([case.title], details)


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


def needle(text: str, argument: str = "search") -> str:
    """What bodies are searched for: `text` normalised, a last latin word longer than
    `WHOLE_WORD_MAX` left open at its end."""
    folded = normalise(check_search_text(text, argument))
    words = folded.split()
    if not words:
        raise InvalidArgument(
            f"`{argument}` has nothing to look for but punctuation.", field=argument
        )
    if folded.endswith(" ") and len(words[-1]) > WHOLE_WORD_MAX:
        return folded[:-1]
    return folded


@dataclass(frozen=True)
class Term:
    written: str
    """As the caller or the list of related terms writes it."""
    needle: str


def terms(query: str) -> list[Term]:
    """The query's own term, then its related terms, leaving out any that contains another (what
    it finds, the other finds too): each term searched for costs a look-up."""
    direct = Term(query.strip(), needle(query, "query"))
    related = [Term(term, needle(term)) for term in related_terms(query)]
    needles = {direct.needle, *(term.needle for term in related)}
    return [direct, *(
        term for term in related
        if not any(other in term.needle for other in needles - {term.needle})
    )]


@dataclass(frozen=True)
class SearchHit:
    kind: SearchKind
    object_id: int
    matched_by: MatchKind
    matched_terms: tuple[str, ...]
    """The terms (the query's, then related ones, as written) its body contains."""


def matching_ids(kind: SearchKind, text: str) -> Subquery:
    """The ids of objects of one kind whose search body contains `text`."""
    return Subquery(
        SearchEntry.filter(kind=kind, body__contains=needle(text)).values("object_id")
    )


class _Statement:
    """Collects parameters and hands out the dialect's numbered placeholders (`?n` or `$n`), so
    that the SQL text need not be built in the order it reads."""

    def __init__(self, postgres: bool) -> None:
        self.postgres = postgres
        self.params: list[object] = []

    def param(self, value: object) -> str:
        self.params.append(value)
        return f"{'$' if self.postgres else '?'}{len(self.params)}"

    def where(self, terms: list[Term], kinds: list[SearchKind]) -> str:
        if self.postgres:
            # strpos is a plain substring search: on a table of this size a scan with it beats
            # LIKE (which compares multibyte text character by character) and the trigram index.
            clauses = [f"strpos(e.body, {self.param(t.needle)}) > 0" for t in terms]
        else:
            indexed = [t.needle for t in terms if len(t.needle) >= TRIGRAM]
            clauses = []
            if indexed:
                phrases = " OR ".join('"' + n.replace('"', '""') + '"' for n in indexed)
                clauses.append(
                    "e.id IN (SELECT rowid FROM search_entry_fts "
                    f"WHERE search_entry_fts MATCH {self.param(phrases)})"
                )
            short = [t.needle for t in terms if len(t.needle) < TRIGRAM]
            clauses += [f"instr(e.body, {self.param(n)}) > 0" for n in short]
        clause = f"({' OR '.join(clauses)})"
        if kinds:
            clause += f" AND e.kind IN ({', '.join(self.param(k.value) for k in kinds)})"
        return clause

    def among(self, ids: list[int]) -> str:
        """`e.id` is one of `ids`, passed as one parameter however many they are."""
        if self.postgres:
            return f"e.id = ANY({self.param(ids)}::int[])"
        return f"e.id IN (SELECT value FROM json_each({self.param(json.dumps(ids))}))"

    def ranked(self, terms: list[Term], ids: list[int]) -> str:
        """The entries `ids` (the matches), best first: by `MatchKind` (as `match_kind`), then by
        where the query starts. The inner select reads each body's names zone and the query's
        position once."""
        find = "strpos" if self.postgres else "instr"
        direct, related = terms[0], terms[1:]
        names_end = f"{find}(e.body || '{ZONE_SEPARATOR}', '{ZONE_SEPARATOR}')"
        inner = (
            f"SELECT e.kind, e.object_id, e.body, {find}(e.body, {self.param(direct.needle)}) "
            f"AS position, substr(e.body, 1, {names_end} - 1) AS names "
            f"FROM search_entry e WHERE {self.among(ids)}"
        )
        # The body's first part (after its leading space) is the query, then a separator or the end.
        first_part = f"{direct.needle.strip()} |"
        cases = [
            (f"substr(rtrim(m.names) || ' |', 2, {len(first_part)}) = {self.param(first_part)}",
             MatchKind.EXACT_NAME),
            ("m.position BETWEEN 1 AND length(m.names)", MatchKind.NAME),
        ]
        if related:
            in_names = " OR ".join(f"{find}(m.names, {self.param(t.needle)}) > 0" for t in related)
            cases.append((in_names, MatchKind.RELATED_NAME))
        cases.append(("m.position > 0", MatchKind.TEXT))
        whens = " ".join(f"WHEN {condition} THEN {kind.value}" for condition, kind in cases)
        match_kind = f"CASE {whens} ELSE {MatchKind.RELATED_TEXT.value} END"
        return (
            f"SELECT m.kind, m.object_id, m.body, {match_kind} AS match_kind FROM ({inner}) m "
            "ORDER BY match_kind, m.position, m.kind, m.object_id"
        )


async def search(text: str, kinds: list[SearchKind], request: PageRequest) -> Page[SearchHit]:
    """The matches are found once (their ids, and so their number), then the page is ranked."""
    query_terms = terms(text)
    connection = connections.get("default")
    postgres = dialect() == "postgres"

    found = _Statement(postgres)
    found_sql = f"SELECT e.id FROM search_entry e WHERE {found.where(query_terms, kinds)}"
    ids = [row["id"] for row in await connection.execute_query_dict(found_sql, found.params)]

    start, end = window(request, len(ids))
    hits: list[SearchHit] = []
    if end > start:
        page = _Statement(postgres)
        sql = page.ranked(query_terms, ids) + f" LIMIT {end - start} OFFSET {start}"
        rows = await connection.execute_query_dict(sql, page.params)
        hits = [
            SearchHit(
                SearchKind(row["kind"]),
                row["object_id"],
                MatchKind(int(row["match_kind"])),
                tuple(term.written for term in query_terms if term.needle in row["body"]),
            )
            for row in rows
        ]
    return page_of(hits, start, end, len(ids))
