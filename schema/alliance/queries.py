"""Root fields for alliances."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers import alliance as alliance_resolvers
from resolvers.db.pagination import paginate_queryset
from schema.alliance.types import Alliance
from schema.pagination import (
    AfterArg,
    BeforeArg,
    Connection,
    FirstArg,
    LastArg,
    page_request,
    to_connection,
)


@strawberry.type
class AllianceQuery:
    @strawberry.field(description="The alliances, oldest first; paged.")
    async def alliances(
        self,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Connection[Alliance]:
        page = await paginate_queryset(alliance_resolvers.alliances(), page_request(first, after, last, before))
        return to_connection(page, Alliance.from_model)

    @strawberry.field(description="An alliance by its slug; null if there is none.")
    async def alliance(
        self, slug: Annotated[str, strawberry.argument(description='The slug, e.g. "expo2025".')]
    ) -> Alliance | None:
        found = Alliance.read(await alliance_resolvers.alliance_table_by_slug(slug))
        return found[0] if found else None
