"""What every mutation shares: `userErrors`, the payload base, and the one way a mutation runs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import Enum
from typing import TypeVar

import strawberry
from strawberry import relay

from i18n import message
from resolvers.audit import Change, perform
from resolvers.errors import Refused
from resolvers.text import whole_number
from schema.context import Info
from schema.permissions import MUTATION_RULES

T = TypeVar("T")
MAX_ID_DIGITS = 9


@strawberry.enum(description="Why a mutation was refused; stable, for programs to branch on.")
class UserErrorCode(Enum):
    _value_: str
    UNAUTHENTICATED = strawberry.enum_value("UNAUTHENTICATED", description="No token was sent; sign in.")
    FORBIDDEN = strawberry.enum_value("FORBIDDEN", description="The caller's role or organisation may not do this.")
    READ_ONLY_TOKEN = strawberry.enum_value("READ_ONLY_TOKEN", description="The token has only the READ scope.")
    NOT_FOUND = strawberry.enum_value("NOT_FOUND", description="An ID, code or slug in the input names nothing the caller can see.")
    INVALID = strawberry.enum_value("INVALID", description="A value in the input is not acceptable.")
    ALREADY_EXISTS = strawberry.enum_value("ALREADY_EXISTS", description="Something with this slug or key exists already.")
    ALREADY_MEMBER = strawberry.enum_value("ALREADY_MEMBER", description="The municipality is already a member or applicant.")
    NOT_A_MEMBER = strawberry.enum_value("NOT_A_MEMBER", description="Only active members of the alliance may do this.")
    NOT_A_FULL_MEMBER = strawberry.enum_value("NOT_A_FULL_MEMBER", description="Only full members (正会員) may do this; the message says why.")
    ALREADY_PARTICIPATING = strawberry.enum_value("ALREADY_PARTICIPATING", description="The member already takes part.")
    NOT_PARTICIPATING = strawberry.enum_value("NOT_PARTICIPATING", description="The member does not take part.")
    INVALID_TRANSITION = strawberry.enum_value("INVALID_TRANSITION", description="The object's current state does not allow this step.")
    UNCHANGED = strawberry.enum_value("UNCHANGED", description="The object already has this value.")
    CAPACITY_REACHED = strawberry.enum_value("CAPACITY_REACHED", description="Every place is taken.")
    OUTSIDE_AUDIENCE = strawberry.enum_value("OUTSIDE_AUDIENCE", description="The offering is not for the caller's tier or membership.")
    OUTSIDE_PERIOD = strawberry.enum_value("OUTSIDE_PERIOD", description="Outside the period when this is possible, e.g. after a deadline.")
    OFFERING_UNAVAILABLE = strawberry.enum_value(
        "OFFERING_UNAVAILABLE", description="The offering is paused or withdrawn by its partner and takes no requests."
    )
    POSSIBLE_DUPLICATE = strawberry.enum_value(
        "POSSIBLE_DUPLICATE",
        description="Something very like it exists already (the message names it); send again with "
        "the input's confirm field set to go on.",
    )
    ALREADY_REQUESTED = strawberry.enum_value("ALREADY_REQUESTED", description="The municipality has an open request for this already.")
    ALREADY_REGISTERED = strawberry.enum_value("ALREADY_REGISTERED", description="The municipality is registered (or waitlisted) for the event already.")
    REGISTRATION_CLOSED = strawberry.enum_value("REGISTRATION_CLOSED", description="Registration for the event has closed, or the event has started.")
    EVENT_CANCELLED = strawberry.enum_value("EVENT_CANCELLED", description="The event is cancelled.")
    GROUP_CLOSED = strawberry.enum_value("GROUP_CLOSED", description="The joint-procurement group is closed or past its closing date; it takes no more changes.")
    IDEMPOTENCY_KEY_REUSED = strawberry.enum_value(
        "IDEMPOTENCY_KEY_REUSED",
        description="The request's Idempotency-Key was sent earlier with a different request (document, "
        "operation name or variables); nothing was changed.",
    )


@strawberry.type(description="A problem the caller can put right: bad input, a missing permission or a rule.")
class UserError:
    field: list[str] | None = strawberry.field(
        description='The path to the input field concerned, e.g. ["input", "tier"]; null if none.'
    )
    code: UserErrorCode = strawberry.field(description="What went wrong, for programs.")
    message: str = strawberry.field(
        description="What went wrong, for people, in the request's language: the first of ours its "
        "Accept-Language header names (ja, en), else the caller's saved preference "
        "(updateMyPreferences), else Japanese. The response's Content-Language header says which. "
        "Programs branch on `code`, which is the same in every language."
    )

    @classmethod
    def of(cls, refusal: Refused) -> UserError:
        return cls(
            field=list(refusal.field) if refusal.field else None,
            code=UserErrorCode[refusal.code],
            message=refusal.message,  # rendered now, in the request's language
        )


@strawberry.type(description="The part every mutation payload shares.")
class Payload:
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Why the mutation was refused; empty when it succeeded. Nothing is changed when "
        "it is not empty.",
    )


async def mutate(
    info: Info, change: Callable[[], Awaitable[Change[T]]], *, reason: str | None = None
) -> tuple[T | None, list[UserError]]:
    """Run the mutation named by the field, under its rule in `MUTATION_RULES`; `reason`, given
    with destructive ones (`schema.reasons`), goes into its audit entry.

    Sent with an Idempotency-Key, it may be refused for the key's sake, and says whether it
    changed anything (`schema.idempotency` keeps the answer of a change only).
    """
    action = info.field_name
    keyed = info.context.keyed
    try:
        subject = await perform(
            info.context.actor, action, MUTATION_RULES[action], keyed.guard(change) if keyed else change,
            reason=reason,
        )
    except Refused as refusal:
        return None, [UserError.of(refusal)]
    if keyed is not None:
        keyed.accepted = True
    return subject, []


def node_id(global_id: relay.GlobalID, type_name: str, field: str, *, argument: str = "input") -> int:
    """The database id inside a global ID, which must be of the expected type."""
    row_id = whole_number(global_id.node_id, MAX_ID_DIGITS)
    if global_id.type_name != type_name or row_id is None:
        raise Refused("NOT_FOUND", message("errors.common.wrong_id_type", field=field, type_name=type_name), field=(argument, field))
    return row_id
