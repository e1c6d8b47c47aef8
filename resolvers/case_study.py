"""Reading the case-study library."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.queryset import QuerySet

from models import CaseStudy, SearchKind
from resolvers.registry import check_municipality_code, check_prefecture_code
from resolvers.search import matching_ids


@dataclass(frozen=True, kw_only=True)
class CaseStudyQuery:
    theme_number: int | None = None
    prefecture_code: str | None = None
    municipality_code: str | None = None
    organisation: str | None = None
    search: str | None = None


def case_studies(query: CaseStudyQuery) -> QuerySet[CaseStudy]:
    queryset = CaseStudy.all()
    if query.theme_number is not None:
        queryset = queryset.filter(themes__number=query.theme_number)
    if query.prefecture_code is not None:
        queryset = queryset.filter(prefectures__code=check_prefecture_code(query.prefecture_code))
    if query.municipality_code is not None:
        queryset = queryset.filter(
            municipalities__code=check_municipality_code(query.municipality_code)
        )
    if query.organisation is not None:
        queryset = queryset.filter(organisation__contains=query.organisation.strip())
    if query.search is not None:
        queryset = queryset.filter(id__in=matching_ids(SearchKind.CASE_STUDY, query.search))
    return queryset.distinct().order_by("id")


async def case_study_by_slug(slug: str) -> CaseStudy | None:
    return await CaseStudy.get_or_none(slug=slug)
