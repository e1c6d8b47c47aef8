"""Reading alliances, their members and their statistics."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tortoise.functions import Count
from tortoise.queryset import QuerySet

from models import (
    Alliance,
    Membership,
    MembershipStatus,
    MembershipTier,
    MunicipalityKind,
)
from resolvers.db.rows import value_columns
from resolvers.db.statements import Statement, Table
from resolvers.registry import check_prefecture_code, name_matches


class MembershipOrderField(StrEnum):
    CODE = "municipality__code"
    NAME_KANA = "municipality__name_kana"
    JOINED_ON = "joined_on"


@dataclass(frozen=True, kw_only=True)
class MembershipQuery:
    tier: MembershipTier | None = None
    status: MembershipStatus | None = None
    prefecture_code: str | None = None
    kind: MunicipalityKind | None = None
    search: str | None = None
    order_by: MembershipOrderField = MembershipOrderField.CODE
    descending: bool = False


@dataclass(frozen=True)
class Tally:
    key: str
    count: int


@dataclass(frozen=True)
class AllianceStatistics:
    member_count: int
    by_tier: list[Tally]
    by_status: list[Tally]
    by_kind: list[Tally]
    by_prefecture: list[Tally]


def alliances() -> QuerySet[Alliance]:
    return Alliance.all().order_by("founded_on", "id")


ALLIANCE_BY_SLUG = Statement(Alliance, lambda slug: Alliance.filter(slug=slug).values(*value_columns(Alliance)))


async def alliance_table_by_slug(slug: str) -> Table:
    """The alliance's columns (slugs are unique: one row, or none), read as a table, for
    queries; mutations take the model from `resolvers.lookup.alliance_by_slug`, which refuses
    an unknown slug."""
    return await ALLIANCE_BY_SLUG.table(slug)


def members(alliance_id: int, query: MembershipQuery) -> QuerySet[Membership]:
    queryset = Membership.filter(alliance_id=alliance_id)
    if query.tier is not None:
        queryset = queryset.filter(tier=query.tier)
    if query.status is not None:
        queryset = queryset.filter(status=query.status)
    if query.prefecture_code is not None:
        queryset = queryset.filter(
            municipality__prefecture__code=check_prefecture_code(query.prefecture_code)
        )
    if query.kind is not None:
        queryset = queryset.filter(municipality__kind=query.kind)
    if query.search is not None:
        queryset = queryset.filter(name_matches(query.search, prefix="municipality__"))
    sign = "-" if query.descending else ""
    return queryset.order_by(f"{sign}{query.order_by.value}", f"{sign}id")


def participants(working_group_id: int) -> QuerySet[Membership]:
    return Membership.filter(
        working_group_seats__working_group_id=working_group_id,
        working_group_seats__left_on=None,
    ).order_by("municipality__code")


async def _tally(alliance_id: int, status: MembershipStatus | None, column: str) -> list[Tally]:
    queryset = Membership.filter(alliance_id=alliance_id)
    if status is not None:
        queryset = queryset.filter(status=status)
    rows = (
        await queryset.annotate(count=Count("id"))
        .group_by(column)
        .order_by(column)
        .values(column, "count")
    )
    return [Tally(str(row[column]), row["count"]) for row in rows]


async def statistics(alliance_id: int, status: MembershipStatus | None) -> AllianceStatistics:
    by_tier = await _tally(alliance_id, status, "tier")
    return AllianceStatistics(
        member_count=sum(t.count for t in by_tier),
        by_tier=by_tier,
        by_status=await _tally(alliance_id, status, "status"),
        by_kind=await _tally(alliance_id, status, "municipality__kind"),
        by_prefecture=await _tally(alliance_id, status, "municipality__prefecture__code"),
    )

