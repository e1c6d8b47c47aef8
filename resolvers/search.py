"""Text search over municipalities, themes, partners, offerings, case studies and challenges.

Bodies and queries are normalised alike (`resolvers.text.normalise`), then matched as substrings,
which suits Japanese (no word boundaries); a word in latin letters matches only from its start
(see `needle`). Each part of a body with kanji is followed by its katakana reading, so a query
in kana finds text written in kanji. A body has two zones, the names (name or title, other
names, their readings) and then the details, so that a match can be told to be in a name.

A query also looks for its related terms (`resolvers.synonyms`). Results are ranked by how they
match (`MatchKind`, in order), then by where the match starts. On SQLite a term of three or more
characters goes through the FTS5 trigram index; on PostgreSQL the pg_trgm GIN index serves LIKE.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

from tortoise import connections
from tortoise.expressions import Subquery

from models import CaseStudy, Offering, Partner, SearchEntry, SearchKind
from models.database import dialect
from resolvers.errors import InvalidArgument
from resolvers.pagination import Page, PageRequest, page_of, window
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
NOT_FOUND = 1_000_000


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


def body(names: Sequence[str | None], details: Sequence[str | None] = (), *, read: bool = True) -> str:
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
    return body([case.title], [case.organisation, case.category, *places, case.summary, case.outcome,
                               case.programme, *case.co_creators])


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
        raise InvalidArgument(f"`{argument}` has nothing to look for but punctuation.", field=argument)
    if folded.endswith(" ") and len(words[-1]) > WHOLE_WORD_MAX:
        return folded[:-1]
    return folded


@dataclass(frozen=True)
class Term:
    written: str
    """As the caller or the list of related terms writes it."""
    needle: str
    related: bool


def terms(query: str) -> list[Term]:
    """The query's own term, then its related terms (none that contains the query: what it finds,
    the query finds too)."""
    direct = Term(query.strip(), needle(query, "query"), related=False)
    related = [Term(term, needle(term), related=True) for term in related_terms(query)]
    return [direct, *(term for term in related if direct.needle not in term.needle)]


@dataclass(frozen=True)
class SearchHit:
    kind: SearchKind
    object_id: int
    matched_by: MatchKind = MatchKind.TEXT
    matched_terms: tuple[str, ...] = ()


def like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def matching_ids(kind: SearchKind, text: str) -> Subquery:
    """The ids of objects of one kind whose search body contains `text`."""
    return Subquery(
        SearchEntry.filter(kind=kind, body__contains=needle(text)).values("object_id")
    )


class _Statement:
    """Collects parameters, in the order the SQL text uses them, and hands out the dialect's
    placeholders (`?` or `$n`)."""

    def __init__(self, postgres: bool) -> None:
        self.postgres = postgres
        self.params: list[object] = []

    def param(self, value: object) -> str:
        self.params.append(value)
        return f"${len(self.params)}" if self.postgres else "?"

    def where(self, terms: list[Term], kinds: list[SearchKind]) -> str:
        if self.postgres:
            clauses = [f"e.body LIKE {self.param(like_pattern(t.needle))}" for t in terms]
        else:
            indexed = [t.needle for t in terms if len(t.needle) >= TRIGRAM]
            clauses = []
            if indexed:
                phrases = " OR ".join('"' + n.replace('"', '""') + '"' for n in indexed)
                clauses.append(
                    "e.id IN (SELECT rowid FROM search_entry_fts "
                    f"WHERE search_entry_fts MATCH {self.param(phrases)})"
                )
            clauses += [f"{self.position(t)} > 0" for t in terms if len(t.needle) < TRIGRAM]
        clause = f"({' OR '.join(clauses)})"
        if kinds:
            clause += f" AND e.kind IN ({', '.join(self.param(k.value) for k in kinds)})"
        return clause

    def position(self, term: Term) -> str:
        function = "strpos" if self.postgres else "instr"
        return f"{function}(e.body, {self.param(term.needle)})"

    def in_names(self, term: Term) -> str:
        function = "strpos" if self.postgres else "instr"
        names_end = f"{function}(e.body || '{ZONE_SEPARATOR}', '{ZONE_SEPARATOR}')"
        return f"{self.position(term)} BETWEEN 1 AND {names_end}"

    def match_kind(self, terms: list[Term]) -> str:
        """The `MatchKind` of a row, as SQL."""
        direct, related = terms[0], terms[1:]
        # The body's first part (after its leading space) is the query, then a separator or the end.
        first_part = f"{direct.needle.strip()} |"
        cases = [
            (f"substr(e.body || '|', 2, {len(first_part)}) = {self.param(first_part)}",
             MatchKind.EXACT_NAME),
            (self.in_names(direct), MatchKind.NAME),
        ]
        if related:
            cases.append((" OR ".join(self.in_names(t) for t in related), MatchKind.RELATED_NAME))
        cases.append((f"{self.position(direct)} > 0", MatchKind.TEXT))
        whens = " ".join(f"WHEN {condition} THEN {kind.value}" for condition, kind in cases)
        return f"CASE {whens} ELSE {MatchKind.RELATED_TEXT.value} END"

    def first_position(self, terms: list[Term]) -> str:
        """Where the earliest match of the query, or else of a related term, starts."""
        least = "LEAST" if self.postgres else "min"
        positions = ", ".join(
            f"CASE WHEN {self.position(t)} > 0 THEN {self.position(t)} ELSE {NOT_FOUND} END"
            for t in terms[1:]
        )
        related = f"{least}({positions}, {NOT_FOUND})" if positions else str(NOT_FOUND)
        direct = self.position(terms[0])
        return f"CASE WHEN {direct} > 0 THEN {self.position(terms[0])} ELSE {related} END"


async def search(text: str, kinds: list[SearchKind], request: PageRequest) -> Page[SearchHit]:
    """One scan ranks every match (the count is their number); the page's bodies are then read by
    id, to tell which terms each result matched."""
    query_terms = terms(text)
    connection = connections.get("default")
    ranked = _Statement(dialect() == "postgres")
    ranked_sql = (
        f"SELECT e.id, e.kind, e.object_id, {ranked.match_kind(query_terms)} AS match_kind "
        f"FROM search_entry e WHERE {ranked.where(query_terms, kinds)} "
        f"ORDER BY match_kind, {ranked.first_position(query_terms)}, e.kind, e.object_id"
    )
    rows = await connection.execute_query_dict(ranked_sql, ranked.params)
    start, end = window(request, len(rows))
    page = rows[start:end]
    bodies = dict(
        await SearchEntry.filter(id__in=[row["id"] for row in page]).values_list("id", "body")
    ) if page else {}
    hits = [
        SearchHit(
            SearchKind(row["kind"]),
            row["object_id"],
            MatchKind(int(row["match_kind"])),
            tuple(term.written for term in query_terms if term.needle in bodies[row["id"]]),
        )
        for row in page
    ]
    return page_of(hits, start, end, len(rows))
