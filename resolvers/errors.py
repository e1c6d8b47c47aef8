"""Errors the API reports to its callers.

`PublicError` and its subclasses carry a message written for the caller and a machine-readable
code; they pass through error masking unchanged. Any other exception is a fault: it is logged and
the caller sees only "Unexpected error." (in the caller's language).

Messages are keys of the catalogue (`i18n.message(...)`, a `Text`): `str(error)` and
`error.message` render one in the language of the request being served (`i18n.speaking`), so the
same refusal reads in Japanese or in English depending on who asked. Codes never change with it.
"""

from __future__ import annotations

from enum import Enum

from i18n import Text, message


class PublicError(Exception):
    code = "BAD_REQUEST"

    def __init__(self, message: str | Text, *, field: str | tuple[str, ...] | None = None) -> None:
        super().__init__(message)
        self.text = message
        self.field = field

    @property
    def message(self) -> str:
        """The message in the language in use now."""
        return str(self.text)

    def __str__(self) -> str:
        return self.message


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

    def __init__(self, code: str, message: str | Text, *, field: tuple[str, ...] | None = None) -> None:
        super().__init__(message, field=field)
        self.code = code


def state_name(value: Enum) -> Text:
    """An enum's value as a person reads it ("公開中" / "Published"), for naming a state in a message."""
    return message(f"enum.{type(value).__name__}.{value.value}")
