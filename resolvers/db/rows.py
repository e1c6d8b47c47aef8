"""Rows read as tables of values, for pages too large to build a Tortoise model for every row.

A model instance costs Tortoise far more to build than the values it holds (for a roster of
581 members joined to their municipality and prefecture, about twice the whole statement). A
page that only shows its rows reads them with `QuerySet.values` instead (the same statement,
the same conversions of each column) into a `Table`: the values of each row by position, the
columns of the models a chain of foreign keys joins (`value_columns`) beside the model's own.

The data layer stops there: it builds no objects from a table. The schema reads a table into
its GraphQL objects, with the joined ones in their declared fields (`schema.rows`). A read may
leave out the columns a query shows nowhere (`TableQuery.read`, `schema.engine.selection`).
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, cast

from tortoise.fields.relational import RelationalField
from tortoise.models import Model
from tortoise.queryset import QuerySet

from resolvers.db.statements import Statement, Table

# The columns of a model that a query shows nowhere (`schema.engine.selection`): they are not read.
UnshownColumns = Callable[[type[Model]], frozenset[str]]


def column(query: QuerySet[Any], field: str) -> Awaitable[list[Any]]:
    """The values of `field` in the rows of `query`: its `values_list(field, flat=True)`, which
    Tortoise types as answering tuples."""
    return cast(Awaitable[list[Any]], query.values_list(field, flat=True))


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


def grouped_by(table: Table, key: str, keys: Sequence[Any]) -> list[Table]:
    """A table for each of `keys`: the rows of `table` whose `key` column holds it, in order."""
    position = table.columns.index(key)
    grouped: dict[Any, list[Sequence[Any]]] = {k: [] for k in keys}
    for values in table.rows:
        rows = grouped.get(values[position])
        if rows is not None:
            rows.append(values)
    return [Table(table.columns, grouped[k]) for k in keys]


class TableQuery:
    """A query of `model` read as a table, with the columns of the rows `path` joins to its
    rows, in one statement whose SQL is built once per shape of its arguments
    (`resolvers.db.statements`). `query(*arguments)` must read nothing but its arguments."""

    def __init__(
        self,
        model: type[Model],
        path: str,
        query: Callable[..., QuerySet[Any]],
        annotation: str | None = None,
    ) -> None:
        self.model = model
        self.path = path
        annotations = () if annotation is None else (annotation,)
        self.statement = Statement(
            model,
            lambda unshown_per_model, *arguments: query(*arguments).values(
                *annotations, *value_columns(model, path, unshown_per_model)
            ),
        )

    def read(self, unshown: UnshownColumns, *arguments: Any) -> Awaitable[Table]:
        """The rows, with the annotation's column (a grouping key, a count) if there is one,
        without the columns `unshown` names for each model on the path."""
        return self.statement.table(unshown_along(self.model, self.path, unshown), *arguments)
