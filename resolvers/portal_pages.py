"""The page of its reader's portal that shows what a notification is about.

By who reads it and the subject's GraphQL type: the member portal (/portal) for municipality
staff, the partner dashboard (/partner) for partner staff. `Notification.portalPath` answers it
in the API (once it has checked that the reader may still see the subject), and each
notification email links to it (`resolvers.mail.mailings`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from strawberry import relay

# A page, given the subject (a row, or an object of its GraphQL type) and the reader's municipality.
Page = Callable[[Any, int | None], str]


def page(path: str, type_name: str = "", attribute: str = "id") -> Page:
    """The page at `path`, followed by the global ID of the `type_name` row whose id is the
    subject's `attribute` when a type is named."""
    if not type_name:
        return lambda subject, reader: path
    return lambda subject, reader: path + str(relay.GlobalID(type_name, str(getattr(subject, attribute))))


def introductions(subject: Any, reader: int | None) -> str:
    """The introductions the reader's municipality sent, or those it received."""
    return "/portal/introductions?box=sent" if subject.requester_id == reader else "/portal/introductions"


PAGES: dict[tuple[str, str], Page] = {
    ("portal", "Proposal"): page("/portal/challenges/", "Challenge", "challenge_id"),
    ("portal", "Challenge"): page("/portal/challenges/", "Challenge"),
    ("portal", "Bulletin"): page("/portal/bulletins/", "Bulletin"),
    ("portal", "Introduction"): introductions,
    ("portal", "EventRegistration"): page("/portal/events/", "Event", "event_id"),
    ("portal", "Event"): page("/portal/events/", "Event"),
    ("portal", "OfferingRequest"): page("/portal/offerings"),
    ("portal", "ProcurementGroup"): page("/portal/procurement"),
    ("portal", "Membership"): page("/portal"),
    ("partner", "Proposal"): page("/partner/proposals/", "Proposal"),
    ("partner", "OfferingRequest"): page("/partner/offerings/", "Offering", "offering_id"),
}


def portal_path(subject: Any, subject_type: str, municipality_id: int | None) -> str | None:
    """The path, on Tsunagu's own origin, of the page that shows `subject` (of the GraphQL type
    `subject_type`) to the staff of the municipality `municipality_id`, or (None) to the staff of
    the partner notified; None where no page shows it."""
    portal = "portal" if municipality_id is not None else "partner"
    to_page = PAGES.get((portal, subject_type))
    return to_page(subject, municipality_id) if to_page is not None else None
