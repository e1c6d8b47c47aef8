"""Root fields for joint procurement."""

from __future__ import annotations

from typing import Annotated

import strawberry

import models
from resolvers import procurement as procurement_resolvers
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
from schema.procurement.types import ProcurementGroup, ProcurementGroupFilter


@strawberry.type
class ProcurementQuery:
    @strawberry.field(description="Joint-procurement groups (共同調達), newest first; paged.")
    async def procurement_groups(
        self,
        filter: Annotated[
            ProcurementGroupFilter | None, strawberry.argument(description="Which groups to include.")
        ] = None,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Connection[ProcurementGroup]:
        filter = filter or ProcurementGroupFilter()
        query = procurement_resolvers.ProcurementQuery(
            status=models.ProcurementStatus(filter.status.value) if filter.status else None,
            theme_number=filter.theme_number,
            alliance_slug=filter.alliance_slug,
        )
        page = await paginate_queryset(
            procurement_resolvers.procurement_groups(query), page_request(first, after, last, before)
        )
        return to_connection(page, ProcurementGroup.from_model)
