"""Root fields for partners and offerings."""

from __future__ import annotations

from typing import Annotated

import strawberry

import models
from resolvers import offering_request as offering_request_resolvers
from resolvers import partner as partner_resolvers
from resolvers.db.pagination import paginate_queryset
from schema.context import Info
from schema.mutations import node_id
from schema.pagination import (
    AfterArg,
    BeforeArg,
    Connection,
    FirstArg,
    LastArg,
    page_request,
    to_connection,
)
from schema.partner.types import (
    Offering,
    OfferingFilterArg,
    OfferingRequest,
    OfferingRequestFilter,
    Partner,
)
from schema.permissions import SignedIn


@strawberry.type
class PartnerQuery:
    @strawberry.field(description="The partner organisations, by name; paged.")
    async def partners(
        self,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Connection[Partner]:
        page = await paginate_queryset(partner_resolvers.partners(), page_request(first, after, last, before))
        return to_connection(page, Partner.from_model)

    @strawberry.field(description="A partner by its slug; null if there is none.")
    async def partner(
        self, slug: Annotated[str, strawberry.argument(description="The partner's slug.")]
    ) -> Partner | None:
        row = await partner_resolvers.partner_by_slug(slug)
        return Partner.from_model(row) if row else None

    @strawberry.field(description="Partner offerings, filtered; paged.")
    async def offerings(
        self,
        filter: OfferingFilterArg = None,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Connection[Offering]:
        query = partner_resolvers.OfferingQuery()
        if filter is not None:
            query = partner_resolvers.OfferingQuery(
                theme_number=filter.theme_number,
                partner_slug=filter.partner_slug,
                audience=models.Audience(filter.audience.value) if filter.audience else None,
                kind=models.OfferingKind(filter.kind.value) if filter.kind else None,
                search=filter.search,
                status=models.OfferingStatus(filter.status.value) if filter.status else None,
            )
        page = await paginate_queryset(partner_resolvers.offerings(query), page_request(first, after, last, before))
        return to_connection(page, Offering.from_model)

    @strawberry.field(
        description="Offering requests the caller may see, newest first; paged: the secretariat "
        "sees all, municipality staff their municipality's, partner staff those for their offerings.",
        permission_classes=[SignedIn],
    )
    async def offering_requests(
        self,
        info: Info,
        filter: Annotated[
            OfferingRequestFilter | None, strawberry.argument(description="Which requests to include.")
        ] = None,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Connection[OfferingRequest]:
        filter = filter or OfferingRequestFilter()
        query = offering_request_resolvers.OfferingRequestQuery(
            status=models.OfferingRequestStatus(filter.status.value) if filter.status else None,
            offering_id=node_id(filter.offering_id, "Offering", "offeringId", argument="filter") if filter.offering_id else None,
        )
        queryset = offering_request_resolvers.visible_requests(info.context.actor, query)
        page = await paginate_queryset(queryset, page_request(first, after, last, before))
        return to_connection(page, OfferingRequest.from_model)
