"""What each membership tier may do, and why not: the one place that decides it.

The founding deck (seed 002, Q4): supporting members (賛助会員) receive the monthly bulletin and
online seminars; full members (正会員) also take part in working groups and projects, use partner
offerings, and get the secretariat's support. An event's or an offering's audience narrows who
may take part; it never widens a tier's benefits, except where it is open to the public or an
offering is opened to all members by its partner.

Every verdict carries the refusal's code and its reason as a catalogue message, so the API's
userErrors and the portal's pages (which show the reason before a form is filled in) say the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from i18n import Text, message
from models import Audience, EventFormat, EventKind, MembershipTier
from resolvers.errors import Refused


class Benefit(StrEnum):
    BULLETIN = "BULLETIN"
    ONLINE_SEMINARS = "ONLINE_SEMINARS"
    WORKING_GROUPS = "WORKING_GROUPS"
    PROJECTS = "PROJECTS"
    PARTNER_OFFERINGS = "PARTNER_OFFERINGS"
    SECRETARIAT_SUPPORT = "SECRETARIAT_SUPPORT"


BENEFITS: dict[MembershipTier, frozenset[Benefit]] = {
    MembershipTier.SUPPORTING: frozenset({Benefit.BULLETIN, Benefit.ONLINE_SEMINARS}),
    MembershipTier.FULL: frozenset(Benefit),
}
ONLINE_ATTENDANCE = (EventFormat.ONLINE, EventFormat.HYBRID)
TIERS_THEN_NON_MEMBERS: tuple[MembershipTier | None, ...] = (MembershipTier.FULL, MembershipTier.SUPPORTING, None)


@dataclass(frozen=True)
class Verdict:
    """Whether a tier may do something; if not, the refusal's code and its reason."""

    allowed: bool
    code: str | None = None
    reason: Text | None = None

    def require(self, field: tuple[str, ...] | None = None) -> None:
        if not self.allowed:
            assert self.code is not None and self.reason is not None
            raise Refused(self.code, self.reason, field=field)


ALLOWED = Verdict(True)


def refused(code: str, key: str, **params: object) -> Verdict:
    return Verdict(False, code, message(f"errors.entitlements.{key}", **params))


def may_use(tier: MembershipTier | None, benefit: Benefit) -> Verdict:
    """May a member of `tier` (None: not an active member) use `benefit`?"""
    if tier is None:
        return refused("NOT_A_MEMBER", "members_only")
    if benefit not in BENEFITS[tier]:
        return refused("NOT_A_FULL_MEMBER", f"full_members_only.{benefit.value.lower()}")
    return ALLOWED


def is_online_seminar(kind: EventKind, format: EventFormat) -> bool:
    return kind is EventKind.SEMINAR and format in ONLINE_ATTENDANCE


def may_attend(tier: MembershipTier | None, audience: Audience, kind: EventKind, format: EventFormat) -> Verdict:
    """May a member of `tier` register for an event for `audience`? Supporting members attend
    the seminars that can be followed online, whatever else is open to all members."""
    if audience is Audience.PUBLIC or tier is MembershipTier.FULL:
        return ALLOWED
    if tier is None:
        return refused("NOT_A_MEMBER", "event.members_only")
    if audience is Audience.FULL_MEMBERS:
        return refused("NOT_A_FULL_MEMBER", "event.full_members_only")
    if not is_online_seminar(kind, format):
        return refused("NOT_A_FULL_MEMBER", "event.online_seminars_only")
    return ALLOWED


def may_request(tier: MembershipTier | None, audience: Audience) -> Verdict:
    """May a member of `tier` request an offering for `audience`? Partner offerings are a full
    member's benefit; a partner may open one to all members, or to the public."""
    if audience is Audience.PUBLIC or tier is MembershipTier.FULL:
        return ALLOWED
    if tier is None:
        return refused("OUTSIDE_AUDIENCE", "offering.members_only")
    if audience is Audience.FULL_MEMBERS:
        return refused("OUTSIDE_AUDIENCE", "offering.full_members_only")
    return ALLOWED
