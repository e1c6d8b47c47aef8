"""Rows read as plain values, for pages too large to build a Tortoise model for every row.

A model instance costs Tortoise far more to build than the values it holds (for a roster of
581 members joined to their municipality and prefecture, about twice the whole statement). A
page that only shows its rows reads them with `QuerySet.values` instead (the same statement,
the same conversions of each column) and splits each row into one `ValueRow` per model on the
joined path: objects with the model's attributes, its `pk`, and the row each joins (`joined`).

Where the schema shows a model's rows as one GraphQL type (`show_rows_as`), the model's row
class is also a subclass of that type: a row is then served as it is, with no object built
from it for each row that is shown. A read may leave out the columns a query shows nowhere
(`ValueRowsQuery.read`, `schema.engine.selection`): its rows lack those attributes.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Awaitable, Callable, Sequence
from operator import attrgetter, itemgetter
from typing import Any, cast

from tortoise.fields.relational import RelationalField
from tortoise.models import Model
from tortoise.queryset import QuerySet

from resolvers.db.statements import Statement, Table

# The columns of a model that a query shows nowhere (`schema.engine.selection`): they are not read.
UnshownColumns = Callable[[type[Model]], frozenset[str]]

# The GraphQL type each model's rows are shown as, where the schema named one.
_shown_as: dict[type[Model], type] = {}


class ValueRow:
    """The columns of one model row, read like the model's attributes; no model behaviour.

    Each model has its own row class (`row_class`): slots for its columns, for `joined`, the
    row its relation on the read path (`joined_through`) joins (None if there is none, as
    `select_related` leaves it), and for `converted`, a place for what the row is turned into
    by whoever turns it into something other than itself (`schema.node.converted`). A row
    lives as long as the request that read it; a row read again is a new row. Slots, not a
    dict a row: a roster of 581 members is 1,743 rows.
    """

    __slots__ = ()
    joined_through: str | None = None
    # What each row class has (`row_class`): its primary key, the row joined through
    # `joined_through` (a `ValueRow` or None), what the row was converted to (a pair of the
    # converter and its result, or None).
    pk: Any
    joined: Any
    converted: Any


def column(query: QuerySet[Any], field: str) -> Awaitable[list[Any]]:
    """The values of `field` in the rows of `query`: its `values_list(field, flat=True)`, which
    Tortoise types as answering tuples."""
    return cast(Awaitable[list[Any]], query.values_list(field, flat=True))


@functools.cache
def row_class(
    model: type[Model], relation: str | None, unshown: frozenset[str] = frozenset()
) -> type[ValueRow]:
    """The row class of `model`'s columns but those `unshown`, with a slot for the row joined
    through `relation`; `pk` reads the primary key, as on a model. Where the schema shows
    `model` as a type a row can be (`show_rows_as`), the class is also a subclass of that
    type, and a column left out is an attribute its rows do not have."""
    fields: list[Any] = [(name, Any) for name in model._meta.fields_db_projection if name not in unshown]
    fields.append(("converted", Any, dataclasses.field(default=None, repr=False)))
    if relation is not None:
        fields.append(("joined", Any, dataclasses.field(default=None)))
    row = cast(
        type[ValueRow],
        dataclasses.make_dataclass(f"{model.__name__}Values", fields, bases=(ValueRow,), slots=True, eq=False),
    )
    row.pk = property(attrgetter(model._meta.pk_attr))
    row.joined_through = relation
    graphql_type = shown_as(model)
    if graphql_type is None:
        return row
    return type(f"{model.__name__}Row", (row, graphql_type), {"__slots__": ()})


def show_rows_as(model: type[Model], graphql_type: type) -> None:
    """Make the rows of `model` read from now on instances of `graphql_type`, a dataclass.

    Only a type whose `__init__` only assigns its fields, each a column of the model, can be
    a row: objects of other types are built from the rows (`schema.node.from_row`)."""
    _shown_as[model] = graphql_type


def shown_as(model: type[Model]) -> type | None:
    """The GraphQL type `model`'s rows are instances of: the one the schema named, if it can
    be a row (its `__init__` only assigns its fields, each a column of the model)."""
    graphql_type = _shown_as.get(model)
    if graphql_type is None or not is_plain_dataclass(graphql_type):
        return None
    if not set(init_field_names(graphql_type)) <= set(model._meta.fields_db_projection):
        return None
    return graphql_type


def init_field_names(cls: type) -> tuple[str, ...]:
    """The names the dataclass `__init__` of `cls` takes."""
    return tuple(f.name for f in dataclasses.fields(cls) if f.init)


def is_plain_dataclass(cls: type) -> bool:
    """Whether the dataclass `__init__` of `cls` only assigns its arguments, so that filling
    `__dict__` (or being a row that holds the same values) is the same as calling it.

    A field left out of `__init__` with no default (a field with a resolver, such as a
    Node's `id`) is not assigned there either."""
    return (
        all(f.init or f.default is f.default_factory is dataclasses.MISSING for f in dataclasses.fields(cls))
        and not hasattr(cls, "__post_init__")
        and not hasattr(cls, "__slots__")
    )


@functools.cache
def models_on(model: type[Model], path: str) -> tuple[tuple[str, type[Model]], ...]:
    """`model` and each model the chain of foreign keys `path` reaches, with their value prefixes."""
    chain = [("", model)]
    prefix = ""
    for name in path.split("__") if path else []:
        model = cast(RelationalField[Model], model._meta.fields_map[name]).related_model
        prefix = f"{prefix}{name}__"
        chain.append((prefix, model))
    return tuple(chain)


def unshown_along(model: type[Model], path: str, unshown: UnshownColumns) -> tuple[frozenset[str], ...]:
    """The columns `unshown` names for each model on `path`, in `value_columns`' order."""
    return tuple(unshown(joined) for _, joined in models_on(model, path))


def value_columns(
    model: type[Model], path: str = "", unshown_per_model: Sequence[frozenset[str]] = ()
) -> list[str]:
    """The `values()` names of the columns of `model` and of the models joined along `path`:
    all of them, but those `unshown_per_model` names, one set for each model on the path."""
    return [
        f"{prefix}{name}"
        for depth, (prefix, joined) in enumerate(models_on(model, path))
        for name in joined._meta.fields_db_projection
        if depth >= len(unshown_per_model) or name not in unshown_per_model[depth]
    ]


@functools.cache
def row_layout(
    model: type[Model], path: str, columns: tuple[str, ...]
) -> tuple[tuple[type[ValueRow], Callable[[Sequence[Any]], tuple[Any, ...]]], ...]:
    """For each model on `path`: its row class, and what picks its columns out of a row of
    `columns`, in the class's order."""
    relations: list[str | None] = [*path.split("__"), None] if path else [None]
    layout = []
    for (prefix, joined), relation in zip(models_on(model, path), relations, strict=True):
        names = joined._meta.fields_db_projection
        read = [name for name in names if f"{prefix}{name}" in columns]
        positions = [columns.index(f"{prefix}{name}") for name in read]
        pick = itemgetter(*positions) if len(positions) > 1 else lambda row, p=positions[0]: (row[p],)
        layout.append((row_class(joined, relation, frozenset(names) - set(read)), pick))
    return tuple(layout)


def value_rows(table: Table, model: type[Model], path: str = "") -> list[ValueRow]:
    """Split a table read with `value_columns(model, path)` into a `ValueRow` per model and row."""
    layout = row_layout(model, path, table.columns)
    built = []
    for values in table.rows:
        parent: ValueRow | None = None
        for row_type, pick in layout:
            row = row_type(*pick(values))
            if parent is None:
                built.append(row)
            else:
                parent.joined = row if row.pk is not None else None
            parent = row
    return built


class ValueRowsQuery:
    """A query of `model` read as value rows, with the rows `path` joins to them, in one
    statement whose SQL is built once per shape of its arguments (`resolvers.db.statements`).
    `query(*arguments)` must read nothing but its arguments."""

    def __init__(
        self,
        model: type[Model],
        path: str,
        query: Callable[..., QuerySet[Any]],
        annotation: str | None = None,
    ) -> None:
        self.model = model
        self.path = path
        self.annotation = annotation
        annotations = () if annotation is None else (annotation,)
        self.statement = Statement(
            model,
            lambda unshown_per_model, *arguments: query(*arguments).values(
                *annotations, *value_columns(model, path, unshown_per_model)
            ),
        )

    async def read(self, unshown: UnshownColumns, *arguments: Any) -> list[tuple[Any, ValueRow]]:
        """The rows, each with the value of its annotation (a grouping key, a count; None if
        there is none), without the columns `unshown` names for each model on the path."""
        table = await self.statement.table(unshown_along(self.model, self.path, unshown), *arguments)
        rows = value_rows(table, self.model, self.path)
        if self.annotation is None:
            return [(None, row) for row in rows]
        position = table.columns.index(self.annotation)
        return [(values[position], row) for values, row in zip(table.rows, rows, strict=True)]
