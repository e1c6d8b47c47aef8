"""Bounded queries: the depth limit and the cost of an operation, with a budget per caller.

The cost is computed from the parsed document before anything runs, as GitHub's node limit is:
it is the number of objects the response can hold at most.

- A field that returns an object costs 1, plus the cost of its selection; a scalar costs 0.
- A connection (a field taking `first`/`last`) returns one page: the list fields in its selection
  (`edges`, `nodes`) count once per item, `first` or `last` items (20 when neither is given);
  its other fields (`pageInfo`) count once. A list field that itself takes `first` counts
  `first` times. Nested connections multiply.
- A list without paging arguments (ten themes, a member's working groups) counts as one object.
- Fragments, named or inline, count as if written in place; fragments on different types of one
  union or interface are added. Introspection fields count like any other field.

An operation costing more than `MAX_COST` is refused before it runs (`COST_LIMIT_EXCEEDED`).
Otherwise its cost is spent from the caller's budget (`resolvers.cluster.budget`); a caller over budget
is refused (`RATE_LIMITED`, HTTP 429 with `Retry-After`). Every response reports
`extensions.cost = {requested, limit, remaining, resetAt}`, where `limit` and `remaining` are the
caller's points per minute.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInt,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    get_named_type,
    is_leaf_type,
    value_from_ast,
)
from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension
from strawberry.extensions.max_aliases import count_fields_with_alias

from i18n import message
from resolvers.cluster.budget import Remaining, caller_of
from resolvers.db.pagination import DEFAULT_PAGE_SIZE
from resolvers.errors import PublicError
from schema.errors import LocalisedError

MAX_COST = 10_000
COST_CACHE_SIZE = 512
PAGE_ARGUMENTS = ("first", "last")
META_FIELDS = {"__schema": SchemaMetaFieldDef, "__type": TypeMetaFieldDef}


class CostLimitExceeded(PublicError):
    code = "COST_LIMIT_EXCEEDED"


class RateLimited(PublicError):
    code = "RATE_LIMITED"


class CostCounter:
    """Counts one operation; a named fragment is counted once per page size it appears under."""

    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode], variables: dict[str, Any]) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.fragment_costs: dict[tuple[str, int], int] = {}

    def selection_cost(self, selection_set: SelectionSetNode, parent: GraphQLNamedType, page: int) -> int:
        """The cost of a selection; its list fields count `page` times (1 outside a connection)."""
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field_cost(selection, parent, page)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                on = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selection_cost(selection.selection_set, on or parent, page)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment_cost(selection.name.value, page)
        return total

    def fragment_cost(self, name: str, page: int) -> int:
        key = (name, page)
        if key not in self.fragment_costs:
            fragment = self.fragments[name]
            on = self.schema.get_type(fragment.type_condition.name.value)
            self.fragment_costs[key] = self.selection_cost(fragment.selection_set, on, page) if on else 0
        return self.fragment_costs[key]

    def field_cost(self, node: FieldNode, parent: GraphQLNamedType, page: int) -> int:
        definition = field_definition(self.schema, parent, node.name.value)
        if definition is None or node.selection_set is None or is_leaf_type(get_named_type(definition.type)):
            return 0
        size = self.page_size(node, definition)
        returns_list = is_list(definition.type)
        count = page if returns_list else 1
        if size is not None and returns_list:
            count *= size
        inner_page = size if size is not None and not returns_list else 1
        return count * (1 + self.selection_cost(node.selection_set, get_named_type(definition.type), inner_page))

    def page_size(self, node: FieldNode, definition: GraphQLField) -> int | None:
        """`first`/`last` as given (or DEFAULT_PAGE_SIZE) for a paged field; None for any other."""
        if not any(name in definition.args for name in PAGE_ARGUMENTS):
            return None
        sizes = [
            value_from_ast(argument.value, GraphQLInt, self.variables)
            for argument in node.arguments or ()
            if argument.name.value in PAGE_ARGUMENTS
        ]
        given = [size for size in sizes if isinstance(size, int) and size >= 0]
        return max(given) if given else DEFAULT_PAGE_SIZE


def field_definition(schema: GraphQLSchema, parent: GraphQLNamedType, name: str) -> GraphQLField | None:
    if name in META_FIELDS and parent is schema.query_type:
        return META_FIELDS[name]
    fields = getattr(parent, "fields", None)
    return fields.get(name) if fields else None


def is_list(type_: GraphQLOutputType) -> bool:
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


def operation_cost(
    schema: GraphQLSchema, document: Any, operation_name: str | None, variables: Mapping[str, Any]
) -> int:
    """The cost of the operation `operation_name` picks in `document` (0 if none is found)."""
    operation = get_operation_ast(document, operation_name)
    root = schema.get_root_type(operation.operation) if operation else None
    if operation is None or root is None:
        return 0
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    counter = CostCounter(schema, fragments, {**variable_defaults(operation), **variables})
    return counter.selection_cost(operation.selection_set, root, 1)


_costs: dict[tuple[GraphQLSchema, str, str | None, tuple[tuple[str, int], ...]], int] = {}


def cached_cost(
    schema: GraphQLSchema, query: str, document: Any, operation_name: str | None, variables: Mapping[str, Any]
) -> int:
    """`operation_cost`, remembered per query text and integer variables (the only ones a page
    size can come from), so that a repeated operation is priced by one dictionary lookup."""
    key = (schema, query, operation_name, tuple(sorted((k, v) for k, v in variables.items() if isinstance(v, int))))
    cost = _costs.get(key)
    if cost is None:
        if len(_costs) >= COST_CACHE_SIZE:
            _costs.clear()
        cost = _costs[key] = operation_cost(schema, document, operation_name, variables)
    return cost


def variable_defaults(operation: OperationDefinitionNode) -> dict[str, Any]:
    return {
        definition.variable.name.value: value_from_ast(definition.default_value, GraphQLInt)
        for definition in operation.variable_definitions or ()
        if definition.default_value is not None
    }


def depth_rule(max_depth: int) -> type[ValidationRule]:
    """A validation rule refusing operations nested deeper than `max_depth` object fields.

    Unlike Strawberry's QueryDepthLimiter it counts introspection fields (`__schema`, `__type`),
    whose `ofType { ofType { … } }` chains nest as deep as a caller likes.
    """

    class DepthLimit(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            fragments = {
                d.name.value: d for d in self.context.document.definitions if isinstance(d, FragmentDefinitionNode)
            }
            if selection_depth(node.selection_set, fragments, {}) > max_depth:
                name = node.name.value if node.name else "anonymous"
                self.report_error(
                    LocalisedError(message("errors.limits.depth", name=name, max_depth=max_depth), [node])
                )

    return DepthLimit


def alias_rule(max_aliases: int) -> type[ValidationRule]:
    """Strawberry's alias limit, with its message in the caller's language."""

    class AliasLimit(ValidationRule):
        def enter_document(self, node: DocumentNode, *_: Any) -> None:
            fragments = {d.name.value: d for d in node.definitions if isinstance(d, FragmentDefinitionNode)}
            count = sum(
                count_fields_with_alias(d, fragments) for d in node.definitions if isinstance(d, OperationDefinitionNode)
            )
            if count > max_aliases:
                self.report_error(LocalisedError(message("errors.limits.aliases", count=count, max_aliases=max_aliases)))

    return AliasLimit


def selection_depth(
    selection_set: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode], known: dict[str, int]
) -> int:
    """How many object fields nest in `selection_set`; `known` memoises fragments (and stops cycles)."""
    depth = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.selection_set is not None:
                depth = max(depth, 1 + selection_depth(selection.selection_set, fragments, known))
        elif isinstance(selection, InlineFragmentNode):
            depth = max(depth, selection_depth(selection.selection_set, fragments, known))
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value in fragments:
            name = selection.name.value
            if name not in known:
                known[name] = 0
                known[name] = selection_depth(fragments[name].selection_set, fragments, known)
            depth = max(depth, known[name])
    return depth


class QueryCost(SchemaExtension):
    """Refuses operations that cost too much or that the caller's budget cannot pay for."""

    def __init__(self) -> None:
        self.cost = 0
        self.remaining: Remaining | None = None

    async def on_execute(self) -> AsyncIterator[None]:
        if self.execution_context.result is None:
            await self.charge()
        yield

    async def charge(self) -> None:
        """Price the operation, then refuse it or take its cost from the caller's budget."""
        execution = self.execution_context
        request = execution.context
        self.cost = cached_cost(
            execution.schema._schema,
            execution.query or "",
            execution.graphql_document,
            execution.operation_name,
            execution.variables or {},
        )
        if self.cost > MAX_COST:
            refuse(
                execution,
                CostLimitExceeded(
                    message("errors.limits.cost", cost=self.cost, max_cost=MAX_COST)
                ),
                {"cost": self.cost, "maxCost": MAX_COST},
            )
            return
        self.remaining = await request.budget.spend(caller_of(request.actor, request.client_address, request.settings), self.cost)
        if not self.remaining.granted:
            self.refuse_over_budget()

    def refuse_over_budget(self) -> None:
        assert self.remaining is not None
        request = self.execution_context.context
        retry_after = self.remaining.retry_after
        refuse(
            self.execution_context,
            RateLimited(
                message("errors.limits.budget", cost=self.cost, remaining=self.remaining.remaining, limit=self.remaining.limit, retry_after=retry_after)
            ),
            {"cost": self.cost, "retryAfter": retry_after},
        )
        if request.response is not None:
            request.response.status_code = 429
            request.response.headers["Retry-After"] = str(retry_after)

    async def get_results(self) -> dict[str, Any]:
        request = self.execution_context.context
        remaining = self.remaining or await request.budget.spend(caller_of(request.actor, request.client_address, request.settings), 0)
        return {"cost": cost_report(self.cost, remaining)}


def cost_report(requested: int, remaining: Remaining) -> dict[str, Any]:
    return {
        "requested": requested,
        "limit": remaining.limit,
        "remaining": remaining.remaining,
        "resetAt": datetime.fromtimestamp(remaining.reset_at, UTC).isoformat().replace("+00:00", "Z"),
    }


def refuse(execution: Any, error: PublicError, extensions: dict[str, Any]) -> None:
    """Stand a refusal in for the result, so the operation does not run."""
    execution.result = ExecutionResult(
        data=None, errors=[GraphQLError(error.message, original_error=error, extensions=extensions)]
    )
