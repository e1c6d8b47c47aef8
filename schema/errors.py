"""Which errors reach the caller as they are, and which are masked.

Errors written for the caller (`PublicError`, malformed global IDs, GraphQL validation) pass
through with a machine-readable `extensions.code`; any other exception is a fault and the caller
sees only "Unexpected error." (the server log keeps the traceback). A fault that says the database
cannot be reached is masked too, with its own code, `SERVICE_UNAVAILABLE`: the HTTP endpoint and
the portals answer it with 503 and `Retry-After` (`outage.py`).
"""

from __future__ import annotations

import re

from graphql import GraphQLError
from strawberry.extensions import MaskErrors
from strawberry.relay.types import GlobalIDValueError

from models.database import is_unavailable
from resolvers.errors import PublicError

MASKED_MESSAGE = "Unexpected error."
UNAVAILABLE_CODE = "SERVICE_UNAVAILABLE"
UNAVAILABLE_MESSAGE = "The service cannot reach its database just now; retry in a few seconds."
# graphql-core's hints ("Did you mean 'themes'?") map the schema for someone who may not introspect.
SUGGESTION = re.compile(r"\s*Did you mean .*\?$")


def should_mask(error: GraphQLError) -> bool:
    original = error.original_error
    if original is None:
        return False
    return not isinstance(original, (PublicError, GlobalIDValueError))


class MaskFaults(MaskErrors):
    """Mask faults; give every error the caller sees a code."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=should_mask, error_message=MASKED_MESSAGE)

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        processed = super()._process_errors(errors)
        for before, after in zip(errors, processed):
            after.extensions = {**(after.extensions or {}), **error_extensions(before, after)}
            if before.original_error is not None and is_unavailable(before.original_error):
                after.message = UNAVAILABLE_MESSAGE
        if self.in_production():
            for error in processed:
                error.message = SUGGESTION.sub("", error.message)
        return processed

    def in_production(self) -> bool:
        context = getattr(self.execution_context, "context", None)
        settings = getattr(context, "settings", None)
        return bool(settings and settings.is_production)


def error_extensions(original: GraphQLError, shown: GraphQLError) -> dict[str, object]:
    cause = original.original_error
    if isinstance(cause, PublicError):
        return {"code": cause.code, **({"field": cause.field} if cause.field else {})}
    if isinstance(cause, GlobalIDValueError):
        return {"code": "INVALID_ID"}
    if cause is not None and is_unavailable(cause):
        return {"code": UNAVAILABLE_CODE}
    if shown is not original:
        return {"code": "INTERNAL_ERROR"}
    return {"code": "GRAPHQL_VALIDATION_FAILED" if cause is None else "BAD_REQUEST"}
