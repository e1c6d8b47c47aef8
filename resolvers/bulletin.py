"""Bulletins: the secretariat writes and publishes them; each member reads what its tier entitles it to.

Who reads which bulletin is decided by `AUDIENCES` alone (seed 002, Q4: supporting members receive
the monthly bulletin; full members get everything supporting members get). A `Reader` applies it
to one caller, as a database filter for lists and as a test for one bulletin already loaded, so
`bulletins` and `node(id:)` always agree. Partner staff are not members: like anonymous callers
they read public bulletins only. The secretariat reads every bulletin, drafts included.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from i18n import message
from models import (
    Alliance,
    Audience,
    Bulletin,
    BulletinStatus,
    Membership,
    MembershipStatus,
    MembershipTier,
    NotificationKind,
    Role,
)
from resolvers.access import Actor
from resolvers.audit import Change, assign, created, target_of
from resolvers.calendar import now
from resolvers.errors import Refused
from resolvers.lookup import alliance_by_slug
from resolvers.notification import Recipient, notify_all

FIRST_YEAR, LAST_YEAR = 2000, 2100

# The tier of the caller's active membership of a bulletin's alliance (None: not a member) → the
# audiences it reads there.
AUDIENCES: dict[MembershipTier | None, frozenset[Audience]] = {
    None: frozenset({Audience.PUBLIC}),
    MembershipTier.SUPPORTING: frozenset({Audience.PUBLIC, Audience.ALL_MEMBERS}),
    MembershipTier.FULL: frozenset({Audience.PUBLIC, Audience.ALL_MEMBERS, Audience.FULL_MEMBERS}),
}


def tiers_entitled(audience: Audience) -> list[MembershipTier]:
    """The member tiers that read a bulletin written for `audience`."""
    return [tier for tier in MembershipTier if audience in AUDIENCES[tier]]


@dataclass(frozen=True)
class Reader:
    """One caller as a reader of bulletins.

    `everything` is the secretariat's view; otherwise `tiers` holds, per alliance id, the tier of
    the caller's municipality's active membership there.
    """

    everything: bool = False
    tiers: Mapping[int, MembershipTier] = field(default_factory=dict)

    @classmethod
    def of(cls, actor: Actor, memberships: Iterable[Membership]) -> Reader:
        """`memberships` are the caller's municipality's (ignored for any other caller)."""
        if actor.is_admin:
            return cls(everything=True)
        if actor.role is not Role.MUNICIPALITY:
            return cls()
        return cls(tiers={m.alliance_id: m.tier for m in memberships if m.status is MembershipStatus.ACTIVE})

    def may_read(self, bulletin: Bulletin) -> bool:
        if self.everything:
            return True
        entitled = AUDIENCES[self.tiers.get(bulletin.alliance_id)]
        return bulletin.status is BulletinStatus.PUBLISHED and bulletin.audience in entitled

    def condition(self) -> Q:
        """`may_read` as a filter on the bulletin table (for any reader but the secretariat)."""
        entitled = Q(audience__in=list(AUDIENCES[None]))
        for alliance_id, tier in self.tiers.items():
            entitled |= Q(alliance_id=alliance_id, audience__in=list(AUDIENCES[tier]))
        return Q(status=BulletinStatus.PUBLISHED) & entitled


@dataclass(frozen=True, kw_only=True)
class BulletinQuery:
    alliance_slug: str | None = None
    year: int | None = None
    status: BulletinStatus | None = None


def visible_bulletins(reader: Reader, query: BulletinQuery) -> QuerySet[Bulletin]:
    """The bulletins the reader may read, newest issue first."""
    queryset = Bulletin.all()
    if not reader.everything:
        queryset = queryset.filter(reader.condition())
    if query.alliance_slug is not None:
        queryset = queryset.filter(alliance__slug=query.alliance_slug)
    if query.year is not None:
        queryset = queryset.filter(year=query.year)
    if query.status is not None:
        queryset = queryset.filter(status=query.status)
    return queryset.order_by("-year", "-month", "-id")


@dataclass(frozen=True, kw_only=True)
class BulletinDraft:
    """A bulletin's fields as a mutation gives them; None leaves a field as it is on update."""

    year: int | None = None
    month: int | None = None
    title: str | None = None
    body: str | None = None
    audience: Audience | None = None


