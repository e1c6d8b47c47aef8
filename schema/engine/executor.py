"""An executor that runs each query document as a plan compiled once per document.

graphql-core's executor works out, for every field of every object it completes, what the
query asks of it: it collects the sub-selections, looks up the field definition, builds a
`GraphQLResolveInfo` and a `Path`, coerces the arguments and tests each value for being
awaitable, through half a dozen method calls a field. On a roster of 581 members that is most
of a request's time (`bench/executor.py` measures it). A document asks the same of every
object of a type, so `Compiler` works it out once and the plan is kept with the document:
for each field its response key, its resolver, its arguments (when they use no variables)
and a completer for its type. Running the plan is then a loop of resolver calls per object,
and a loop that awaits what the resolvers left pending (DataLoader batches), one level of the
tree at a time.

The plan covers the happy path of a query, and nothing else. Whatever it meets that it does
not cover (a resolver's error, raised or returned, a null in a non-null field, an abstract
type, `@defer`, a middleware, an abort signal) makes it step aside, and graphql-core executes
the operation from the start: errors, their paths and null propagation stay graphql-core's
own. Queries only read, so running their resolvers a second time changes nothing, and the
DataLoaders answer the repeat from their caches.

Every step aside is told, with its `FallbackReason`: a debug line on the `tsunagu.plan` logger,
and to whoever watches `step_asides` (the metric `tsunagu_plan_fallback_total`, and the test
suite, which fails a test that steps aside where it did not say it would). A plan that runs
through pays nothing for this.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from types import GeneratorType
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLError,
    GraphQLField,
    GraphQLID,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLString,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    OperationType,
    ValueNode,
    VariableNode,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList, collect_fields, collect_subfields
from graphql.execution.values import get_argument_values
from graphql.language import DirectiveNode, Visitor, visit
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

from schema.engine.direct import ContextOnly, InfoNotCarried, ignoring_info
from schema.engine.per_object import PerObject
from schema.engine.selection import selection

LOG = logging.getLogger("tsunagu.plan")


class FallbackReason(StrEnum):
    """Why an operation ran on graphql-core's executor rather than through its plan."""

    ABSTRACT_TYPE = "abstract_type"
    """The document selects an interface or a union: graphql-core resolves their runtime types."""
    UNSUPPORTED_SYNTAX = "unsupported_syntax"
    """`@defer`, `@stream` or fragment arguments."""
    INVALID_DOCUMENT = "invalid_document"
    """Compiling met an error graphql-core reports (an argument that does not coerce)."""
    EXECUTION_OPTIONS = "execution_options"
    """The execution has a middleware, hooks or an abort signal, or runs serially."""
    FIELD_ERROR = "field_error"
    """A resolver raised an error or returned one."""
    NULL_IN_NON_NULL = "null_in_non_null"
    """A resolver gave null for a non-null field."""
    UNEXPECTED_VALUE = "unexpected_value"
    """A value the plan does not complete: one its scalar cannot serialize, a list that is not
    one or holds awaitables, an object that fails its type's check."""
    PLAN_ERROR = "plan_error"
    """The plan itself raised: a fault in this module."""


@dataclass(frozen=True, slots=True)
class Fallback:
    """Why one operation steps aside, and where in it (a field, or an abstract type)."""

    reason: FallbackReason
    where: str = ""


class StepAside(Exception):
    """The plan met something it leaves to graphql-core."""

    def __init__(self, reason: FallbackReason, where: str = "") -> None:
        super().__init__(reason, where)
        self.fallback = Fallback(reason, where)


# (operation, reason, where) -> None
StepAsideWatcher = Callable[[str, FallbackReason, str], None]


class StepAsides:
    """Tells its watchers of every operation that stepped aside: its name, the reason, and where."""

    def __init__(self) -> None:
        self._watchers: list[weakref.WeakMethod[StepAsideWatcher]] = []

    def watch(self, watcher: StepAsideWatcher) -> None:
        """Call the bound method `watcher` on each step aside for as long as its object lives
        (apps built and dropped by tests go away)."""
        self._watchers.append(weakref.WeakMethod(watcher))

    def report(self, operation: str, fallback: Fallback) -> None:
        self._watchers = [ref for ref in self._watchers if ref() is not None]
        for ref in self._watchers:
            watcher = ref()
            if watcher is not None:
                watcher(operation, fallback.reason, fallback.where)


