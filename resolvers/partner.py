"""Reading partners and their offerings."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.queryset import QuerySet

from models import Audience, Offering, OfferingKind, Partner, SearchKind
from resolvers.search import matching_ids


@dataclass(frozen=True, kw_only=True)
class OfferingQuery:
    theme_number: int | None = None
    partner_slug: str | None = None
    audience: Audience | None = None
    kind: OfferingKind | None = None
    search: str | None = None


def partners() -> QuerySet[Partner]:
    return Partner.all().order_by("name", "id")


async def partner_by_slug(slug: str) -> Partner | None:
    return await Partner.get_or_none(slug=slug)


def offerings(query: OfferingQuery) -> QuerySet[Offering]:
    queryset = Offering.all()
    if query.theme_number is not None:
        queryset = queryset.filter(themes__number=query.theme_number)
    if query.partner_slug is not None:
        queryset = queryset.filter(partner__slug=query.partner_slug)
    if query.audience is not None:
        queryset = queryset.filter(audience=query.audience)
    if query.kind is not None:
        queryset = queryset.filter(kind=query.kind)
    if query.search is not None:
        queryset = queryset.filter(id__in=matching_ids(SearchKind.OFFERING, query.search))
    return queryset.order_by("partner_id", "id")
