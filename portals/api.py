"""The portals' only way to the data: the GraphQL documents in `operations/`, executed through
the public schema with the signed-in user as the actor, exactly as /graphql would run them for
that user. The same rules, userErrors and audit entries apply; nothing here touches the ORM.
Operations run in the page's language, so the API's messages come back in it.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from graphql import FieldNode, GraphQLEnumType, parse
from graphql.utilities import get_operation_ast

from edge.outage import raise_if_unavailable
from resolvers.access import Actor
from schema import schema
from schema.context import Context
from schema.idempotency import NOT_REPLAYABLE
from settings import Settings

OPERATIONS_DIR = Path(__file__).resolve().parent / "operations"
SUBMISSION_KEY_BYTES = 16


# Fragments several documents spread, one per file named after it: `fragments/<Name>.graphql`.
FRAGMENTS_DIR = OPERATIONS_DIR / "fragments"
FRAGMENT_SPREAD = re.compile(r"\.\.\.\s*([A-Z]\w*)")


@cache
def document(name: str) -> str:
    """The text of `operations/<name>.graphql`, e.g. `document("admin/roster")`, followed by the
    shared fragments it spreads (`FRAGMENTS_DIR`) and those spread in them."""
    text = (OPERATIONS_DIR / f"{name}.graphql").read_text(encoding="utf-8")
    added: set[str] = set()
    spread = set(FRAGMENT_SPREAD.findall(text))
    while fragments := {f for f in spread - added if (FRAGMENTS_DIR / f"{f}.graphql").exists()}:
        for fragment in sorted(fragments):
            body = (FRAGMENTS_DIR / f"{fragment}.graphql").read_text(encoding="utf-8")
            text += "\n" + body
            spread |= set(FRAGMENT_SPREAD.findall(body))
        added |= fragments
    return text


def document_names() -> list[str]:
    """The names of the portals' operations (the shared fragments are not operations)."""
    return sorted(
        str(path.relative_to(OPERATIONS_DIR).with_suffix(""))
        for path in OPERATIONS_DIR.rglob("*.graphql")
        if FRAGMENTS_DIR not in path.parents
    )


class ApiError(Exception):
    """A top-level GraphQL error: a malformed argument (e.g. a tampered cursor), a private field,
    or a fault. Carries the API's code and message for the error page."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class UserError:
    field: tuple[str, ...]
    code: str
    message: str
    translated: bool = False
    """True for problems the portal found itself; the API's own messages are in the page's
    language too (the operation ran in it)."""

    @property
    def name(self) -> str:
        """The input field concerned (the path's last step), or "" when the error has none."""
        return self.field[-1] if self.field else ""


@dataclass(frozen=True)
class Outcome:
    """What a mutation answered: its payload and the userErrors that refused it."""

    payload: dict[str, Any]
    errors: list[UserError] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return not self.errors

    def for_field(self, name: str) -> list[UserError]:
        return [error for error in self.errors if error.name == name]


NO_ERRORS = Outcome({})


def new_submission_key() -> str:
    """A form's key, made as it is rendered and sent as the Idempotency-Key of its mutation."""
    return secrets.token_urlsafe(SUBMISSION_KEY_BYTES)


@cache
def takes_key(name: str) -> bool:
    """Whether the mutation of document `name` may be sent with an Idempotency-Key."""
    operation = get_operation_ast(parse(document(name)))
    assert operation is not None, name
    return not {field.name.value for field in operation.selection_set.selections if isinstance(field, FieldNode)} & NOT_REPLAYABLE


async def execute(
    settings: Settings, actor: Actor, name: str, variables: dict[str, Any], *, language: str, key: str | None = None
) -> dict[str, Any]:
    result = await schema.execute(
        document(name),
        variable_values=variables,
        context_value=Context(settings=settings, actor=actor, language=language, idempotency_key=key),
    )
    if result.errors:
        raise_if_unavailable({(error.extensions or {}).get("code") for error in result.errors})
        error = result.errors[0]
        raise ApiError(str((error.extensions or {}).get("code", "BAD_REQUEST")), error.message)
    assert result.data is not None
    return result.data


async def mutate(
    settings: Settings, actor: Actor, name: str, input: dict[str, Any], *, language: str, key: str | None = None
) -> Outcome:
    """Run a one-field mutation document with `$input`; its payload and userErrors. With `key`,
    a second run with the same input answers as the first did and changes nothing."""
    data = await execute(
        settings, actor, name, {"input": input}, language=language, key=key if takes_key(name) else None
    )
    (payload,) = data.values()
    errors = [
        UserError(tuple(error["field"] or ()), error["code"], error["message"])
        for error in payload["userErrors"]
    ]
    return Outcome(payload, errors)


@cache
def enum_values(enum_name: str) -> tuple[str, ...]:
    """The values of one of the schema's enums, e.g. `enum_values("MembershipTier")`."""
    enum = schema._schema.get_type(enum_name)
    assert isinstance(enum, GraphQLEnumType), enum_name
    return tuple(enum.values)
