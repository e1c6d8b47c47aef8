"""Bulletins: the secretariat writes and publishes them; each member reads what its tier entitles it to.

Who reads which bulletin is decided by `AUDIENCES` alone (seed 002, Q4: supporting members receive
the monthly bulletin; full members get everything supporting members get). A `Reader` applies it
to one caller, as a database filter for lists and as a test for one bulletin already loaded, so
`bulletins` and `node(id:)` always agree. Partner staff are not members: like anonymous callers
they read public bulletins only. The secretariat reads every bulletin, drafts included.

A draft is published at once (`publish_bulletin`) or scheduled for a time (`schedule_bulletin`);
`publish_due`, run by the server's background loop (`run_publisher`, every few seconds in each
worker; the row lock lets only one publish), publishes scheduled bulletins whose time has come,
exactly as the mutation would: notifications and emails in the same transaction.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from tortoise import timezone
from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from i18n import message
from models import (
    Alliance,
    Audience,
    AuditOutcome,
    Bulletin,
    BulletinStatus,
    Membership,
    MembershipStatus,
    MembershipTier,
    NotificationKind,
    Role,
)
from resolvers.access import Actor
from resolvers.audit import Change, assign, created, record, target_of
from resolvers.bulletin_delivery import mail_bulletin
from resolvers.calendar import now
from resolvers.cluster.data_version import data_version
from resolvers.db.rows import column
from resolvers.db.transaction import committing
from resolvers.errors import Refused
from resolvers.lookup import alliance_by_slug
from resolvers.notification import Recipient, notify_all

FIRST_YEAR, LAST_YEAR = 2000, 2100
EARLIEST_SCHEDULE = dt.timedelta(minutes=1)
LATEST_SCHEDULE = dt.timedelta(days=366)
PUBLISH_INTERVAL = 5.0
LOG = logging.getLogger("tsunagu.bulletins")

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


async def reader_for(actor: Actor) -> Reader:
    """`actor` as a reader, their municipality's memberships read (outside GraphQL's loaders)."""
    memberships = await Membership.filter(municipality_id=actor.municipality_id) if actor.municipality_id else []
    return Reader.of(actor, memberships)


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
    emailed_count: int = 0


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
    if bulletin.status is BulletinStatus.SCHEDULED:
        raise Refused(
            "INVALID_TRANSITION", message("bulletins.errors.scheduled", step=message(f"errors.steps.{step}")), field=("input", "bulletinId")
        )
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


def database_time(moment: dt.datetime) -> dt.datetime:
    """A moment in the ORM's zone: SQLite compares times as text, so every stored and compared
    `publish_at` carries the same offset."""
    return timezone.localtime(moment)


async def schedule_bulletin(bulletin_id: int, publish_at: dt.datetime) -> Change[Bulletin]:
    """A draft to be published at `publish_at` (at least a minute ahead, at most a year)."""
    bulletin = await locked_bulletin(bulletin_id)
    require_draft(bulletin, "scheduled")
    moment = now()
    if publish_at.tzinfo is None or not moment + EARLIEST_SCHEDULE <= publish_at <= moment + LATEST_SCHEDULE:
        raise Refused("INVALID", message("bulletins.errors.schedule_time"), field=("input", "publishAt"))
    changes = assign(bulletin, status=BulletinStatus.SCHEDULED, publish_at=database_time(publish_at))
    await bulletin.save()
    return Change(bulletin, target_of(bulletin), changes)


async def unschedule_bulletin(bulletin_id: int) -> Change[Bulletin]:
    """A scheduled bulletin back to a draft, to be changed or scheduled again."""
    bulletin = await locked_bulletin(bulletin_id)
    if bulletin.status is not BulletinStatus.SCHEDULED:
        raise Refused("INVALID_TRANSITION", message("bulletins.errors.not_scheduled"), field=("input", "bulletinId"))
    changes = assign(bulletin, status=BulletinStatus.DRAFT, publish_at=None)
    await bulletin.save()
    return Change(bulletin, target_of(bulletin), changes)


async def publish_bulletin(bulletin_id: int, origin: str) -> Change[Publication]:
    """Publish a draft or a scheduled bulletin: tell every active member municipality whose tier
    reads it, and email each current contact of those municipalities (links under `origin`)."""
    bulletin = await locked_bulletin(bulletin_id)
    if bulletin.status is BulletinStatus.PUBLISHED:
        require_draft(bulletin, "published_again")
    changes = assign(bulletin, status=BulletinStatus.PUBLISHED, published_at=now())
    await bulletin.save()
    members = await column(
        Membership.filter(
            alliance_id=bulletin.alliance_id,
            status=MembershipStatus.ACTIVE,
            tier__in=tiers_entitled(bulletin.audience),
        ),
        "municipality_id",
    )
    notified = await notify_all(
        [Recipient(municipality_id=municipality_id) for municipality_id in members],
        NotificationKind.BULLETIN_PUBLISHED,
        bulletin,
        "Bulletin",
        year=bulletin.year,
        month=bulletin.month,
        title=bulletin.title,
    )
    emailed = await mail_bulletin(bulletin, members, origin)
    changes["notified"] = [None, notified]
    changes["emailed"] = [None, emailed]
    return Change(Publication(bulletin, notified, emailed), target_of(bulletin), changes)


async def publish_due(origin: str) -> list[int]:
    """Publish every scheduled bulletin whose time has come, each in its own transaction with its
    audit entry (by no user: the schedule); returns their ids."""
    due = await column(Bulletin.filter(status=BulletinStatus.SCHEDULED, publish_at__lte=database_time(now())), "id")
    published = []
    for bulletin_id in due:
        async with committing("publishBulletin"):
            bulletin = await Bulletin.select_for_update().get(id=bulletin_id)
            if bulletin.status is not BulletinStatus.SCHEDULED:
                continue
            done = await publish_bulletin(bulletin_id, origin)
            await record(Actor(), "publishBulletin", AuditOutcome.ACCEPTED, target=done.target, changes=done.values)
        published.append(bulletin_id)
    if published:
        await data_version.bump()  # as a mutation does: cached answers without them are stale
    return published


async def run_publisher(origin: str, stop: asyncio.Event) -> None:
    """The server's schedule: publish what is due every PUBLISH_INTERVAL seconds until `stop`."""
    while not stop.is_set():
        try:
            await publish_due(origin)
        except Exception:  # a fault (the database away) must not end the schedule for good
            LOG.exception("publishing scheduled bulletins failed")
        try:
            await asyncio.wait_for(stop.wait(), PUBLISH_INTERVAL)
        except TimeoutError:
            pass
