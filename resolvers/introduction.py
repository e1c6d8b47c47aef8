"""Introductions between peer municipalities: a member asks to be put in touch with a peer, the
peer's staff accept or decline, and once accepted each side sees the other's named contact.

Private: the two municipalities and the secretariat see an introduction; the contacts only when
it was accepted. A partner or anyone else sees nothing of it.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from i18n import Named, message
from models import (
    Contact,
    ContactRole,
    Introduction,
    IntroductionStatus,
    Municipality,
    NotificationKind,
)
from resolvers.access import Actor, current_membership
from resolvers.audit import Change, assign, created, target_of
from resolvers.calendar import now
from resolvers.errors import Refused
from resolvers.lookup import municipality_by_code
from resolvers.notification import Recipient, notify

Status = IntroductionStatus
OPEN = (Status.REQUESTED, Status.ACCEPTED)
MAX_MESSAGE_CHARS = 2000
# A named contact for an introduction: the main contact first, then the deputy.
CONTACT_ROLES = (ContactRole.MAIN, ContactRole.DEPUTY)


class Direction(StrEnum):
    RECEIVED = "RECEIVED"
    SENT = "SENT"


def acting_municipality_id(actor: Actor) -> int:
    assert actor.municipality_id is not None, "the mutation's rule admits municipality staff only"
    return actor.municipality_id


async def request_introduction(actor: Actor, peer_code: str, note: str) -> Change[Introduction]:
    """Ask to be introduced to `peer_code`; both must be active members, once per pair at a time."""
    requester_id = acting_municipality_id(actor)
    if await current_membership(requester_id) is None:
        raise Refused("NOT_A_MEMBER", message("errors.introduction.members_only"))
    peer = await municipality_by_code(peer_code, ("input", "peerCode"))
    if peer.id == requester_id:
        raise Refused("INVALID", message("errors.introduction.self"), field=("input", "peerCode"))
    if await current_membership(peer.id) is None:
        raise Refused("NOT_A_MEMBER", message("errors.introduction.peer_not_a_member", peer=Named.of(peer)), field=("input", "peerCode"))
    text = note.strip()
    if not text:
        raise Refused("INVALID", message("errors.introduction.message_missing"), field=("input", "message"))
    if len(text) > MAX_MESSAGE_CHARS:
        raise Refused("INVALID", message("errors.introduction.message_too_long", limit=MAX_MESSAGE_CHARS), field=("input", "message"))
    between = Q(requester_id=requester_id, peer_id=peer.id) | Q(requester_id=peer.id, peer_id=requester_id)
    if await Introduction.filter(between, status__in=OPEN).exists():
        raise Refused("ALREADY_REQUESTED", message("errors.introduction.already", peer=Named.of(peer)), field=("input", "peerCode"))
    introduction = await Introduction.create(requester_id=requester_id, peer_id=peer.id, message=text, status=Status.REQUESTED)
    requester = await Municipality.get(id=requester_id)
    await notify(
        Recipient(municipality_id=peer.id), NotificationKind.INTRODUCTION_REQUESTED, introduction, "Introduction",
        municipality=Named.of(requester),
    )
    return Change(introduction, target_of(introduction), created(introduction, "requester_id", "peer_id", "status"))


async def answer_introduction(actor: Actor, introduction_id: int, accept: bool) -> Change[Introduction]:
    """The peer's staff accept or decline a request made to their municipality."""
    peer_id = acting_municipality_id(actor)
    field = ("input", "introductionId")
    introduction = await Introduction.select_for_update().get_or_none(id=introduction_id, peer_id=peer_id)
    if introduction is None:
        raise Refused("NOT_FOUND", message("errors.introduction.no_such_request"), field=field)
    if introduction.status is not Status.REQUESTED:
        raise Refused("INVALID_TRANSITION", message("errors.introduction.answered_already"), field=field)
    changes = assign(introduction, status=Status.ACCEPTED if accept else Status.DECLINED, answered_at=now())
    await introduction.save()
    peer = await Municipality.get(id=peer_id)
    await notify(
        Recipient(municipality_id=introduction.requester_id), NotificationKind.INTRODUCTION_ANSWERED, introduction,
        "Introduction", change=introduction.status.value, municipality=Named.of(peer),
    )
    return Change(introduction, target_of(introduction), changes)


def visible_introductions(actor: Actor, direction: Direction | None) -> QuerySet[Introduction]:
    """The secretariat sees all; municipality staff those their municipality sent or received."""
    queryset = Introduction.all().order_by("-id")
    if actor.municipality_id is not None:
        mine = actor.municipality_id
        if direction is Direction.RECEIVED:
            return queryset.filter(peer_id=mine)
        if direction is Direction.SENT:
            return queryset.filter(requester_id=mine)
        return queryset.filter(Q(peer_id=mine) | Q(requester_id=mine))
    return queryset if actor.is_admin else queryset.filter(id__in=[])


def is_visible(actor: Actor, introduction: Introduction) -> bool:
    return (
        actor.is_admin
        or actor.is_staff_of_municipality(introduction.requester_id)
        or actor.is_staff_of_municipality(introduction.peer_id)
    )


def latest_between(actor: Actor, introductions: list[Introduction], municipality_id: int) -> Introduction | None:
    """The newest of `introductions` (one municipality's, newest first) with `municipality_id` on
    the other side, if the caller may see it."""
    for introduction in introductions:
        if municipality_id in (introduction.requester_id, introduction.peer_id):
            return introduction if is_visible(actor, introduction) else None
    return None


def shows_contacts(actor: Actor, introduction: Introduction) -> bool:
    """The named contacts: once accepted, to the two sides and the secretariat only."""
    return introduction.status is Status.ACCEPTED and is_visible(actor, introduction)


def named_contact(contacts: list[Contact]) -> Contact | None:
    """The municipality's current main contact, else its current deputy; the latest named first."""
    current = [c for c in contacts if c.ended_on is None and c.role in CONTACT_ROLES]
    ranked = sorted(current, key=lambda c: (CONTACT_ROLES.index(c.role), -c.fiscal_year, -c.id))
    return ranked[0] if ranked else None
