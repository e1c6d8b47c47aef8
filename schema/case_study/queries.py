"""Root fields for the case-study library."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers import case_study as case_study_resolvers
from resolvers.pagination import paginate_queryset
from schema.case_study.types import CaseStudy, CaseStudyFilterArg
from schema.pagination import AfterArg, BeforeArg, Connection, FirstArg, LastArg, page_request, to_connection


@strawberry.type
class CaseStudyQuery:
    @strawberry.field(description="The case-study library, filtered; paged.")
    async def case_studies(
        self,
        filter: CaseStudyFilterArg = None,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Connection[CaseStudy]:
        query = case_study_resolvers.CaseStudyQuery()
        if filter is not None:
            query = case_study_resolvers.CaseStudyQuery(
                theme_number=filter.theme_number,
                prefecture_code=filter.prefecture_code,
                municipality_code=filter.municipality_code,
                organisation=filter.organisation,
                search=filter.search,
            )
        page = await paginate_queryset(
            case_study_resolvers.case_studies(query), page_request(first, after, last, before)
        )
        return to_connection(page, CaseStudy.from_model)

    @strawberry.field(description="A case study by its slug; null if there is none.")
    async def case_study(
        self, slug: Annotated[str, strawberry.argument(description="The case study's slug.")]
    ) -> CaseStudy | None:
        row = await case_study_resolvers.case_study_by_slug(slug)
        return CaseStudy.from_model(row) if row else None
