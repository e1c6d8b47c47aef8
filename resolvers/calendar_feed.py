"""An account's calendar feed: a secret URL a calendar app subscribes to.

A calendar app cannot sign in, so the URL carries a secret token (`issue_feed`); only the token's
SHA-256 digest is stored, and issuing again replaces it. A feed lists the upcoming events of the
alliance that the account's tier may attend, and the events its municipality registered for, as
its user would see them (the meeting URL only where they may see it).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.expressions import Q

from models import (
    Audience,
    CalendarFeed,
    Event,
    EventKind,
    EventRegistration,
    Membership,
    MembershipStatus,
    MembershipTier,
    Role,
    User,
)
from resolvers.access import Actor
from resolvers.accounts import digest
from resolvers.audit import Change, created, target_of
from resolvers.calendar import now
from resolvers.db.rows import column
from resolvers.entitlements import ONLINE_ATTENDANCE
from resolvers.event import LIVE, Status, may_see_meeting_url
from resolvers.event_calendar import Entry
from resolvers.lookup import alliance_by_slug

FEED_TOKEN_PREFIX = "cal_"
FEED_TOKEN_BYTES = 32
MAX_FEED_TOKEN_LENGTH = 128


@dataclass(frozen=True)
class IssuedFeed:
    feed: CalendarFeed
    token: str

    @property
    def path(self) -> str:
        return f"/calendar/{self.token}.ics"


async def issue_feed(actor: Actor) -> Change[IssuedFeed]:
    """A new secret feed address for the caller; the one issued before stops working."""
    assert actor.user_id is not None, "the mutation's rule admits signed-in callers only"
    token = FEED_TOKEN_PREFIX + secrets.token_urlsafe(FEED_TOKEN_BYTES)
    replaced = await CalendarFeed.filter(user_id=actor.user_id).delete()
    feed = await CalendarFeed.create(user_id=actor.user_id, digest=digest(token))
    values = created(feed, "user_id")
    values["replaced"] = [None, bool(replaced)]
    return Change(IssuedFeed(feed, token), target_of(feed), values)


async def feed_owner(token: str) -> User | None:
    """The user whose feed the token opens; None for a token that opens none."""
    if not token.startswith(FEED_TOKEN_PREFIX) or len(token) > MAX_FEED_TOKEN_LENGTH:
        return None
    feed = await CalendarFeed.get_or_none(digest=digest(token)).select_related("user")
    return feed.user if feed is not None else None


def actor_of_user(user: User) -> Actor:
    """The feed reads as its user would: same role and organisation, nothing more."""
    return Actor(
        user_id=user.id,
        role=user.role,
        municipality_id=user.municipality_id,
        partner_id=user.partner_id,
        language=user.language,
    )


async def attendable(actor: Actor, alliance_id: int) -> Q:
    """The events the account's tier may attend (`resolvers.event.check_audience` as a filter)."""
    if actor.role is Role.ADMIN:
        return Q()
    public = Q(audience=Audience.PUBLIC)
    if actor.role is Role.PARTNER:
        return public | Q(partner_id=actor.partner_id)
    membership = await Membership.get_or_none(alliance_id=alliance_id, municipality_id=actor.municipality_id)
    if membership is None or membership.status is not MembershipStatus.ACTIVE:
        return public
    if membership.tier is MembershipTier.FULL:
        return Q()
    online_seminar = Q(audience=Audience.ALL_MEMBERS, kind=EventKind.SEMINAR, format__in=ONLINE_ATTENDANCE)
    return public | online_seminar


async def feed_entries(user: User, alliance_slug: str) -> list[Entry]:
    """Upcoming events of the alliance the account may attend, and its municipality's own."""
    actor = actor_of_user(user)
    alliance = await alliance_by_slug(alliance_slug)
    registered = Q(id__in=[])
    if actor.municipality_id is not None:
        own = await column(
            EventRegistration.filter(municipality_id=actor.municipality_id, status__in=LIVE), "event_id"
        )
        registered = Q(id__in=list(own))
    events = await Event.filter(
        (Q(alliance_id=alliance.id) & await attendable(actor, alliance.id)) | registered,
        ends_at__gt=now(),
    ).order_by("starts_at", "id")
    registrations = await EventRegistration.filter(event_id__in=[e.id for e in events], status=Status.CONFIRMED)
    by_event: dict[int, list[EventRegistration]] = {}
    for registration in registrations:
        by_event.setdefault(registration.event_id, []).append(registration)
    return [entry_for(actor, event, by_event.get(event.id, [])) for event in events]


def entry_for(actor: Actor, event: Event, registrations: Sequence[EventRegistration]) -> Entry:
    visible = event.meeting_url if may_see_meeting_url(actor, event.partner_id, registrations) else None
    return Entry(event, visible)
