"""Field resolvers graphql-core calls directly, without Strawberry's per-field wrapping.

For every field it resolves, Strawberry builds an `Info`, converts the arguments, chains the
field extensions and sorts out which parameters the resolver takes: a few microseconds a field,
which a page of 581 members with ten fields each turns into tens of milliseconds. A field that
needs none of it gets a direct resolver here that does what Strawberry's would: a plain
attribute (no resolver) is read with the schema's default resolver; a synchronous resolver
taking `self` and `info` is called with the same `Info` Strawberry would give it (or, by
the compiled executor, with the context alone if it is marked `context_only`), and with its
arguments if they are all built-in scalars (`Int`, `String`, `Boolean`, `Float`, `ID`, or null),
which Strawberry passes on as graphql-core coerced them, under their Python names.

Fields with other arguments (input types, enums, lists, global IDs), field extensions
(permission classes are extensions), async resolvers or other parameters keep Strawberry's
resolver, as does every field if the schema converts exceptions into results
(`exception_handlers`) or a schema extension hooks into each field's resolution
(`SchemaExtension.resolve`), so behaviour does not change.
"""

from __future__ import annotations

from collections.abc import Callable
from inspect import Parameter
from typing import Any, TypeVar

import strawberry
from graphql import GraphQLObjectType, GraphQLResolveInfo
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.base import StrawberryOptional
from strawberry.types.field import StrawberryField

F = TypeVar("F", bound=Callable[..., Any])

# The names Strawberry gives the resolvers it builds for plain attributes and synchronous fields.
STRAWBERRY_SYNC_RESOLVERS = frozenset({"_get_basic_result", "_resolver"})
# Argument types Strawberry hands to the resolver as graphql-core coerced them.
PLAIN_ARGUMENT_TYPES = (int, str, bool, float, strawberry.ID)


def use_direct_resolvers(schema: strawberry.Schema) -> int:
    """Give every field that qualifies a direct resolver; returns how many did."""
    if schema.schema_converter._exception_handler_specs or resolves_each_field(schema):
        return 0
    replaced = 0
    for graphql_type in schema._schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType) or graphql_type.name.startswith("__"):
            continue
        for field in graphql_type.fields.values():
            definition = field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
            if getattr(field.resolve, "__name__", None) not in STRAWBERRY_SYNC_RESOLVERS:
                continue
            resolve = (
                direct_resolver(definition, schema)
                if isinstance(definition, StrawberryField)
                else None
            )
            if resolve is not None:
                field.resolve = resolve
                replaced += 1
    return replaced


def resolves_each_field(schema: strawberry.Schema) -> bool:
    """Whether a schema extension wraps every field's resolution, which direct resolvers would skip."""
    return any(
        type(extension).resolve is not SchemaExtension.resolve
        for extension in schema.get_extensions()
    )


def direct_resolver(field: StrawberryField, schema: strawberry.Schema) -> Callable[..., Any] | None:
    """What graphql-core can call for `field` in place of Strawberry's wrapper, if anything."""
    names = plain_argument_names(field, schema)
    if field.extensions or field.is_async or names is None:
        return None
    resolver = field.base_resolver
    if resolver is None:
        return attribute_resolver(field.python_name, schema.config.default_resolver)
    if resolver.root_parameter or resolver.parent_parameter or resolver.self_parameter is None:
        return None
    function = resolver.wrapped_func
    if not callable(function):
        return None
    parameters = [
        p.name
        for p in resolver.signature.parameters.values()
        if p.kind is Parameter.POSITIONAL_OR_KEYWORD
    ]
    if len(parameters) != len(resolver.signature.parameters):
        return None
    if parameters == [resolver.self_parameter.name]:
        return ignoring_info(lambda source, info: function(source))
    if resolver.info_parameter is None or parameters[:2] != [
        resolver.self_parameter.name,
        resolver.info_parameter.name,
    ]:
        return None
    if sorted(parameters[2:]) != sorted(names.values()):
        return None
    return info_resolver(field, function, names, schema.config.info_class)


def plain_argument_names(field: StrawberryField, schema: strawberry.Schema) -> dict[str, str] | None:
    """The Python name of each argument by its GraphQL name, if every argument is a plain scalar."""
    names = {}
    for argument in field.arguments:
        argument_type = argument.type
        if isinstance(argument_type, StrawberryOptional) and not argument.is_maybe:
            argument_type = argument_type.of_type
        if argument_type not in PLAIN_ARGUMENT_TYPES:
            return None
        names[schema.config.name_converter.from_argument(argument)] = argument.python_name
    return names


def info_resolver(
    field: StrawberryField, function: Callable[..., Any], names: dict[str, str], info_class: type
) -> Callable[..., Any]:
    """Calls `function(self, info, **arguments)` as Strawberry would, arguments renamed."""
    if any(graphql_name != python_name for graphql_name, python_name in names.items()):
        function = renaming_arguments(function, names)

    def resolve(source: Any, info: GraphQLResolveInfo, **arguments: Any) -> Any:
        return function(source, info_class(_raw_info=info, _field=field), **arguments)

    if getattr(function, "reads_only_context", False):
        resolve.context_only = function  # type: ignore[attr-defined]  # see `context_only`
    return resolve


def renaming_arguments(function: F, names: dict[str, str]) -> F:
    """`function`, taking its keyword arguments by their GraphQL names."""

    def call(source: Any, info: Any, **arguments: Any) -> Any:
        return function(source, info, **{names[name]: value for name, value in arguments.items()})

    call.reads_only_context = getattr(function, "reads_only_context", False)  # type: ignore[attr-defined]
    return call  # type: ignore[return-value]


def attribute_resolver(name: str, read: Callable[[Any, str], Any]) -> Callable[..., Any]:
    def resolve(source: Any, info: GraphQLResolveInfo) -> Any:
        return read(source, name)

    if read is getattr:
        resolve.attribute = name  # type: ignore[attr-defined]  # the compiled executor reads it itself
    return ignoring_info(resolve)


def context_only(function: F) -> F:
    """Mark a resolver that reads nothing of its `info` but `info.context`.

    The compiled executor (`schema.engine.executor`) then calls it with a `ContextOnly`, which carries
    the request's context and nothing else, instead of building an `Info` (and the path that goes
    in it) for every object it resolves the field on. graphql-core's executor still passes the
    full `Info`.
    """
    function.reads_only_context = True  # type: ignore[attr-defined]
    return function


class InfoNotCarried(AttributeError):
    """A `context_only` resolver asked its `info` for more than the context."""


class ContextOnly:
    """The `info` a `context_only` resolver gets from the compiled executor: the context alone."""

    __slots__ = ("context",)

    def __init__(self, context: Any) -> None:
        self.context = context

    def __getattr__(self, name: str) -> Any:
        raise InfoNotCarried(
            f"info.{name}: a context-only resolver (a relation, `schema.relation`) is given the "
            "context alone; a resolver that needs more of its info is a plain `strawberry.field`."
        )


def ignoring_info(resolve: Callable[..., Any]) -> Callable[..., Any]:
    """Mark `resolve` as never reading its `info`, so the compiled executor passes None."""
    resolve.ignores_info = True  # type: ignore[attr-defined]
    return resolve