@dataclass(frozen=True)
class Publication:
    bulletin: Bulletin
    notified_count: int


def check_bulletin(bulletin: Bulletin) -> None:
    if not FIRST_YEAR <= bulletin.year <= LAST_YEAR:
        raise Refused("INVALID", message("errors.bulletin.year_range", first=FIRST_YEAR, last=LAST_YEAR), field=("input", "year"))
    if not 1 <= bulletin.month <= 12:
        raise Refused("INVALID", message("errors.bulletin.month_range"), field=("input", "month"))
    if not bulletin.title.strip():
        raise Refused("INVALID", message("errors.bulletin.title_missing"), field=("input", "title"))
    if not bulletin.body.strip():
        raise Refused("INVALID", message("errors.bulletin.body_missing"), field=("input", "body"))


async def check_issue_free(bulletin: Bulletin) -> None:
    taken = Bulletin.filter(alliance_id=bulletin.alliance_id, year=bulletin.year, month=bulletin.month)
    if bulletin.pk is not None:
        taken = taken.exclude(id=bulletin.pk)
    if await taken.exists():
        raise Refused(
            "ALREADY_EXISTS",
            message("errors.bulletin.issue_taken", year=bulletin.year, month=bulletin.month),
            field=("input", "month"),
        )


async def create_bulletin(alliance_slug: str, draft: BulletinDraft) -> Change[Bulletin]:
    """A new draft; nobody but the secretariat sees it until it is published."""
    alliance = await alliance_by_slug(alliance_slug)
    if await Alliance.exists(predecessor_id=alliance.id):
        raise Refused("INVALID", message("errors.bulletin.alliance_succeeded"), field=("input", "allianceSlug"))
    bulletin = Bulletin(
        alliance=alliance,
        year=draft.year,
        month=draft.month,
        title=(draft.title or "").strip(),
        body=draft.body or "",
        audience=draft.audience,
    )
    check_bulletin(bulletin)
    await check_issue_free(bulletin)
    await bulletin.save()
    return Change(bulletin, target_of(bulletin), created(bulletin, "alliance_id", "year", "month", "title", "audience"))


async def locked_bulletin(bulletin_id: int) -> Bulletin:
    bulletin = await Bulletin.select_for_update().get_or_none(id=bulletin_id)
    if bulletin is None:
        raise Refused("NOT_FOUND", message("errors.bulletin.no_such_bulletin"), field=("input", "bulletinId"))
    return bulletin


def require_draft(bulletin: Bulletin, step: str) -> None:
    if bulletin.status is not BulletinStatus.DRAFT:
        raise Refused(
            "INVALID_TRANSITION", message("errors.bulletin.published_already", step=message(f"errors.steps.{step}")), field=("input", "bulletinId")
        )


async def update_bulletin(bulletin_id: int, draft: BulletinDraft) -> Change[Bulletin]:
    """Drafts only: what members have been sent stays as it was sent."""
    bulletin = await locked_bulletin(bulletin_id)
    require_draft(bulletin, "changed")
    values = {name: value for name, value in vars(draft).items() if value is not None}
    if draft.title is not None:
        values["title"] = draft.title.strip()
    changes = assign(bulletin, **values)
    check_bulletin(bulletin)
    await check_issue_free(bulletin)
    await bulletin.save()
    return Change(bulletin, target_of(bulletin), changes)


async def publish_bulletin(bulletin_id: int) -> Change[Publication]:
    """Publish a draft and tell every active member municipality whose tier reads it."""
    bulletin = await locked_bulletin(bulletin_id)
    require_draft(bulletin, "published_again")
    changes = assign(bulletin, status=BulletinStatus.PUBLISHED, published_at=now())
    await bulletin.save()
    members = await Membership.filter(
        alliance_id=bulletin.alliance_id,
        status=MembershipStatus.ACTIVE,
        tier__in=tiers_entitled(bulletin.audience),
    ).values_list("municipality_id", flat=True)
    notified = await notify_all(
        [Recipient(municipality_id=municipality_id) for municipality_id in members],
        NotificationKind.BULLETIN_PUBLISHED,
        bulletin,
        "Bulletin",
        year=bulletin.year,
        month=bulletin.month,
        title=bulletin.title,
    )
    changes["notified"] = [None, notified]
    return Change(Publication(bulletin, notified), target_of(bulletin), changes)
