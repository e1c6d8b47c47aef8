"""Root fields for the registry of prefectures and municipalities."""

from __future__ import annotations

from typing import Annotated

import strawberry

import models
from resolvers import registry
from resolvers.db.pagination import paginate_queryset
from schema.pagination import (
    AfterArg,
    BeforeArg,
    Connection,
    FirstArg,
    LastArg,
    page_request,
    to_connection,
)
from schema.registry.types import Municipality, MunicipalityKind, Prefecture


@strawberry.input(description="Narrows the registry; every given field must match.")
class MunicipalityFilter:
    prefecture_code: str | None = strawberry.field(default=None, description='Only this prefecture ("01" to "47").')
    kind: MunicipalityKind | None = strawberry.field(default=None, description="Only this kind.")
    search: str | None = strawberry.field(
        default=None, description="Part of the name, reading (kana) or romaji (at most 100 characters)."
    )


@strawberry.type
class RegistryQuery:
    @strawberry.field(description="The 47 prefectures, by code.")
    async def prefectures(self) -> list[Prefecture]:
        return [Prefecture.from_model(row) for row in await registry.prefectures()]

    @strawberry.field(description='A prefecture by its two-digit code ("01" to "47").')
    async def prefecture(
        self, code: Annotated[str, strawberry.argument(description='The code, e.g. "13".')]
    ) -> Prefecture | None:
        row = await registry.prefecture_by_code(code)
        return Prefecture.from_model(row) if row else None

    @strawberry.field(description="Every municipality of Japan (members or not), by code; paged.")
    async def municipalities(
        self,
        filter: Annotated[
            MunicipalityFilter | None, strawberry.argument(description="Which municipalities to include.")
        ] = None,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Connection[Municipality]:
        filter = filter or MunicipalityFilter()
        query = registry.MunicipalityQuery(
            prefecture_code=filter.prefecture_code,
            kind=models.MunicipalityKind(filter.kind.value) if filter.kind else None,
            search=filter.search,
        )
        page = await paginate_queryset(registry.municipalities(query), page_request(first, after, last, before))
        return to_connection(page, Municipality.from_model)

    @strawberry.field(description="A municipality by its official six-digit code; null if there is none.")
    async def municipality(
        self, code: Annotated[str, strawberry.argument(description='The code with check digit, e.g. "082082".')]
    ) -> Municipality | None:
        row = await registry.municipality_by_code(code)
        return Municipality.from_model(row) if row else None
