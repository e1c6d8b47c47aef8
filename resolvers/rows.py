"""Rows read as plain values, for pages too large to build a Tortoise model for every row.

A model instance costs Tortoise far more to build than the values it holds (for a roster of
581 members joined to their municipality and prefecture, about twice the whole statement). A
page that only shows its rows reads them with `QuerySet.values` instead (the same statement,
the same conversions of each column) and splits each row into one `ValueRow` per model on the
joined path: objects with the model's attributes, its `pk`, and the joined rows under their
relation names, as `select_related` would have set them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from tortoise.models import Model
from tortoise.queryset import QuerySet

from resolvers.statements import Statement, Table

# Hands joined rows to their by-id loaders: `Loaders.prime`.
Prime = Callable[..., None]


class ValueRow:
    """The columns of one model row, read like the model's attributes; no model behaviour.

    `converted` is a place for what the row is turned into, by whoever turns it (the GraphQL
    object `schema.node.converted` builds from it): a row lives as long as the request that
    read it, and a row read again is a new row.
    """

    __slots__ = ("__dict__", "converted")

    def __init__(self, columns: dict[str, Any]) -> None:
        self.__dict__ = columns
        self.converted: tuple[Any, Any] | None = None

    def __repr__(self) -> str:
        return f"ValueRow({self.__dict__!r})"


def models_on(model: type[Model], path: str) -> list[tuple[str, type[Model]]]:
    """`model` and each model the chain of foreign keys `path` reaches, with their value prefixes."""
    chain = [("", model)]
    prefix = ""
    for name in path.split("__") if path else []:
        model = model._meta.fields_map[name].related_model
        prefix = f"{prefix}{name}__"
        chain.append((prefix, model))
    return chain


def value_columns(model: type[Model], path: str = "") -> list[str]:
    """The `values()` names of every column of `model` and of the models joined along `path`."""
    return [
        f"{prefix}{name}"
        for prefix, joined in models_on(model, path)
        for name in joined._meta.fields_db_projection
    ]


@functools.cache
def row_layout(
    model: type[Model], path: str, columns: tuple[str, ...]
) -> tuple[tuple[tuple[str, ...], Callable[[Sequence[Any]], tuple[Any, ...]], str], ...]:
    """For each model on `path`: its attribute names, what picks their values out of a row of
    `columns`, and its primary key's name."""
    layout = []
    for prefix, joined in models_on(model, path):
        names = tuple(joined._meta.fields_db_projection)
        positions = [columns.index(f"{prefix}{name}") for name in names]
        pick = itemgetter(*positions) if len(positions) > 1 else lambda row, p=positions[0]: (row[p],)
        layout.append((names, pick, joined._meta.pk_attr))
    return tuple(layout)


def value_rows(table: Table, model: type[Model], path: str = "") -> list[ValueRow]:
    """Split a table read with `value_columns(model, path)` into a `ValueRow` per model and row."""
    layout = row_layout(model, path, table.columns)
    relations = path.split("__") if path else []
    built = []
    for values in table.rows:
        parent = None
        for depth, (names, pick, pk_attr) in enumerate(layout):
            columns = dict(zip(names, pick(values), strict=True))
            columns["pk"] = columns[pk_attr]
            row = ValueRow(columns)
            if parent is None:
                built.append(row)
            else:
                setattr(parent, relations[depth - 1], row if row.pk is not None else None)
            parent = row
    return built


class JoinedValues:
    """A query of `model` read as value rows, with the rows `path` joins to them, in one
    statement whose SQL is built once per shape of its arguments (`resolvers.statements`).
    `query(*arguments)` must read nothing but its arguments."""

    def __init__(
        self, model: type[Model], path: str, query: Callable[..., QuerySet[Any]], *annotations: str
    ) -> None:
        self.model = model
        self.path = path
        self.annotations = annotations
        self.statement = Statement(
            model, lambda *arguments: query(*arguments).values(*annotations, *value_columns(model, path))
        )

    async def read(self, prime: Prime, *arguments: Any) -> list[tuple[dict[str, Any], ValueRow]]:
        """The rows, each with its annotations (a grouping key, a count); the joined rows are
        handed to their by-id loaders."""
        table = await self.statement.table(*arguments)
        rows = value_rows(table, self.model, self.path)
        prime(rows, self.path, self.model)
        positions = [(name, table.columns.index(name)) for name in self.annotations]
        return [
            ({name: values[position] for name, position in positions}, row)
            for values, row in zip(table.rows, rows, strict=True)
        ]
