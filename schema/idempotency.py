"""Mutations sent with an `Idempotency-Key` header: a retry gets the first answer, changes nothing.

The key applies to the whole operation, which must hold exactly one mutation field. The first
request runs in one transaction with its key (`resolvers.idempotency`): the change, its audit
entry and the answer's `data` are committed together. A later request from the same user, for
the same mutation and with the same key, is answered with that `data` (and the response header
`Idempotent-Replayed: true`) without running; with the same key but a different request (document,
operation name or variables), its mutation is refused with `IDEMPOTENCY_KEY_REUSED`. A refused
change keeps no key, and neither does a keyed mutation whose answer has an error: that one is
rolled back whole, so a retry with the same key runs it again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    SelectionSetNode,
)
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from models import IdempotencyKey
from resolvers import idempotency
from resolvers.db.transaction import committing
from resolvers.errors import InvalidArgument, PublicError
from resolvers.idempotency import KeyedMutation, KeyedRequest

REPLAYED_HEADER = "Idempotent-Replayed"
# Their answers hold what must not be stored: a one-time secret, or personal data.
NOT_REPLAYABLE = frozenset({"issueToken", "createLoginLink", "exportContacts"})


class AnswerHasErrors(Exception):
    """Rolls a keyed mutation back: an answer with errors is not kept, and neither is its change."""


class Idempotency(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        request = self.keyed_request()
        if request is None:
            yield
            return
        context = self.execution_context.context
        lifetime = dt.timedelta(hours=context.settings.idempotency_key_hours)
        yielded = False
        try:
            async with committing(request.action):
                row = await idempotency.claim(request, lifetime)
                if row.answer is not None and row.fingerprint == request.fingerprint:
                    self.replay(row.answer)
                    yielded = True
                    yield
                    return
                context.keyed = KeyedMutation(refusal=None if row.answer is None else idempotency.REUSED)
                yielded = True
                yield
                await self.settle(row, context.keyed)
        except AnswerHasErrors:
            result = self.execution_context.result
            assert result is not None, "`settle` found errors in it"
            result.data = None
        except Exception as error:  # noqa: BLE001 - see answer_fault
            self.answer_fault(error)
            if not yielded:
                yield

    def answer_fault(self, error: Exception) -> None:
        """The transaction around the mutation failed (the database went away while the key was
        claimed or kept, or as it committed): it was rolled back, or, when the connection broke
        during COMMIT, nobody can tell, and a retry with the key does (it is replayed if the change
        was kept). Answered as the operation's error, so it is masked like any fault and a lost
        database is a 503."""
        shown = [GraphQLError(str(error), original_error=error)]
        if self.execution_context.result is None:
            self.execution_context.result = ExecutionResult(None, shown)
        else:  # the operation ran: its result is the one Strawberry answers with
            self.execution_context.result.data = None
            self.execution_context.result.errors = shown

    def keyed_request(self) -> KeyedRequest | None:
        """The key and what it is for; None when the operation runs as it would without one: no
        key, not a mutation, refused already, an anonymous caller (refused by the mutation's rule)
        or a bad key (refused here)."""
        execution = self.execution_context
        context = execution.context
        key = getattr(context, "idempotency_key", None)
        if (
            key is None
            or execution.operation_type is not OperationType.MUTATION
            or execution.result is not None
            or context.actor.user_id is None
        ):
            return None
        try:
            action = keyed_action(execution.graphql_document, execution.operation_name, key)
        except PublicError as error:
            execution.result = ExecutionResult(None, [GraphQLError(error.message, original_error=error)])
            return None
        return KeyedRequest(
            user_id=context.actor.user_id,
            action=action,
            key=key,
            fingerprint=idempotency.fingerprint(execution.query or "", execution.operation_name, execution.variables),
        )

    def replay(self, answer: dict[str, Any]) -> None:
        context = self.execution_context.context
        self.execution_context.result = ExecutionResult(answer, None)
        if context.response is not None:
            context.response.headers[REPLAYED_HEADER] = "true"

    async def settle(self, row: IdempotencyKey, keyed: KeyedMutation) -> None:
        """Keep the answer of a change; give the key up when nothing was changed."""
        result = self.execution_context.result
        if result is not None and result.errors:
            raise AnswerHasErrors
        if keyed.refusal is not None:
            return
        if keyed.accepted and result is not None and result.data is not None:
            await idempotency.keep(row, result.data)
        else:
            await idempotency.release(row)


def keyed_action(document: DocumentNode | None, operation_name: str | None, key: str) -> str:
    """The mutation the key is for; refuses a bad key or an operation it cannot cover."""
    idempotency.check_key(key)
    operation = get_operation_ast(document, operation_name) if document is not None else None
    fields = root_fields(operation.selection_set, document) if document is not None and operation is not None else []
    if len(fields) != 1:
        raise InvalidArgument(
            "An Idempotency-Key covers an operation with one mutation field; send each mutation in a request of its own."
        )
    (action,) = fields
    if action in NOT_REPLAYABLE:
        raise InvalidArgument(
            f"`{action}` cannot be sent with an Idempotency-Key: its answer holds a secret or personal data, "
            "which are not kept for replay."
        )
    return action


def root_fields(selection_set: SelectionSetNode, document: DocumentNode) -> list[str]:
    """The names of the fields an operation selects at its root (one per selection, aliases
    counted apart), through fragments, `__typename` aside."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    names: list[str] = []
    pending = [selection_set]
    seen: set[str] = set()
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FieldNode) and selection.name.value != "__typename":
                names.append(selection.name.value)
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                seen.add(selection.name.value)
                if selection.name.value in fragments:
                    pending.append(fragments[selection.name.value].selection_set)
    return names
