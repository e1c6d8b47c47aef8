"""Every resolver of a type whose rows may lack columns declares the columns it reads.

A list read from a table leaves out the columns its query shows nowhere
(`schema.engine.selection`): its objects then lack those attributes (`schema.rows`). A resolver that reads one
must name it in its type's `columns_read`, or it fails for the queries that do not also
select the field showing that column. This test reads each such resolver's source (and the
methods and properties of its type that it calls) for the attributes it reads on its object.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable, Iterator
from typing import Any

import strawberry
from strawberry.schema.schema_converter import GraphQLCoreConverter

from schema import schema
from schema.engine.selection import plain_fields, types_by_model


def read_attributes(function: Callable[..., Any], cls: type, seen: set[str] | None = None) -> set[str]:
    """The attributes `function` reads on its first argument (self, or the root), with those
    that the methods and properties of `cls` it calls on that argument read."""
    seen = set() if seen is None else seen
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    definition = next(node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef))
    if not definition.args.args:
        return set()
    own = definition.args.args[0].arg
    read = {
        node.attr
        for node in ast.walk(definition)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == own
    }
    for name in read - seen:
        seen.add(name)
        member = inspect.getattr_static(cls, name, None)
        if isinstance(member, property) and member.fget is not None:
            read |= read_attributes(member.fget, cls, seen)
        elif inspect.isfunction(member) and member.__qualname__.split(".")[0] != "object":
            read |= read_attributes(member, cls, seen)
    return read


def undeclared_reads(graphql_type: type, object_type: Any, columns: set[str]) -> Iterator[str]:
    """`Type.field reads column` for each column a resolver of `graphql_type` reads without
    declaring it, among the columns a query may leave out."""
    may_lack = plain_fields(object_type) & columns
    declared: dict[str, tuple[str, ...]] = getattr(graphql_type, "columns_read", {})
    for field in graphql_type.__strawberry_definition__.fields:
        resolver = field.base_resolver
        if resolver is None:
            continue
        kept = {field.python_name, *declared.get(field.python_name, ())}
        for column in sorted(read_attributes(resolver.wrapped_func, graphql_type) & may_lack - kept):
            yield f"{graphql_type.__name__}.{field.python_name} reads {column}"


def types_with_partial_rows() -> list[tuple[type, Any, set[str]]]:
    """The types whose objects a query may read without some columns (those that show a
    model's rows), with the columns their objects may lack: known once the ORM knows its
    models' columns."""
    return [
        (graphql_type, object_type, set(model._meta.fields_db_projection) - {model._meta.pk_attr})
        for model, object_type in types_by_model(schema._schema).items()
        if (graphql_type := object_type.extensions[GraphQLCoreConverter.DEFINITION_BACKREF].origin)
    ]


async def test_every_resolver_of_a_type_with_partial_rows_declares_the_columns_it_reads(gql):
    types = types_with_partial_rows()

    assert {"Offering", "Theme", "Partner"} <= {graphql_type.__name__ for graphql_type, _, _ in types}
    undeclared = [read for found in types for read in undeclared_reads(*found)]
    assert not undeclared, "\n".join(undeclared)


@strawberry.type
class Shelf:
    label: str
    capacity: int | None
    note: str

    @strawberry.field
    def places_left(self) -> int:
        return (self.capacity or 0) - self.count_books()

    @strawberry.field
    def summary(self) -> str:
        return self.label

    def count_books(self) -> int:
        return len(self.note)


@strawberry.type
class ShelfQuery:
    shelf: Shelf


def test_a_resolver_reading_an_undeclared_column_is_found_through_the_methods_it_calls():
    object_type = strawberry.Schema(query=ShelfQuery)._schema.get_type("Shelf")

    found = list(undeclared_reads(Shelf, object_type, {"label", "capacity", "note"}))

    assert found == ["Shelf.places_left reads capacity", "Shelf.places_left reads note", "Shelf.summary reads label"]
    Shelf.columns_read = {"places_left": ("capacity", "note"), "summary": ("label",)}
    assert list(undeclared_reads(Shelf, object_type, {"label", "capacity", "note"})) == []
