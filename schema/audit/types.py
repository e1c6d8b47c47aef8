"""The audit log as the secretariat reads it."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

import models
from i18n import Named
from resolvers import audit_words
from resolvers.access import Actor
from resolvers.audit_targets import split_target
from schema.account.types import Role
from schema.context import Info
from schema.node import ModelNode


@strawberry.enum(description="Whether a mutation was carried out.")
class AuditOutcome(Enum):
    _value_: str
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
    columns_read = {
        "action_name": ("action",),
        "actor_name": ("user_id",),
        "target_kind": ("target",),
        "target_kind_name": ("target",),
        "target_id": ("target",),
        "field_changes": ("changes", "target"),
        "error_messages": ("errors",),
    }
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
    reason: str | None = strawberry.field(
        description="Why, in the caller's words, for the mutations that take a `reason` (e.g. "
        "suspendMembership); null when none was given."
    )
    target_name: strawberry.Private[str | None]
    target_name_en: strawberry.Private[str | None]

    @strawberry.field(
        description="The action in words, in the request's language, e.g. 会員資格の停止 / Suspend a membership."
    )
    def action_name(self) -> str:
        return audit_words.action_name(self.action)

    @strawberry.field(description="The caller's name; null for anonymous callers and users since deleted.")
    async def actor_name(self, info: Info) -> str | None:
        if self.user_id is None:
            return None
        user = await info.context.loaders.user_by_id.load(self.user_id)
        return user.name if user else None

    @strawberry.field(description='The kind of object changed, e.g. "Membership"; null if none.')
    def target_kind(self) -> str | None:
        split = split_target(self.target)
        return split[0] if split else None

    @strawberry.field(description="The kind of object changed in words, in the request's language; null if none.")
    def target_kind_name(self) -> str | None:
        split = split_target(self.target)
        return audit_words.target_kind_name(split[0]) if split else None

    @strawberry.field(
        description="The global ID of the object changed (for `node(id:)` and links), whether or not it "
        "still exists; null if none."
    )
    def target_id(self) -> strawberry.ID | None:
        split = split_target(self.target)
        return strawberry.ID(relay.to_base64(*split)) if split else None

    @strawberry.field(
        name="targetName",
        description="The object's name when the entry was written (a municipality's, a person's, a "
        "title), in the request's language: the English name in English where there is one; null for "
        "objects without a name and entries written before names were kept."
    )
    def target_name_in_language(self) -> str | None:
        if self.target_name is None:
            return None
        return str(Named(self.target_name, self.target_name_en))

    @strawberry.field(
        description="Each changed field in words, in the request's language: its label and its values "
        "before and after (codes such as statuses as words, dates as dates). `changes` has the raw values."
    )
    def field_changes(self) -> list[AuditFieldChange]:
        split = split_target(self.target)
        changes = self.changes if isinstance(self.changes, dict) else {}
        return [AuditFieldChange(**vars(change)) for change in audit_words.changes_in_words(split[0] if split else None, changes)]

    @strawberry.field(
        description="What the caller was told, in words and in the request's language, for each code in `errors`."
    )
    def error_messages(self) -> list[str]:
        return [audit_words.error_in_words(code) for code in self.errors]

    @classmethod
    def is_visible(cls, actor: Actor, row: Any) -> bool:
        return actor.is_admin


@strawberry.type(description="One field a mutation changed, in words.")
class AuditFieldChange:
    field: str = strawberry.field(description="The field's name as stored, e.g. status.")
    label: str = strawberry.field(description="The field's name in words, in the request's language.")
    before: str | None = strawberry.field(description="The value before, in words; null if it had none.")
    after: str | None = strawberry.field(description="The value after, in words; null if it has none.")


@strawberry.input(description="Narrows the audit log; every given field must match.")
class AuditFilter:
    action: str | None = strawberry.field(default=None, description="Only this mutation, e.g. requestOffering.")
    outcome: AuditOutcome | None = strawberry.field(default=None, description="Only accepted, only refused or only failed calls.")
    user_id: int | None = strawberry.field(default=None, description="Only this user's calls.")
    target: str | None = strawberry.field(default=None, description='Only this object, e.g. "Membership:12".')
    since: dt.datetime | None = strawberry.field(default=None, description="From this moment on.")
    until: dt.datetime | None = strawberry.field(default=None, description="Before this moment.")
    actor_name: str | None = strawberry.field(
        default=None, description="Only calls by users whose name contains this text."
    )
    target_kind: str | None = strawberry.field(
        default=None, description='Only changes to this kind of object, e.g. "Membership" (see `targetKind`).'
    )
    target_name: str | None = strawberry.field(
        default=None,
        description="Only changes to objects whose name (Japanese or English, as it was when written) "
        "contains this text, e.g. 龍ケ崎 or Ryugasaki.",
    )
