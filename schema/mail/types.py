"""Outbound emails as the secretariat reads them."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

import strawberry
from strawberry import relay

import models
from resolvers.access import Actor
from schema.node import ModelNode


@strawberry.enum(description="Where an outbound email is on its way.")
class OutboundEmailStatus(Enum):
    _value_: str
    QUEUED = strawberry.enum_value("QUEUED", description="Waiting to be sent (again, after a temporary failure).")
    SENDING = strawberry.enum_value("SENDING", description="Claimed by a sender, being sent now.")
    SENT = strawberry.enum_value("SENT", description="Accepted by the mail server.")
    FAILED = strawberry.enum_value(
        "FAILED", description="Refused for good, or given up after too many attempts; `lastError` says why."
    )


@strawberry.type(description="One email to one address, in the outbox. Secretariat only.")
class OutboundEmail(ModelNode):
    model = models.OutboundEmail
    id: relay.NodeID[int]
    to_address: str = strawberry.field(description="The recipient's address.")
    subject: str = strawberry.field(description="The subject, as the recipient reads it.")
    language: str = strawberry.field(description="The language it is written in (ja, en).")
    message_id: str = strawberry.field(description="The Message-ID header, the same on every attempt.")
    status: OutboundEmailStatus = strawberry.field(description="Queued, sending, sent or failed.")
    attempts: int = strawberry.field(description="How many times a sender has tried to send it.")
    next_attempt_at: dt.datetime = strawberry.field(
        description="When it is due (QUEUED), or when the sender's claim runs out (SENDING)."
    )
    last_error: str | None = strawberry.field(description="The last failure: the mail server's answer, or why it was not reached.")
    created_at: dt.datetime = strawberry.field(description="When it was written, with the change that caused it.")
    sent_at: dt.datetime | None = strawberry.field(description="When the mail server accepted it.")

    @classmethod
    def is_visible(cls, actor: Actor, row: Any) -> bool:
        return actor.is_admin


@strawberry.input(description="Narrows the outbox.")
class OutboundEmailFilter:
    status: OutboundEmailStatus | None = strawberry.field(default=None, description="Only messages in this state.")