step_asides = StepAsides()
EXECUTION_OPTIONS = Fallback(FallbackReason.EXECUTION_OPTIONS)
INVALID_DOCUMENT = Fallback(FallbackReason.INVALID_DOCUMENT)


# The values graphql-core's scalars serialize as themselves. (An `int` is not: `Int` checks
# that it fits in 32 bits.)
SELF_SERIALIZING: dict[GraphQLOutputType, tuple[type, ...]] = {
    GraphQLString: (str,),
    GraphQLID: (str,),
    GraphQLBoolean: (bool,),
}

# Strawberry's own `is_type_of` (an isinstance test for types that implement interfaces)
# ignores its `info`, so the plan passes None instead of building one for every object.
STRAWBERRY_IS_TYPE_OF_MODULE = "strawberry.schema.schema_converter"

# A completer turns a resolver's value into the response's value for one field's type:
# (run, value, field, path of the field) -> completed value.
Completer = Callable[["Run", Any, "FieldPlan", Path | None], Any]


@dataclass(frozen=True, slots=True)
class FieldPlan:
    """What the plan does for one response key of one object type."""

    key: str
    parent_type: GraphQLObjectType
    definition: GraphQLField
    nodes: list[FieldNode]
    resolve: Callable[..., Any]
    # The coerced arguments, or None when they use variables and are coerced on each call.
    arguments: dict[str, Any] | None
    complete: Completer
    takes_info: bool
    # The attribute to read, for a field whose resolver only reads one with `getattr`.
    attribute: str | None
    # The types of value that are their own serialization in this field (a `str` for a
    # `String`; None where the field is nullable): they skip the completer.
    passthrough: frozenset[type]
    # The resolver itself, called with a `ContextOnly` and the arguments, for one marked
    # `context_only`.
    context_only: Callable[..., Any] | None
    # Whether this field's path must be built: its resolver, or one below it, reads info.path.
    needs_path: bool


@dataclass(frozen=True, slots=True)
class ObjectPlan:
    """The fields the document selects on one object type, at one place in the document."""

    type: GraphQLObjectType
    fields: tuple[FieldPlan, ...]
    needs_path: bool


class Run:
    """One execution of a plan: the executor it runs for and the values still pending."""

    __slots__ = ("context_only", "executor", "is_awaitable", "pending")

    def __init__(self, executor: CompiledExecutor) -> None:
        self.executor = executor
        self.context_only = ContextOnly(executor.context_value)
        self.is_awaitable = remembering_plain_types(executor.is_awaitable)
        self.pending: list[tuple[Any, dict[str, Any], FieldPlan, Path | None]] = []

    def info(self, field: FieldPlan, path: Path | None) -> GraphQLResolveInfo:
        return self.executor.build_resolve_info(
            field.definition,
            field.nodes,
            field.parent_type,
            path,  # type: ignore[arg-type]
        )

    def arguments(self, field: FieldPlan) -> dict[str, Any]:
        executor = self.executor
        return get_argument_values(
            field.definition,
            field.nodes[0],
            executor.variable_values,
            None,
            executor.hide_suggestions,
        )

    def abandon(self) -> None:
        """Close the coroutines that will not be awaited now, so none is left dangling."""
        for awaitable, *_ in self.pending:
            close = getattr(awaitable, "close", None)
            if close is not None:
                close()
        self.pending.clear()


