"""Persisted operations as Apollo clients send them, and the allow-list of persisted-only mode.

A request may carry `extensions.persistedQuery = {version: 1, sha256Hash}`:
- without `query`, the server runs the document registered under that hash, or answers
  `PersistedQueryNotFound` (code PERSISTED_QUERY_NOT_FOUND) so the client sends the text once;
- with `query`, the hash must be the text's SHA-256; the document is then registered.

Callers whose kind is in `TSUNAGU_PERSISTED_ONLY` may run trusted operations only (those shipped
in the repository), by hash or by text; what a client registers is a cache, not a permission.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError

from i18n import Text, message
from resolvers import contract
from resolvers.access import Actor
from schema.contract.documents import normalised_operation, sha256_hex
from settings import Settings

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


class PersistedQueryError(Exception):
    """`message` is a `Text` in the caller's language, or one of the exact strings Apollo
    clients recognise (`PersistedQueryNotFound`), which stay as they are."""

    def __init__(self, code: str, message: str | Text) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def as_graphql_error(self) -> GraphQLError:
        return GraphQLError(str(self.message), extensions={"code": self.code})


@dataclass(frozen=True)
class Resolved:
    query: str | None
    register_as: str | None
    """The hash to register the query under once it has run; None if nothing is to be registered."""


def requested_hash(extensions: dict[str, Any] | None) -> str | None:
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is None:
        return None
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise PersistedQueryError("PERSISTED_QUERY_NOT_SUPPORTED", message("errors.contract.persisted_version"))
    sha256 = persisted.get("sha256Hash")
    if not isinstance(sha256, str) or not SHA256_HEX.match(sha256):
        raise PersistedQueryError("BAD_REQUEST", message("errors.contract.persisted_hash_format"))
    return sha256


async def resolve(
    query: str | None, extensions: dict[str, Any] | None, operation_name: str | None, actor: Actor, settings: Settings
) -> Resolved:
    """The document to run for this request, or a PersistedQueryError to answer instead."""
    sha256 = requested_hash(extensions)
    register_as = None
    if sha256 is not None and query is None:
        query = await contract.persisted_document(sha256)
        if query is None:
            # Apollo clients recognise this exact message and resend the query with its text.
            raise PersistedQueryError("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")
    elif sha256 is not None and query is not None:
        if sha256_hex(query) != sha256:
            raise PersistedQueryError("PERSISTED_QUERY_HASH_MISMATCH", "provided sha does not match query")
        register_as = sha256
    if contract.caller_kind(actor) in settings.persisted_only and query is not None:
        await require_trusted(query, operation_name, actor)
    return Resolved(query, register_as)


async def require_trusted(query: str, operation_name: str | None, actor: Actor) -> None:
    operation = normalised_operation(query, operation_name)
    if operation is None or not await contract.is_trusted(sha256_hex(operation)):
        who = (
            message("errors.contract.callers.anonymous")
            if not actor.is_authenticated
            else message("errors.contract.callers.kind", kind=contract.caller_kind(actor))
        )
        raise PersistedQueryError(
            "PERSISTED_QUERY_REQUIRED",
            message("errors.contract.persisted_only", who=who),
        )
