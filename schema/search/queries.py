"""`search`: one box across municipalities, themes, partners, offerings and case studies."""

from __future__ import annotations

from typing import Annotated

import strawberry

import models
from resolvers import search as search_resolvers
from resolvers.search import SearchHit
from schema.case_study.types import CaseStudy
from schema.challenge.types import Challenge
from schema.context import Info
from schema.pagination import AfterArg, BeforeArg, FirstArg, LastArg, page_request, to_connection
from schema.partner.types import Offering, Partner
from schema.registry.types import Municipality
from schema.search.types import SearchKind, SearchResult, SearchResultConnection
from schema.theme.types import Theme

TYPES: dict[models.SearchKind, type[Municipality | Theme | Partner | Offering | CaseStudy | Challenge]] = {
    models.SearchKind.MUNICIPALITY: Municipality,
    models.SearchKind.THEME: Theme,
    models.SearchKind.PARTNER: Partner,
    models.SearchKind.OFFERING: Offering,
    models.SearchKind.CASE_STUDY: CaseStudy,
    models.SearchKind.CHALLENGE: Challenge,
}


@strawberry.type
class SearchQuery:
    @strawberry.field(
        description="Find municipalities, themes, partners, offerings, case studies and published challenges by Japanese "
        "or English text. Matches substrings; ヶ/ケ, variant kanji (龍/竜, 﨑/崎…), "
        "full-/half-width, hiragana/katakana and separators (・, spaces, dashes) are folded; a "
        "latin word matches from a word's start (whole when of three letters or fewer, as EV). A "
        "query that names a concept (脱炭素) also finds its related terms "
        "(カーボン・ニュートラル…). Name and title matches come first; each edge says why it "
        "matched."
    )
    async def search(
        self,
        info: Info,
        query: Annotated[str, strawberry.argument(description="The text to look for (1 to 100 characters).")],
        kinds: Annotated[
            list[SearchKind] | None,
            strawberry.argument(description="Only these kinds of result (default: all)."),
        ] = None,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> SearchResultConnection:
        page = await search_resolvers.search(
            query,
            [models.SearchKind(kind.value) for kind in kinds or []],
            page_request(first, after, last, before),
        )
        rows: dict[tuple[models.SearchKind, int], SearchResult] = {}
        for kind, graphql_type in TYPES.items():
            ids = [hit.object_id for hit in page.items if hit.kind is kind]
            if ids:
                loaded = await info.context.loaders.by_id(graphql_type.model).load_many(ids)
                rows.update({(kind, row.id): graphql_type.from_model(row) for row in loaded if row})

        def convert(hit: SearchHit) -> SearchResult:
            return rows[(hit.kind, hit.object_id)]

        connection = to_connection(page, convert)
        return SearchResultConnection(
            nodes=connection.nodes,
            page_info=connection.page_info,
            total_count=connection.total_count,
            hits=page.items,
            offset=page.offset,
        )
