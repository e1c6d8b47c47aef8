"""The base of every type that implements `Node`: global IDs resolved through DataLoaders."""

from __future__ import annotations

import functools
from asyncio import Future
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, ClassVar, Self, TypeVar, cast

from strawberry import relay
from strawberry.dataloader import DataLoader
from tortoise.models import Model

from resolvers.access import Actor
from resolvers.db.rows import ValueRow, init_field_names, is_plain_dataclass, show_rows_as
from resolvers.text import whole_number
from schema.engine.per_object import PerObject

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


# The objects `load_now` converted, by loader (one request's) and key, with the row they came
# from: a prefecture asked for by 581 municipalities is built once.
_converted: PerObject[DataLoader[Any, Any], dict[tuple[Any, Any], tuple[Any, Any]]] = PerObject(
    lambda loader: {}
)


# The relation helpers below answer a value at once where they can, else an awaitable of it,
# which both executors await wherever a field's value is due. They are typed as answering the
# value, which is what the field that returns it shows (its annotation is its GraphQL type):
# hence the `cast` of the awaitable. `DataLoader.load` is typed as answering an awaitable; it is
# the future of the key's batch.


def load_now(loader: DataLoader[Any, Any], key: Any, convert: Callable[[Any], T]) -> T:
    """What `loader` holds for `key`, converted: at once if it holds it already, else an awaitable.

    A relation field written as a plain function that returns this costs no coroutine, and no
    asyncio task per list item, when its rows came joined to their parent's (`Loaders.prime`);
    otherwise the executor awaits the batched load as it would an async resolver's.
    """
    future = cast(Future[Any], loader.load(key))
    if future.done():
        return converted(loader, key, convert, future.result())
    return cast(T, _then(future, functools.partial(converted, loader, key, convert)))


def load_related(
    source: Any, relation: str, loader: DataLoader[Any, Any], key: Any, convert: Callable[[Any], T]
) -> T:
    """The object of the row `source` joined through `relation`, if it is a value row read
    with that join (`resolvers.db.rows`); else `load_now(loader, key, convert)`. A roster's 581
    municipalities and their prefectures come with its rows: no loader is asked for them."""
    if getattr(source, "joined_through", None) == relation and source.joined is not None:
        return convert(source.joined)
    return load_now(loader, key, convert)


def load_then(loader: DataLoader[Any, Any], key: Any, then: Callable[[Any], T]) -> T:
    """`then` of what `loader` holds for `key`: at once if it holds it already, else an
    awaitable, as with `load_now`; for values built anew on each call (a page of a list)."""
    future = cast(Future[Any], loader.load(key))
    if future.done():
        return then(future.result())
    return cast(T, _then(future, then))


async def load_ahead(loader: DataLoader[Any, Any], keys: Iterable[Any]) -> None:
    """Have `loader` fetch `keys` now, so that the fields reading them later find them at once
    (`load_now`). `load_many` would gather a future per key; this awaits each batch once."""
    for pending in [cast(Future[Any], loader.load(key)) for key in keys]:
        if not pending.done():
            await pending


def converted(loader: DataLoader[Any, Any], key: Any, convert: Callable[[Any], T], row: Any) -> T:
    """`convert(row)`, built once per loader and key while the loader holds that same row.

    A value row that is its own object (`resolvers.db.rows.shown_as`) is returned as it is;
    another value row keeps its object itself: no lookup by loader and key, which for a
    roster's 581 municipalities, each loaded once, would only cost."""
    if isinstance(row, ValueRow):
        kept = row.converted
        if kept is not None and kept[0] == convert:
            return kept[1]
        result = convert(row)
        if result is not row:  # a row that is its own object keeps no cycle to itself
            row.converted = (convert, result)
        return result
    by_key = _converted(loader)
    cached = by_key.get((convert, key))
    if cached is not None and cached[0] is row:
        return cached[1]
    result = convert(row)
    by_key[(convert, key)] = (row, result)
    return result


async def _then(pending: Awaitable[Any], then: Callable[[Any], T]) -> T:
    return then(await pending)


def node_keys(node_ids: Iterable[str]) -> list[int]:
    """The row ids inside global IDs; 0, which names no row, for any that is not one."""
    return [whole_number(i, MAX_NODE_ID_DIGITS) or 0 for i in node_ids]


class ModelNode(relay.Node):
    """A Node backed by one Tortoise model whose attributes carry the type's field names."""

    model: ClassVar[type[Model]]
    # The columns each resolver reads beyond the keys, by field: a query that selects the field
    # reads them (`schema.engine.selection`), whether or not it selects the fields that show them.
    columns_read: ClassVar[dict[str, tuple[str, ...]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """A type for a model shows that model's value rows: they are its instances."""
        super().__init_subclass__(**kwargs)
        if "model" in cls.__dict__:
            show_rows_as(cls.model, cls)

    @classmethod
    def from_model(cls, row: Any) -> Self:
        """The object of a model or a row: a value row that is one already is itself."""
        return row if isinstance(row, cls) else from_row(cls, row)

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
