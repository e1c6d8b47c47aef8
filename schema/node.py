"""The base of every type that implements `Node`: global IDs resolved through DataLoaders, and
objects built from a model's rows (`from_model`) or read from a table (`read`, `schema.rows`)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, Self, TypeVar

from strawberry import relay
from tortoise.models import Model

from resolvers.access import Actor
from resolvers.db.statements import Table
from resolvers.text import whole_number
from schema.rows import init_field_names, is_plain_dataclass, read_objects

MAX_NODE_ID_DIGITS = 12
T = TypeVar("T")


# Typed with `type`, which the type checker knows is hashable (it does not see that `type[T]` is).
_init_names: Callable[[type], tuple[str, ...]] = functools.cache(init_field_names)

_plain_init: Callable[[type], bool] = functools.cache(is_plain_dataclass)


def from_row(graphql_type: type[T], row: Any) -> T:
    """Build a GraphQL object from the model row's attributes of the same names."""
    values = {name: getattr(row, name) for name in _init_names(graphql_type)}
    if not _plain_init(graphql_type):
        return graphql_type(**values)
    instance = object.__new__(graphql_type)
    instance.__dict__.update(values)
    return instance


def node_keys(node_ids: Iterable[str]) -> list[int]:
    """The row ids inside global IDs; 0, which names no row, for any that is not one."""
    return [whole_number(i, MAX_NODE_ID_DIGITS) or 0 for i in node_ids]


class ModelNode(relay.Node):
    """A Node backed by one Tortoise model whose attributes carry the type's field names."""

    model: ClassVar[type[Model]]
    # The columns each resolver reads beyond the keys, by field: a query that selects the field
    # reads them (`schema.engine.selection`), whether or not it selects the fields that show them.
    columns_read: ClassVar[dict[str, tuple[str, ...]]] = {}

    @classmethod
    def read(cls, table: Table) -> list[Self]:
        """The objects of the rows of `table`, with the objects joined to them in their
        `joined_<relation>` fields (`schema.rows`)."""
        return read_objects(cls, table)

    @classmethod
    def from_model(cls, row: Any) -> Self:
        """The object of a model row; an object of this type (one read joined) is itself."""
        return row if isinstance(row, cls) else from_row(cls, row)

    @classmethod
    def from_model_or_none(cls, row: Any) -> Self | None:
        """The object of a row, or None where there is no row (an optional relation)."""
        return None if row is None else cls.from_model(row)

    @classmethod
    def from_models(cls, rows: Iterable[Any]) -> list[Self]:
        return [row if isinstance(row, cls) else from_row(cls, row) for row in rows]

    @classmethod
    def is_visible(cls, actor: Actor, row: Any) -> bool:
        """Whether `node(id:)` shows this row to the caller; private types narrow it."""
        return True

    # Overrides strawberry's overloads with one signature: whether `required` or not, an id
    # whose row the caller may not see is None, which strawberry answers as for a missing row.
    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Any, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        return await cls.nodes_shown(info, node_keys(node_ids))

    @classmethod
    async def nodes_shown(cls, info: Any, keys: list[int]) -> list[Self | None]:
        """The objects of the rows with these ids, None for one missing or that the caller may
        not see (`is_visible`); a type whose rule needs other rows overrides this."""
        rows = await info.context.loaders.by_id(cls.model).load_many(keys)
        actor = info.context.actor
        return [
            cls.from_model(row) if row is not None and cls.is_visible(actor, row) else None
            for row in rows
        ]
