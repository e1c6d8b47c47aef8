"""Root fields for the case-study library."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers import case_study as case_study_resolvers
from resolvers.db.pagination import paginate_queryset
from schema.alliance.types import OrderDirection
from schema.case_study.types import (
    CaseStudy,
    CaseStudyFilter,
    CaseStudyFilterArg,
    CaseStudyOrder,
    CaseStudyOrderArg,
)
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
class CaseStudyQuery:
    @strawberry.field(description="The case-study library, filtered and ordered; paged.")
    async def case_studies(
        self,
        filter: CaseStudyFilterArg = None,
        order_by: CaseStudyOrderArg = None,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Connection[CaseStudy]:
        page = await paginate_queryset(
            case_study_resolvers.case_studies(case_study_query(filter, order_by)),
            page_request(first, after, last, before),
        )
        return to_connection(page, CaseStudy.from_model)

    @strawberry.field(description="A case study by its slug; null if there is none.")
    async def case_study(
        self, slug: Annotated[str, strawberry.argument(description="The case study's slug.")]
    ) -> CaseStudy | None:
        row = await case_study_resolvers.case_study_by_slug(slug)
        return CaseStudy.from_model(row) if row else None


def case_study_query(
    filter: CaseStudyFilter | None, order_by: CaseStudyOrder | None
) -> case_study_resolvers.CaseStudyQuery:
    filter = filter or CaseStudyFilter()
    direction = order_by.direction if order_by else None
    return case_study_resolvers.CaseStudyQuery(
        theme_number=filter.theme_number,
        prefecture_code=filter.prefecture_code,
        municipality_code=filter.municipality_code,
        organisation=filter.organisation,
        partner_slug=filter.partner_slug,
        adopted_by=filter.adopted_by,
        search=filter.search,
        order_by=case_study_resolvers.CaseStudyOrderField[order_by.field.name] if order_by else None,
        descending=None if direction is None else direction is OrderDirection.DESC,
    )
