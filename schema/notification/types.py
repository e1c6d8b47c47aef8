"""Notifications as the API shows them."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

import strawberry
from strawberry import relay

import models
from resolvers import notification as notification_resolvers
from resolvers.access import Actor
from resolvers.portal_pages import portal_path
from schema.context import Info
from schema.node import ModelNode


@strawberry.enum(description="What a notification is about.")
class NotificationKind(Enum):
    PROPOSAL_RECEIVED = strawberry.enum_value("PROPOSAL_RECEIVED", description="A partner submitted a proposal for one of your challenges.")
    PROPOSAL_SHORTLISTED = strawberry.enum_value("PROPOSAL_SHORTLISTED", description="Your proposal was shortlisted.")
    PROPOSAL_SELECTED = strawberry.enum_value("PROPOSAL_SELECTED", description="Your proposal was selected.")
    PROPOSAL_NOT_SELECTED = strawberry.enum_value("PROPOSAL_NOT_SELECTED", description="The challenge closed without selecting your proposal.")
    PROJECT_PHASE_CHANGED = strawberry.enum_value("PROJECT_PHASE_CHANGED", description="A project you take part in moved to another phase.")
    PROPOSAL_DECLINED = strawberry.enum_value("PROPOSAL_DECLINED", description="The municipality declined your proposal, with a message.")
    PROPOSAL_UPDATED = strawberry.enum_value("PROPOSAL_UPDATED", description="A partner changed its proposal for one of your challenges.")
    CHALLENGE_REVIEWED = strawberry.enum_value("CHALLENGE_REVIEWED", description="The secretariat reviewed your challenge: approved, or returned with comments.")
    WAITLIST_PROMOTED = strawberry.enum_value("WAITLIST_PROMOTED", description="A place came free and your waiting-list registration is now confirmed.")
    OFFERING_REQUESTED = strawberry.enum_value("OFFERING_REQUESTED", description="A member requested one of your offerings.")
    OFFERING_REQUEST_ANSWERED = strawberry.enum_value("OFFERING_REQUEST_ANSWERED", description="A partner answered your offering request.")
    BULLETIN_PUBLISHED = strawberry.enum_value("BULLETIN_PUBLISHED", description="A bulletin for your tier was published.")
    PROCUREMENT_CLOSED = strawberry.enum_value("PROCUREMENT_CLOSED", description="A joint-procurement group you joined closed.")
    MEMBERSHIP_DECIDED = strawberry.enum_value(
        "MEMBERSHIP_DECIDED",
        description="The secretariat decided on your membership: approved, rejected, suspended, reinstated or withdrawn.",
    )
    INTRODUCTION_REQUESTED = strawberry.enum_value(
        "INTRODUCTION_REQUESTED", description="A peer municipality asked to be introduced to yours."
    )
    INTRODUCTION_ANSWERED = strawberry.enum_value(
        "INTRODUCTION_ANSWERED", description="A peer municipality accepted or declined your request for an introduction."
    )
    EVENT_UPDATED = strawberry.enum_value("EVENT_UPDATED", description="An event you registered for (or wait for) changed; the message names what changed.")
    EVENT_CANCELLED = strawberry.enum_value("EVENT_CANCELLED", description="An event you registered for (or wait for) was cancelled; the message gives the reason.")


@strawberry.type(
    description="Something an organisation's staff are told about their own business. Private: "
    "only the staff of the municipality or partner it is addressed to see it."
)
class Notification(ModelNode):
    model = models.Notification
    id: relay.NodeID[int]
    kind: NotificationKind = strawberry.field(description="What it is about.")
    created_at: dt.datetime = strawberry.field(description="When it was sent.")
    read_at: dt.datetime | None = strawberry.field(description="When it was marked read; null while unread.")
    subject_type: strawberry.Private[str]
    subject_id: strawberry.Private[int]
    params: strawberry.Private[dict[str, Any]]
    municipality_id: strawberry.Private[int | None]
    columns_read = {"message": ("kind", "params")}

    @classmethod
    def is_visible(cls, actor: Actor, row: Any) -> bool:
        return notification_resolvers.is_visible(actor, row)

    @strawberry.field(
        description="What happened, for people, in the reader's language (rendered when read from "
        "the kind and its details, so one notification reads in Japanese to one person and in "
        "English to another). It names the municipality, partner, organiser or offering it "
        "concerns; where that name is no longer known (sent before names were kept, and since "
        "deleted), it says so in words."
    )
    def message(self) -> str:
        return str(notification_resolvers.message_of(self))

    @strawberry.field(description="The object it is about, e.g. the Proposal or the EventRegistration.")
    async def subject(self, info: Info) -> relay.Node | None:
        return await relay.GlobalID(self.subject_type, str(self.subject_id)).resolve_node(info, required=False)

    @strawberry.field(
        description="The page of the reader's portal that shows what it is about: in the member "
        "portal (/portal) for municipality staff, e.g. /portal/challenges/<Challenge ID> for a "
        "proposal received, in the partner dashboard (/partner) for partner staff, e.g. "
        "/partner/proposals/<Proposal ID> or /partner/offerings/<Offering ID> for a request. "
        "A path on Tsunagu's own origin; null when no page shows the reader what it is about (it "
        "was deleted, or the reader may no longer see it)."
    )
    async def portal_path(self, info: Info) -> str | None:
        subject = await relay.GlobalID(self.subject_type, str(self.subject_id)).resolve_node(info, required=False)
        if subject is None:
            return None
        return portal_path(subject, self.subject_type, self.municipality_id)
