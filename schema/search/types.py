"""Search results as the API shows them."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from resolvers.db.pagination import encode_cursor
from resolvers.search import SearchHit
from schema.case_study.types import CaseStudy
from schema.challenge.types import Challenge
from schema.pagination import PageInfo
from schema.partner.types import Offering, Partner
from schema.registry.types import Municipality
from schema.theme.types import Theme


@strawberry.enum(description="The kinds of thing `search` looks through.")
class SearchKind(Enum):
    _value_: str
    MUNICIPALITY = strawberry.enum_value("MUNICIPALITY", description="Municipalities of the registry.")
    THEME = strawberry.enum_value("THEME", description="The ten themes.")
    PARTNER = strawberry.enum_value("PARTNER", description="Partner organisations.")
    OFFERING = strawberry.enum_value("OFFERING", description="Partner offerings.")
    CASE_STUDY = strawberry.enum_value("CASE_STUDY", description="Case studies.")
    CHALLENGE = strawberry.enum_value("CHALLENGE", description="Published regional challenges.")


@strawberry.enum(
    description="Why a search result matched, best first: results are ranked in this order."
)
class SearchMatch(Enum):
    _value_: str
    EXACT_NAME = strawberry.enum_value(
        "EXACT_NAME", description="Its name or title is the query (notation variants folded)."
    )
    NAME = strawberry.enum_value(
        "NAME", description="Its name or title, another name, or their reading contains the query."
    )
    RELATED_NAME = strawberry.enum_value(
        "RELATED_NAME",
        description="Its name or title contains a term related to the query (see `matchedTerms`), "
        "e.g. カーボン・ニュートラル for 脱炭素.",
    )
    TEXT = strawberry.enum_value(
        "TEXT", description="Its other text (summary, description…) contains the query."
    )
    RELATED_TEXT = strawberry.enum_value(
        "RELATED_TEXT", description="Only its other text contains a term related to the query."
    )


SearchResult = Annotated[
    Municipality | Theme | Partner | Offering | CaseStudy | Challenge,
    strawberry.union("SearchResult", description="Anything `search` can find."),
]


@strawberry.type(description="An item in a connection, with the cursor that points at it.")
class SearchResultEdge:
    cursor: str = strawberry.field(description="Pass to `after` or `before` to page from this item.")
    node: SearchResult = strawberry.field(description="The item.")
    matched_by: SearchMatch = strawberry.field(description="Why the item matched the query.")
    matched_terms: list[str] = strawberry.field(
        description="The terms the item contains: the query as typed, and the related terms it was "
        "expanded to (from the list of related terms and the themes' own words)."
    )


@strawberry.type(description="A page of a list, with cursors to move through it and the list's size.")
class SearchResultConnection:
    edges: list[SearchResultEdge] = strawberry.field(
        description="The items on this page, with cursors.", resolver=lambda self: self.page_edges()
    )
    nodes: list[SearchResult] = strawberry.field(description="The items on this page, without cursors.")
    page_info: PageInfo = strawberry.field(description="How to reach the neighbouring pages.")
    total_count: int = strawberry.field(description="How many items the whole list holds.")
    hits: strawberry.Private[list[SearchHit]]
    offset: strawberry.Private[int]

    def page_edges(self) -> list[SearchResultEdge]:
        """Built when asked for: a page read through `nodes` alone encodes no cursor per item."""
        return [
            SearchResultEdge(
                cursor=encode_cursor(self.offset + i),
                node=node,
                matched_by=SearchMatch[hit.matched_by.name],
                matched_terms=list(hit.matched_terms),
            )
            for i, (node, hit) in enumerate(zip(self.nodes, self.hits, strict=True))
        ]
