"""Which errors reach the caller as they are, and which are masked.

Errors written for the caller (`PublicError`, malformed global IDs, GraphQL validation) pass
through with a machine-readable `extensions.code`; any other exception is a fault and the caller
sees only "Unexpected error." (the server log keeps the traceback). A fault that says the database
cannot be reached is masked too, with its own code, `SERVICE_UNAVAILABLE`: the HTTP endpoint and
the portals answer it with 503 and `Retry-After` (`edge/outage.py`).

Messages are in the request's language (`i18n.speaking`): a `PublicError` renders when
graphql-core turns it into an error, the masked message here, and the limits' own validation
errors (`LocalisedError`) here too, since validation errors are cached across requests and
callers. graphql-core's other validation errors are for programmers and stay in English.
"""

from __future__ import annotations

import re
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import MaskErrors
from strawberry.relay.types import GlobalIDValueError

from database.connection import is_unavailable
from i18n import DEFAULT_LANGUAGE, Text, message
from resolvers.errors import PublicError

MASKED_MESSAGE = message("errors.unexpected")
UNAVAILABLE_CODE = "SERVICE_UNAVAILABLE"
UNAVAILABLE_MESSAGE = message("errors.service_unavailable")
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
        super().__init__(should_mask_error=should_mask)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        """The fault's place, and `MASKED_MESSAGE` in the language in use (rendered now, not when
        the extension was made: the operation's language is set once it starts, see `Speaking`)."""
        return GraphQLError(
            message=str(MASKED_MESSAGE), nodes=error.nodes, source=error.source, positions=error.positions, path=error.path
        )

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        processed = super()._process_errors(errors)
        for before, after in zip(errors, processed, strict=True):
            after.extensions = {**(after.extensions or {}), **error_extensions(before, after)}
            if before.original_error is not None and is_unavailable(before.original_error):
                after.message = str(UNAVAILABLE_MESSAGE)
        processed = [in_language_in_use(error) for error in processed]
        if self.in_production():
            for error in processed:
                error.message = SUGGESTION.sub("", error.message)
        return processed

    def in_production(self) -> bool:
        context = getattr(self.execution_context, "context", None)
        settings = getattr(context, "settings", None)
        return bool(settings and settings.is_production)


class LocalisedError(GraphQLError):
    """A validation error of ours whose message is rendered for each caller, not once: the
    validation cache keeps the error itself, and hands it to callers of every language."""

    def __init__(self, text: Text, nodes: Any = None) -> None:
        super().__init__(text.render(DEFAULT_LANGUAGE), nodes)
        self.text = text


def in_language_in_use(error: GraphQLError) -> GraphQLError:
    """A copy of a `LocalisedError` in the language of the request (the cached one unchanged)."""
    if not isinstance(error, LocalisedError):
        return error
    return GraphQLError(
        str(error.text), error.nodes, error.source, error.positions, error.path, extensions=error.extensions
    )


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
