"""The root field that reports who still uses deprecated parts of the schema (secretariat only)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers import contract
from resolvers.db.pagination import paginate_queryset
from schema.contract.types import DeprecatedUsage, DeprecatedUsageFilter
from schema.node import from_row
from schema.pagination import (
    AfterArg,
    BeforeArg,
    Connection,
    FirstArg,
    LastArg,
    page_request,
    to_connection,
)
from schema.permissions import SecretariatOnly


@strawberry.type
class ContractQuery:
    @strawberry.field(
        description="Who still uses deprecated fields, arguments and enum values, one entry per caller "
        "and coordinate, by coordinate and most recent use first; paged. Secretariat only.",
        permission_classes=[SecretariatOnly],
    )
    async def deprecated_usage(
        self,
        filter: Annotated[
            DeprecatedUsageFilter | None, strawberry.argument(description="Which entries to include.")
        ] = None,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Connection[DeprecatedUsage]:
        filter = filter or DeprecatedUsageFilter()
        query = contract.UsageQuery(coordinate=filter.coordinate, user_id=filter.user_id)
        page = await paginate_queryset(contract.deprecated_usages(query), page_request(first, after, last, before))
        return to_connection(page, lambda row: from_row(DeprecatedUsage, row))
