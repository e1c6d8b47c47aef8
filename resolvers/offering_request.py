"""Offering requests: a member asks a partner for an offering; the partner answers.

Each side sees only its own requests. Capacity holds under concurrent requests: the offering's
row is locked for the length of the transaction (`SELECT … FOR UPDATE` on PostgreSQL; SQLite
runs one write transaction at a time), so places are counted one request after another.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Protocol

from tortoise.queryset import QuerySet

from i18n import message
from models import (
    Contact,
    NotificationKind,
    Offering,
    OfferingRequest,
    OfferingRequestStatus,
    OfferingStatus,
)
from resolvers.access import (
    Actor,
    BetweenTwoParties,
    current_membership,
    is_party,
    visible_to_parties,
)
from resolvers.audit import Change, assign, created, target_of
from resolvers.calendar import now, today
from resolvers.contact import is_current
from resolvers.entitlements import may_request
from resolvers.errors import Refused, state_name
from resolvers.notification import Recipient, municipality_named, notify, partner_named

Status = OfferingRequestStatus
HOLDS_A_PLACE = (Status.REQUESTED, Status.ACCEPTED, Status.COMPLETED)
OPEN = (Status.REQUESTED, Status.ACCEPTED)


class Response(StrEnum):
    ACCEPT = "ACCEPT"
    DECLINE = "DECLINE"
    COMPLETE = "COMPLETE"


# response → (the statuses it answers, the status it leads to)
RESPONSES: dict[Response, tuple[frozenset[Status], Status]] = {
    Response.ACCEPT: (frozenset({Status.REQUESTED}), Status.ACCEPTED),
    Response.DECLINE: (frozenset({Status.REQUESTED, Status.ACCEPTED}), Status.DECLINED),
    Response.COMPLETE: (frozenset({Status.ACCEPTED}), Status.COMPLETED),
}


@dataclass(frozen=True, kw_only=True)
class OfferingRequestQuery:
    status: OfferingRequestStatus | None = None
    offering_id: int | None = None


def visible_requests(actor: Actor, query: OfferingRequestQuery) -> QuerySet[OfferingRequest]:
    """The secretariat sees all; a municipality the requests it made; a partner those it received."""
    queryset = visible_to_parties(actor, OfferingRequest.all())
    if query.status is not None:
        queryset = queryset.filter(status=query.status)
    if query.offering_id is not None:
        queryset = queryset.filter(offering_id=query.offering_id)
    return queryset.order_by("-id")


async def places_taken(offering_id: int) -> int:
    return await OfferingRequest.filter(offering_id=offering_id, status__in=HOLDS_A_PLACE).count()


def is_visible(actor: Actor, request: OfferingRequest) -> bool:
    return is_party(actor, request)


SHOWS_THE_CONTACT = (Status.ACCEPTED, Status.COMPLETED)


class AnsweredBetweenTwoParties(BetweenTwoParties, Protocol):
    """A request as a row or as the API's object: its status is an enum with the same values."""

    @property
    def status(self) -> Enum: ...


def may_see_contact(actor: Actor, request: AnsweredBetweenTwoParties) -> bool:
    """The contact named for a request: the secretariat and the requesting municipality always,
    the offering's partner once it has accepted the request (and after it is completed)."""
    if actor.is_admin or actor.is_staff_of_municipality(request.municipality_id):
        return True
    return actor.is_staff_of_partner(request.partner_id) and Status(request.status.value) in SHOWS_THE_CONTACT


async def current_contact(municipality_id: int, contact_id: int) -> Contact:
    """One of the municipality's current contacts; any other is reported as not there."""
    contact = await Contact.get_or_none(id=contact_id, municipality_id=municipality_id)
    if contact is None or not is_current(contact, today()):
        raise Refused("NOT_FOUND", message("errors.offering.no_such_contact"), field=("input", "contactId"))
    return contact


def check_available(offering: Offering) -> None:
    """Only an ACTIVE offering takes requests."""
    if offering.status is not OfferingStatus.ACTIVE:
        key = "paused" if offering.status is OfferingStatus.PAUSED else "withdrawn"
        raise Refused("OFFERING_UNAVAILABLE", message(f"errors.offering.{key}", offering=offering.title))


async def check_audience(offering: Offering, municipality_id: int) -> None:
    membership = await current_membership(municipality_id)
    may_request(membership.tier if membership is not None else None, offering.audience).require()


async def request_offering(
    actor: Actor, offering_id: int, note: str | None, contact_id: int | None = None
) -> Change[OfferingRequest]:
    offering = await Offering.select_for_update().get_or_none(id=offering_id)
    if offering is None:
        raise Refused("NOT_FOUND", message("errors.offering.no_such_offering"), field=("input", "offeringId"))
    municipality_id = actor.municipality_id
    assert municipality_id is not None, "the mutation's rule admits municipality staff only"
    check_available(offering)
    contact = await current_contact(municipality_id, contact_id) if contact_id is not None else None
    await check_audience(offering, municipality_id)
    if offering.ends_on is not None and offering.ends_on < today():
        raise Refused("OUTSIDE_PERIOD", message("errors.offering.ended", offering=offering.title, ended_on=offering.ends_on.isoformat()))
    if await OfferingRequest.exists(offering_id=offering.id, municipality_id=municipality_id, status__in=OPEN):
        raise Refused("ALREADY_REQUESTED", message("errors.offering.already_requested"))
    if offering.capacity is not None:
        if await places_taken(offering.id) >= offering.capacity:
            raise Refused("CAPACITY_REACHED", message("errors.offering.full", offering=offering.title, capacity=offering.capacity))
    request = await OfferingRequest.create(
        offering=offering,
        partner_id=offering.partner_id,
        municipality_id=municipality_id,
        requested_by_id=actor.user_id,
        contact=contact,
        message=note,
        status=Status.REQUESTED,
    )
    await notify(
        Recipient(partner_id=offering.partner_id),
        NotificationKind.OFFERING_REQUESTED,
        request,
        "OfferingRequest",
        offering=offering.title,
        municipality=await municipality_named(municipality_id),
    )
    values = created(request, "offering_id", "municipality_id", "contact_id", "status")
    return Change(request, target_of(request), values)


async def respond(actor: Actor, request_id: int, response: Response, note: str | None) -> Change[OfferingRequest]:
    """Only staff of the partner that made the offering answer; others are told it does not exist."""
    request = await OfferingRequest.select_for_update().get_or_none(id=request_id)
    if request is None or not actor.is_staff_of_partner(request.partner_id):
        raise Refused("NOT_FOUND", message("errors.offering.no_such_request"), field=("input", "requestId"))
    allowed, after = RESPONSES[response]
    if request.status not in allowed:
        raise Refused(
            "INVALID_TRANSITION",
            message("errors.offering.bad_response", status=state_name(request.status), response=message(f"enum.OfferingResponse.{response.value}")),
            field=("input", "response"),
        )
    changes = assign(request, status=after, response=note, responded_at=now())
    await request.save()
    await notify(
        Recipient(municipality_id=request.municipality_id),
        NotificationKind.OFFERING_REQUEST_ANSWERED,
        request,
        "OfferingRequest",
        status=after,
        partner=await partner_named(request.partner_id),
        offering=(await Offering.get(id=request.offering_id)).title,
    )
    return Change(request, target_of(request), changes)