@functools.cache
def remembering_plain_types(is_awaitable: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """`is_awaitable`, answering at once for the types it has found a value of not awaitable.

    A value is awaitable by its type's `__await__` (or for being a coroutine), so one answer
    holds for its whole type; generators are the exception, each asked on its own. Dates,
    enums and the schema's own objects are not in Strawberry's short list of plain types.
    """
    plain_types: set[type] = set()

    def test(value: Any) -> bool:
        kind = type(value)
        if kind in plain_types:
            return False
        if is_awaitable(value):
            return True
        if kind is not GeneratorType:
            plain_types.add(kind)
        return False

    return test


def field_name(field: FieldPlan) -> str:
    return f"{field.parent_type.name}.{field.nodes[0].name.value}"


def execute_object(run: Run, plan: ObjectPlan, source: Any, path: Path | None) -> dict[str, Any]:
    data: dict[str, Any] = {}
    is_awaitable = run.is_awaitable
    for field in plan.fields:
        key = field.key
        field_path = Path(path, key, plan.type.name) if field.needs_path else None
        if field.attribute is not None:
            # An attribute is data, not a pending value: a value that is neither its own
            # serialization nor what the completer expects makes the completer step aside.
            value = getattr(source, field.attribute)
            data[key] = (
                value
                if type(value) in field.passthrough
                else field.complete(run, value, field, field_path)
            )
            continue
        try:  # costs nothing unless a resolver raises
            arguments = field.arguments if field.arguments is not None else run.arguments(field)
            if field.context_only is not None:
                value = field.context_only(source, run.context_only, **arguments)
            else:
                info = run.info(field, field_path) if field.takes_info else None
                value = field.resolve(source, info, **arguments)
        except InfoNotCarried as error:
            raise StepAside(FallbackReason.FIELD_ERROR, f"{field_name(field)}, {error}") from error
        except Exception as error:
            raise StepAside(FallbackReason.FIELD_ERROR, field_name(field)) from error
        if is_awaitable(value):
            data[key] = None
            run.pending.append((value, data, field, field_path))
        else:
            data[key] = field.complete(run, value, field, field_path)
    return data


async def settle(run: Run, data: dict[str, Any]) -> dict[str, Any]:
    """Await what the resolvers left pending, level by level, completing each into `data`."""
    while run.pending:
        batch, run.pending = run.pending, []
        values = await asyncio.gather(
            *(awaitable for awaitable, *_ in batch), return_exceptions=True
        )
        for (_, container, field, path), value in zip(batch, values, strict=True):
            if isinstance(value, BaseException):
                raise StepAside(FallbackReason.FIELD_ERROR, field_name(field)) from value
            container[field.key] = field.complete(run, value, field, path)
    return data


# --------------------------------------------------------------------------- compiling


class Compiler:
    """Builds the plan of one operation, for the variables it was first run with."""

    def __init__(self, executor: CompiledExecutor) -> None:
        self.executor = executor
        self.schema = executor.schema

    def operation(self, operation: OperationDefinitionNode) -> ObjectPlan:
        root_type = self.schema.get_root_type(operation.operation)
        if root_type is None:
            raise StepAside(FallbackReason.INVALID_DOCUMENT)
        executor = self.executor
        collected = collect_fields(
            self.schema,
            executor.fragments,
            executor.variable_values,
            root_type,
            operation,
            executor.hide_suggestions,
        )
        if collected.new_defer_usages:
            raise StepAside(FallbackReason.UNSUPPORTED_SYNTAX)
        return self.object_plan(root_type, collected.grouped_field_set)

    def object_plan(
        self, object_type: GraphQLObjectType, grouped_field_set: dict[str, FieldDetailsList]
    ) -> ObjectPlan:
        fields = tuple(
            self.field_plan(object_type, key, details) for key, details in grouped_field_set.items()
        )
        return ObjectPlan(object_type, fields, any(field.needs_path for field in fields))

    def field_plan(
        self, parent_type: GraphQLObjectType, key: str, details: FieldDetailsList
    ) -> FieldPlan:
        if any(
            d.defer_usage is not None or d.fragment_variable_values is not None for d in details
        ):
            raise StepAside(FallbackReason.UNSUPPORTED_SYNTAX)
        node = details[0].node
        definition = self.schema.get_field(parent_type, node.name.value)
        if definition is None:
            where = f"{parent_type.name}.{node.name.value}"
            raise StepAside(FallbackReason.INVALID_DOCUMENT, where)
        if node.name.value == "__typename":
            resolve = constant(parent_type.name)
        else:
            resolve = definition.resolve or self.executor.field_resolver
        context_only = getattr(resolve, "context_only", None)
        takes_info = not getattr(resolve, "ignores_info", False) and context_only is None
        complete, below_needs_path = self.completer(definition.type, details)
        return FieldPlan(
            key=key,
            parent_type=parent_type,
            definition=definition,
            nodes=[d.node for d in details],
            resolve=resolve,
            arguments=self.static_arguments(definition, node),
            complete=complete,
            takes_info=takes_info,
            attribute=getattr(resolve, "attribute", None),
            passthrough=passthrough(definition.type),
            context_only=context_only,
            needs_path=takes_info or below_needs_path,
        )

    def static_arguments(self, definition: GraphQLField, node: FieldNode) -> dict[str, Any] | None:
        if not definition.args and not node.arguments:
            return {}
        if any(uses_variables(argument.value) for argument in node.arguments or ()):
            return None
        executor = self.executor
        return get_argument_values(
            definition, node, executor.variable_values, None, executor.hide_suggestions
        )

    def completer(
        self, return_type: GraphQLOutputType, details: FieldDetailsList
    ) -> tuple[Completer, bool]:
        """The completer for `return_type`, and whether what it completes reads a path."""
        if isinstance(return_type, GraphQLNonNull) and is_leaf_type(return_type.of_type):
            return leaf(return_type.of_type, nullable=False), False
        if isinstance(return_type, GraphQLNonNull):
            inner, needs_path = self.completer(return_type.of_type, details)
            return non_null(inner), needs_path
        if isinstance(return_type, GraphQLList):
            item, needs_path = self.completer(return_type.of_type, details)
            return list_of(item, needs_path), needs_path
        if is_leaf_type(return_type):
            return leaf(return_type, nullable=True), False
        if isinstance(return_type, GraphQLObjectType):
            collected = collect_subfields(
                self.schema,
                self.executor.fragments,
                self.executor.variable_values,
                self.executor.operation,
                return_type,
                details,
                self.executor.hide_suggestions,
            )
            if collected.new_defer_usages:
                raise StepAside(FallbackReason.UNSUPPORTED_SYNTAX)
            plan = self.object_plan(return_type, collected.grouped_field_set)
            return object_of(plan), plan.needs_path or type_check_reads_info(return_type)
        where = f"{details[0].node.name.value}: {return_type}"
        raise StepAside(FallbackReason.ABSTRACT_TYPE, where)


def passthrough(return_type: GraphQLOutputType) -> frozenset[type]:
    nullable = not isinstance(return_type, GraphQLNonNull)
    named = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
    own = SELF_SERIALIZING.get(named, ())
    return frozenset((*own, type(None)) if nullable else own)


def uses_variables(value: ValueNode) -> bool:
    if isinstance(value, VariableNode):
        return True
    if isinstance(value, ListValueNode):
        return any(uses_variables(v) for v in value.values)
    if isinstance(value, ObjectValueNode):
        return any(uses_variables(f.value) for f in value.fields)
    return False


def constant(value: Any) -> Callable[..., Any]:
    def resolve(source: Any, info: GraphQLResolveInfo | None) -> Any:
        return value

    return ignoring_info(resolve)


def non_null(inner: Completer) -> Completer:
    def complete(run: Run, value: Any, field: FieldPlan, path: Path | None) -> Any:
        if value is None:
            raise StepAside(FallbackReason.NULL_IN_NON_NULL, field_name(field))
        return inner(run, value, field, path)

    return complete


def leaf(leaf_type: GraphQLLeafType, *, nullable: bool) -> Completer:
    """Serializes a scalar or enum value; a string for `String` is its own serialization."""
    serialize = (
        enum_serializer(leaf_type)
        if isinstance(leaf_type, GraphQLEnumType)
        else leaf_type.serialize
    )
    is_string = leaf_type is GraphQLString

    def complete(run: Run, value: Any, field: FieldPlan, path: Path | None) -> Any:
        if is_string and type(value) is str:
            return value
        if value is None:
            if nullable:
                return None
            raise StepAside(FallbackReason.NULL_IN_NON_NULL, field_name(field))
        if isinstance(value, Exception):
            raise StepAside(FallbackReason.FIELD_ERROR, field_name(field))
        try:
            serialized = serialize(value)
        except Exception as error:
            raise StepAside(FallbackReason.UNEXPECTED_VALUE, field_name(field)) from error
        if serialized is None:
            raise StepAside(FallbackReason.UNEXPECTED_VALUE, field_name(field))
        return serialized

    return complete


def enum_serializer(enum_type: GraphQLEnumType) -> Callable[[Any], Any]:
    """The enum's `serialize`, remembering its answer for each value (Strawberry's scans them)."""
    names: dict[tuple[type, Any], Any] = {}

    def serialize(value: Any) -> Any:
        try:
            return names[type(value), value]
        except KeyError:
            name = names[type(value), value] = enum_type.serialize(value)
            return name
        except TypeError:  # an unhashable value
            return enum_type.serialize(value)

    return serialize


def list_of(item: Completer, needs_path: bool) -> Completer:
    def complete(run: Run, value: Any, field: FieldPlan, path: Path | None) -> Any:
        if value is None:
            return None
        if isinstance(value, str) or not isinstance(value, Iterable):
            raise StepAside(FallbackReason.UNEXPECTED_VALUE, field_name(field))
        is_awaitable = run.is_awaitable
        completed = []
        for index, element in enumerate(value):
            if is_awaitable(element):
                raise StepAside(FallbackReason.UNEXPECTED_VALUE, field_name(field))
            completed.append(
                item(run, element, field, Path(path, index, None) if needs_path else None)
            )
        return completed

    return complete


def object_of(plan: ObjectPlan) -> Completer:
    """Completes an object: checks its type where the schema asks to, then runs its plan.

    An instance of the Strawberry class itself passes Strawberry's check without it, and so,
    once one has passed it, does an instance of a subclass (an object read from a table, `schema.rows`):
    Strawberry's check is an `isinstance` test, whose answer holds for the whole class."""
    is_type_of = plan.type.is_type_of
    info_free = is_type_of is not None and is_type_of.__module__ == STRAWBERRY_IS_TYPE_OF_MODULE
    definition = plan.type.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
    own_class = getattr(definition, "origin", None) if info_free or is_type_of is None else None
    passing: set[type] = {own_class} if own_class is not None else set()

    def complete(run: Run, value: Any, field: FieldPlan, path: Path | None) -> Any:
        kind = type(value)
        if kind not in passing:
            if value is None:
                return None
            if isinstance(value, Exception):
                raise StepAside(FallbackReason.FIELD_ERROR, field_name(field))
            if is_type_of is not None:
                # Strawberry's own type check reads no info: it is not made for it.
                info: Any = None if info_free else run.info(field, path)
                if is_type_of(value, info) is not True:
                    raise StepAside(FallbackReason.UNEXPECTED_VALUE, field_name(field))
                if own_class is not None and issubclass(kind, own_class):
                    passing.add(kind)
        return execute_object(run, plan, value, path)

    return complete


def type_check_reads_info(object_type: GraphQLObjectType) -> bool:
    is_type_of = object_type.is_type_of
    return is_type_of is not None and is_type_of.__module__ != STRAWBERRY_IS_TYPE_OF_MODULE


class DirectiveVariables(Visitor):
    """The variables that @skip and @include read: the plan depends on their values."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_directive(self, node: DirectiveNode, *_: Any) -> None:
        if node.name.value in {"skip", "include"}:
            for argument in node.arguments or ():
                if isinstance(argument.value, VariableNode):
                    self.names.add(argument.value.name.value)


def directive_variables(document: DocumentNode) -> tuple[str, ...]:
    visitor = DirectiveVariables()
    visit(document, visitor)
    return tuple(sorted(visitor.names))


@dataclass(slots=True)
class DocumentPlans:
    """The plans of one document's operations, for each schema and @skip/@include values."""

    directive_variables: tuple[str, ...]
    plans: dict[tuple[Any, ...], ObjectPlan | Fallback] = dataclasses.field(default_factory=dict)


document_plans: PerObject[DocumentNode, DocumentPlans] = PerObject(
    lambda document: DocumentPlans(directive_variables(document))
)


# --------------------------------------------------------------------------- the executor


class CompiledExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor, running queries through compiled plans where they apply."""

    document: DocumentNode | None = None

    @classmethod
    def build(cls, schema: Any, document: DocumentNode, *args: Any, **kwargs: Any) -> Any:
        """graphql-core's `build`, remembering the document: its plans are kept with it."""
        executor = super().build(schema, document, *args, **kwargs)
        if isinstance(executor, CompiledExecutor):
            executor.document = document
        return executor

    def execute_operation(self, serially: bool | None = None) -> Any:
        """Tell the request's loaders which columns the operation shows nowhere, then run it
        through its plan, or through graphql-core where none applies."""
        document = self.document
        loaders = getattr(self.context_value, "loaders", None)
        if loaders is not None and document is not None:
            loaders.unshown = selection(self.schema, document).unshown
        if document is None or not self.may_compile():
            return super().execute_operation(serially)
        plan = self.plan(document) if self.plain_execution(serially) else EXECUTION_OPTIONS
        if isinstance(plan, Fallback):
            self.step_aside(plan)
            return super().execute_operation(serially)
        return self.run(plan)

    def may_compile(self) -> bool:
        """Whether plans are made for this operation: queries. Mutations and subscriptions are
        graphql-core's by design, and do not step aside."""
        return self.document is not None and self.operation.operation is OperationType.QUERY

    def plain_execution(self, serially: bool | None) -> bool:
        """Whether the execution asks nothing of the executor that the plans do not do."""
        middleware = self.middleware_manager
        return (
            not serially
            and self.abort_signal is None
            and self.hooks is None
            and (middleware is None or not middleware.middlewares)
        )

    def plan(self, document: DocumentNode) -> ObjectPlan | Fallback:
        """The operation's plan in `document`, or why it has none."""
        plans = document_plans(document)
        coerced = self.variable_values.coerced
        # The schema itself, not its id: the key keeps it alive, so no other schema takes its id.
        # The operation is part of the document these plans are kept with.
        key = (
            self.schema,
            id(self.operation),
            *(repr(coerced.get(name)) for name in plans.directive_variables),
        )
        if key not in plans.plans:
            try:
                plans.plans[key] = Compiler(self).operation(self.operation)
            except StepAside as aside:
                plans.plans[key] = aside.fallback
            except GraphQLError:  # graphql-core meets the same error and reports it
                plans.plans[key] = INVALID_DOCUMENT
        return plans.plans[key]

    async def run(self, plan: ObjectPlan) -> Any:
        run = Run(self)
        fallback: Fallback | None = None
        try:
            data = await settle(run, execute_object(run, plan, self.root_value, None))
        except StepAside as aside:
            fallback = aside.fallback
        except Exception as error:  # noqa: BLE001 - graphql-core runs it again and reports it
            fallback = Fallback(FallbackReason.PLAN_ERROR, repr(error))
        finally:
            run.abandon()  # what a failure, or a cancellation, left pending
        if fallback is None:
            return self.build_response(data)
        # Outside the `except`, so that graphql-core's errors do not carry the plan's as context.
        self.step_aside(fallback)
        result = super().execute_operation(None)
        return await result if self.is_awaitable(result) else result

    def step_aside(self, fallback: Fallback) -> None:
        """Say that this operation runs on graphql-core, and why."""
        name = self.operation.name.value if self.operation.name else "anonymous"
        LOG.debug(
            "plan stepped aside: %s (%s)", fallback.reason, fallback.where,
            extra={"operation": name, "reason": str(fallback.reason)},
        )
        step_asides.report(name, fallback)
