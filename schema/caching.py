"""What the GraphQL layer tells the response cache (`edge.response_cache`), and the data version.

The cache in front of /graphql cannot read the operation without parsing it again, so the
schema says, per HTTP request, whether the answer may be kept: a query (not a mutation or a
subscription) whose result has no errors, that records nothing when it runs and whose answer no
read changes. Every mutation, over HTTP, WebSocket or from the portals in this process, raises
the data version once it has run, so that no answer cached before it is served after it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
)
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from resolvers.cluster.data_version import data_version
from schema.contract.documents import deprecated_coordinates
from schema.cost import cached_cost

# Root fields whose answer changes without a mutation: the record of deprecated usage grows as
# operations that use deprecated fields are read.
READ_DEPENDENT_FIELDS = frozenset({"deprecatedUsage"})


@dataclass
class CacheNote:
    """Filled in while one HTTP request's operation runs."""

    cacheable: bool = False
    cost: int = 0
    """The operation's cost, charged again to each caller its cached answer is served to."""


_note: ContextVar[CacheNote | None] = ContextVar("cache_note", default=None)


@contextmanager
def noting() -> Iterator[CacheNote]:
    """The note the operation run inside this block fills in."""
    note = CacheNote()
    token = _note.set(note)
    try:
        yield note
    finally:
        _note.reset(token)


class ResponseCaching(SchemaExtension):
    """Raises the data version after each mutation; marks cacheable queries for the response cache."""

    async def on_execute(self) -> AsyncIterator[None]:
        execution = self.execution_context
        if execution.operation_type is OperationType.MUTATION:
            # Even when stopped or failed: a reader sharing its connection may have seen its writes.
            try:
                yield
            finally:
                await data_version.bump()
            return
        yield
        note = _note.get()
        result = execution.result
        if (
            note is None
            or execution.operation_type is not OperationType.QUERY
            or result is None
            or result.errors
            or not execution.query
            or execution.graphql_document is None
        ):
            return
        schema = execution.schema._schema
        if deprecated_coordinates(
            schema, execution.query, execution.operation_name
        ) or selects_root_field(
            execution.graphql_document, execution.operation_name, READ_DEPENDENT_FIELDS
        ):
            return
        note.cacheable = True
        note.cost = cached_cost(
            schema,
            execution.query,
            execution.graphql_document,
            execution.operation_name,
            execution.variables or {},
        )


def selects_root_field(
    document: DocumentNode, operation_name: str | None, names: frozenset[str]
) -> bool:
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return False
    fragments = {
        d.name.value: d.selection_set
        for d in document.definitions
        if isinstance(d, FragmentDefinitionNode)
    }
    return selects(operation.selection_set, fragments, names, set())


def selects(
    selection_set: SelectionSetNode,
    fragments: dict[str, SelectionSetNode],
    names: frozenset[str],
    seen: set[str],
) -> bool:
    """Whether any of `names` is selected at this level, through fragments too."""
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode) and selection.name.value in names:
            return True
        if isinstance(selection, InlineFragmentNode) and selects(
            selection.selection_set, fragments, names, seen
        ):
            return True
        if isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name not in seen and name in fragments:
                seen.add(name)
                if selects(fragments[name], fragments, names, seen):
                    return True
    return False
