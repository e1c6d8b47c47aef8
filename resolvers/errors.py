"""Errors the API reports to its callers.

`PublicError` and its subclasses carry a message written for the caller and a machine-readable
code; they pass through error masking unchanged. Any other exception is a fault: it is logged and
the caller sees only "Unexpected error."
"""

from __future__ import annotations


class PublicError(Exception):
    code = "BAD_REQUEST"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidArgument(PublicError):
    code = "INVALID_ARGUMENT"
