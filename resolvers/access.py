"""Who the caller is, and the named rules that say what they may do.

Role rules (`Rule`) need only the caller; the mutation table in `schema/permissions.py` applies
them before a mutation runs. Object rules (the `require_*` functions) need the object too, and
the resolvers apply them once they have loaded it. Every refusal is a `Refused` with a code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from tortoise.expressions import Subquery
from tortoise.models import Model
from tortoise.queryset import QuerySet

from i18n import message
from models import Alliance, Membership, MembershipStatus, Role, TokenScope
from resolvers.entitlements import Benefit, may_use
from resolvers.errors import Refused


@dataclass(frozen=True)
class Actor:
    """The caller of one request: a user acting through one token, or nobody."""

    user_id: int | None = None
    token_id: int | None = None
    role: Role | None = None
    municipality_id: int | None = None
    partner_id: int | None = None
    scopes: frozenset[TokenScope] = field(default_factory=frozenset)
    language: str | None = None
    """The user's saved language ("ja", "en"), if they chose one."""

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def can_write(self) -> bool:
        return TokenScope.WRITE in self.scopes

    def is_staff_of_municipality(self, municipality_id: int) -> bool:
        return self.role is Role.MUNICIPALITY and self.municipality_id == municipality_id

    def is_staff_of_partner(self, partner_id: int) -> bool:
        return self.role is Role.PARTNER and self.partner_id == partner_id


ANONYMOUS = Actor()


@dataclass(frozen=True)
class Rule:
    """A named role rule, e.g. "the secretariat (ADMIN)"."""

    description: str
    allows: Callable[[Actor], bool]
    audience: str
    """Who the rule admits, as a key of `errors.access.who` in the catalogue (for refusals)."""

    def require(self, actor: Actor) -> None:
        if not actor.is_authenticated:
            raise Refused("UNAUTHENTICATED", message("errors.access.sign_in"))
        if not self.allows(actor):
            raise Refused("FORBIDDEN", message("errors.access.only", who=message(f"errors.access.who.{self.audience}")))


ANYONE_SIGNED_IN = Rule("a signed-in user", lambda actor: actor.is_authenticated, "signed_in")
ADMIN = Rule("the secretariat (ADMIN)", lambda actor: actor.is_admin, "admin")
MUNICIPALITY_STAFF = Rule(
    "staff of a municipality (MUNICIPALITY)", lambda actor: actor.role is Role.MUNICIPALITY, "municipality_staff"
)
ADMIN_OR_MUNICIPALITY_STAFF = Rule(
    "the secretariat (ADMIN) or staff of the municipality concerned (MUNICIPALITY)",
    lambda actor: actor.role in (Role.ADMIN, Role.MUNICIPALITY),
    "admin_or_municipality_staff",
)
ADMIN_OR_PARTNER_STAFF = Rule(
    "the secretariat (ADMIN) or staff of the partner concerned (PARTNER)",
    lambda actor: actor.role in (Role.ADMIN, Role.PARTNER),
    "admin_or_partner_staff",
)
PARTNER_STAFF = Rule(
    "staff of the partner concerned (PARTNER)", lambda actor: actor.role is Role.PARTNER, "partner_staff"
)


def require_write_scope(actor: Actor) -> None:
    if actor.is_authenticated and not actor.can_write:
        raise Refused("READ_ONLY_TOKEN", message("errors.access.read_only_token"))


def may_act_for_municipality(actor: Actor, municipality_id: int) -> bool:
    return actor.is_admin or actor.is_staff_of_municipality(municipality_id)


def may_act_for_partner(actor: Actor, partner_id: int) -> bool:
    return actor.is_admin or actor.is_staff_of_partner(partner_id)


def require_municipality(actor: Actor, municipality_id: int, *, field: tuple[str, ...]) -> None:
    """The secretariat, or staff of this municipality: one municipality never touches another's data."""
    if not may_act_for_municipality(actor, municipality_id):
        raise Refused("FORBIDDEN", message("errors.access.own_municipality"), field=field)


def require_partner(actor: Actor, partner_id: int, *, field: tuple[str, ...]) -> None:
    """The secretariat, or staff of this partner: a partner never reaches beyond its organisation."""
    if not may_act_for_partner(actor, partner_id):
        raise Refused("FORBIDDEN", message("errors.access.own_organisation"), field=field)


async def current_membership(municipality_id: int) -> Membership | None:
    """The municipality's active membership of an alliance not yet succeeded (FULL first)."""
    succeeded = Subquery(Alliance.filter(predecessor_id__not_isnull=True).values("predecessor_id"))
    return (
        await Membership.filter(
            municipality_id=municipality_id, status=MembershipStatus.ACTIVE, alliance_id__not_in=succeeded
        )
        .order_by("tier")
        .first()
    )


async def require_current_member_with(municipality_id: int, benefit: Benefit) -> Membership:
    """An active membership of a current alliance whose tier includes `benefit`, for work not
    tied to one alliance (e.g. challenges, which the deck counts among the projects)."""
    membership = await current_membership(municipality_id)
    if membership is None:
        raise Refused("NOT_A_MEMBER", message("errors.access.active_members_only"))
    may_use(membership.tier, benefit).require()
    return membership


async def require_active_member_with(municipality_id: int, alliance_id: int, benefit: Benefit) -> Membership:
    """An active membership of the alliance whose tier includes `benefit`, locked until the
    mutation's transaction ends so concurrent changes to it queue up; a supporting member is told
    why not."""
    membership = await Membership.select_for_update().get_or_none(
        municipality_id=municipality_id, alliance_id=alliance_id
    )
    if membership is None or membership.status is not MembershipStatus.ACTIVE:
        raise Refused("NOT_A_MEMBER", message("errors.access.active_members_of_alliance_only"))
    may_use(membership.tier, benefit).require()
    return membership


class BetweenTwoParties(Protocol):
    """A private record between a municipality and a partner, e.g. a request or a proposal."""

    municipality_id: int
    partner_id: int


M = TypeVar("M", bound=Model)


def visible_to_parties(actor: Actor, queryset: QuerySet[M]) -> QuerySet[M]:
    """The rule for records between two parties: the secretariat sees all, each side its own."""
    if actor.municipality_id is not None:
        return queryset.filter(municipality_id=actor.municipality_id)
    if actor.partner_id is not None:
        return queryset.filter(partner_id=actor.partner_id)
    return queryset if actor.is_admin else queryset.filter(id__in=[])


def is_party(actor: Actor, record: BetweenTwoParties) -> bool:
    """The same rule as `visible_to_parties`, for one record already loaded."""
    return (
        actor.is_admin
        or actor.is_staff_of_municipality(record.municipality_id)
        or actor.is_staff_of_partner(record.partner_id)
    )
