"""Rows read as plain values, for pages too large to build a Tortoise model for every row.

A model instance costs Tortoise far more to build than the values it holds (for a roster of
581 members joined to their municipality and prefecture, about twice the whole statement). A
page that only shows its rows reads them with `QuerySet.values` instead (the same statement,
the same conversions of each column) and splits each row into one `ValueRow` per model on the
joined path: objects with the model's attributes, its `pk`, and the joined rows under their
relation names, as `select_related` would have set them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from tortoise.models import Model
from tortoise.queryset import QuerySet

from resolvers.statements import Statement


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


def value_rows(rows: Iterable[dict[str, Any]], model: type[Model], path: str = "") -> list[ValueRow]:
    """Split rows read with `value_columns(model, path)` into a `ValueRow` per model and row."""
    chain = models_on(model, path)
    names = [
        (prefix, [(f"{prefix}{name}", name) for name in joined._meta.fields_db_projection], joined._meta.pk_attr)
        for prefix, joined in chain
    ]
    relations = path.split("__") if path else []
    built = []
    for values in rows:
        parent = None
        for depth, (_, columns, pk_attr) in enumerate(names):
            row = ValueRow({name: values[column] for column, name in columns})
            row.pk = getattr(row, pk_attr)
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
        self.statement = Statement(
            model, lambda *arguments: query(*arguments).values(*annotations, *value_columns(model, path))
        )

    async def read(self, prime: Prime, *arguments: Any) -> list[tuple[dict[str, Any], ValueRow]]:
        """The rows, each with its raw values (which carry the annotations: a grouping key, a
        count); the joined rows are handed to their by-id loaders."""
        values = await self.statement.values(*arguments)
        rows = value_rows(values, self.model, self.path)
        prime(rows, self.path, self.model)
        return list(zip(values, rows, strict=True))
