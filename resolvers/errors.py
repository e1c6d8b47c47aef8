"""Errors the API reports to its callers.

`PublicError` and its subclasses carry a message written for the caller and a machine-readable
code; they pass through error masking unchanged. Any other exception is a fault: it is logged and
the caller sees only "Unexpected error."
"""

from __future__ import annotations


class PublicError(Exception):
    code = "BAD_REQUEST"

    def __init__(self, message: str, *, field: str | tuple[str, ...] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidArgument(PublicError):
    code = "INVALID_ARGUMENT"


class Unauthenticated(PublicError):
    """The request carried a token that is malformed, unknown, revoked or expired (HTTP 401)."""

    code = "UNAUTHENTICATED"


class Forbidden(PublicError):
    """The caller may not read this field."""

    code = "FORBIDDEN"


class Refused(PublicError):
    """A rule said no. In a mutation it becomes a `userError`; elsewhere a top-level error.

    `code` is one of the `UserErrorCode` names; `field` is the path to the input field concerned.
    """

    def __init__(self, code: str, message: str, *, field: tuple[str, ...] | None = None) -> None:
        super().__init__(message, field=field)
        self.code = code
