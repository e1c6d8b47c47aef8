"""The `reason` a destructive mutation takes: the caller's own words on why, kept in its audit
entry (`AuditEntry.reason`). Add it to an input with `reason: str | None = reason_field()` and
pass `reason=input.reason` to `schema.mutations.mutate`."""

from __future__ import annotations

from typing import Any

import strawberry

from resolvers.audit import MAX_REASON_LENGTH


def reason_field() -> Any:
    return strawberry.field(
        default=None,
        description=f"Why, in the caller's own words (at most {MAX_REASON_LENGTH} characters): kept in the "
        "audit log with the entry for this call, accepted or refused. The admin portal asks for it "
        "when the secretariat confirms; blank is none.",
    )
