"""The audit log as the secretariat reads it."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

import models
from resolvers.access import Actor
from schema.account.types import Role
from schema.node import ModelNode


@strawberry.enum(description="Whether a mutation was carried out.")
class AuditOutcome(Enum):
    ACCEPTED = strawberry.enum_value("ACCEPTED", description="It was carried out.")
    REFUSED = strawberry.enum_value("REFUSED", description="It was refused; nothing changed.")
    FAILED = strawberry.enum_value(
        "FAILED",
        description="A fault stopped it (the database could not be reached, or an unexpected error) and "
        "the caller got an error; nothing changed. (What fails after a change is saved, such as "
        "publishing a notification, is logged and never turns the change into a failure.) `errors` "
        "holds the code the caller got.",
    )


@strawberry.type(description="One mutation, accepted, refused or failed: who, what, when and the values changed.")
class AuditEntry(ModelNode):
    model = models.AuditEntry
    id: relay.NodeID[int]
    at: dt.datetime = strawberry.field(description="When it happened.")
    action: str = strawberry.field(description="The mutation, e.g. changeMembershipTier.")
    outcome: AuditOutcome = strawberry.field(description="Accepted, refused or failed.")
    role: Role | None = strawberry.field(description="The caller's role; null for anonymous callers.")
    user_id: int | None = strawberry.field(description="The caller's user number; null for anonymous callers.")
    target: str | None = strawberry.field(description='The object changed, as "Type:number", e.g. Membership:12.')
    changes: JSON = strawberry.field(description="Each changed field as [before, after].")
    errors: list[str] = strawberry.field(
        description="The userError codes of a refusal, or the error code a failed call got."
    )

    @classmethod
    def is_visible(cls, actor: Actor, row: Any) -> bool:
        return actor.is_admin


@strawberry.input(description="Narrows the audit log; every given field must match.")
class AuditFilter:
    action: str | None = strawberry.field(default=None, description="Only this mutation, e.g. requestOffering.")
    outcome: AuditOutcome | None = strawberry.field(default=None, description="Only accepted, only refused or only failed calls.")
    user_id: int | None = strawberry.field(default=None, description="Only this user's calls.")
    target: str | None = strawberry.field(default=None, description='Only this object, e.g. "Membership:12".')
    since: dt.datetime | None = strawberry.field(default=None, description="From this moment on.")
    until: dt.datetime | None = strawberry.field(default=None, description="Before this moment.")
