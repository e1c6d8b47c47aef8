"""Relation fields: a field that shows what the request's loaders read for its object.

A relation is written one way, with one decorator and one helper:

    @relation("Prefecture", description="The prefecture the municipality belongs to.")
    def prefecture(self, info: Info) -> Loaded[Prefecture]:
        return related(
            info.context.loaders.prefecture_by_id, self.prefecture_id, Prefecture.from_model,
            joined=self.joined_prefecture,
        )

`related` answers with the object read joined to this one where there is one (`schema.rows`:
the type declares `joined_prefecture: strawberry.Private[Prefecture | None] = joined("Prefecture")`),
at once when the loader holds the key already (its rows were primed, or a sibling asked first),
and with an awaitable otherwise, which the executor awaits with the rest of the level in one
batch: a plain function costs no coroutine per object.
`Loaded[T]` says so, which is why the GraphQL type is `relation`'s first argument rather than
the return annotation. It is written as the annotation would be, in quotes (Strawberry finds the
names in the module, as it does annotations, so a type defined further down is found); a type
from a module that imports this one is named lazily, unquoted, so that linters see the names it
uses: `list[Annotated["Offering", strawberry.lazy("schema.partner.types")]]`.

A relation's resolver reads nothing of its `info` but `info.context`: the compiled executor
(`schema.engine.executor`) passes it a `ContextOnly` instead of building an `Info` for every
object. `relation` refuses, when the module is imported, a resolver whose code reads anything
else of `info`, and `ContextOnly` names the field if it is asked for anything else anyway.
"""

from __future__ import annotations

import ast
import functools
import inspect
import textwrap
from asyncio import Future
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeAlias, TypeVar

import strawberry
from strawberry.dataloader import DataLoader

from schema.engine.direct import context_only
from schema.engine.per_object import PerObject

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

Loaded: TypeAlias = T | Awaitable[T]
"""A relation's value: the object itself when its loader holds it already, else an awaitable."""


def relation(graphql_type: object, *, description: str, **options: Any) -> Callable[[F], Any]:
    """A Strawberry field of `graphql_type` whose resolver reads only `info.context`."""

    def field(resolver: F) -> Any:
        refuse_other_info_reads(resolver)
        return strawberry.field(
            context_only(resolver), graphql_type=graphql_type, description=description, **options
        )

    return field


def refuse_other_info_reads(resolver: Callable[..., Any]) -> None:
    """Raise TypeError if `resolver`'s code reads an attribute of `info` other than `context`."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(resolver)))
    read = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "info"
    }
    if read - {"context"}:
        raise TypeError(
            f"{resolver.__qualname__} is a relation: its info carries the context only, "
            f"but it reads info.{', info.'.join(sorted(read - {'context'}))}."
        )


def related(
    loader: DataLoader[Any, Any], key: Any, convert: Callable[[Any], T], *, joined: T | None = None
) -> Loaded[T]:
    """The `joined` object, read with this one, where there is one; else `convert` of what
    `loader` holds for `key`.

    At once if the loader holds the key already, else an awaitable. A row's object is built
    once per loader and key (`converted`): a prefecture asked for by 581 municipalities is
    built once."""
    if joined is not None:
        return joined
    # Typed as an awaitable, it is the batch's future; annotated rather than cast, which would
    # cost a call and a generic alias per object in the hot path.
    future: Future[Any] = loader.load(key)  # type: ignore[assignment]
    if future.done():
        return converted(loader, key, convert, future.result())
    return _then(future, functools.partial(converted, loader, key, convert))


async def prefetch(loader: DataLoader[Any, Any], keys: Iterable[Any]) -> None:
    """Have `loader` read `keys` now, so that the relation fields asking for them later find
    them at once (`related`). `load_many` would gather a future per key; this awaits each batch
    once. A list's resolver calls it for what its items' fields will ask."""
    pending: Future[Any]
    for pending in [loader.load(key) for key in keys]:  # type: ignore[assignment]  # batches' futures
        if not pending.done():
            await pending


# The objects `related` converted, by loader (one request's) and key, with the value they came
# from.
_converted: PerObject[DataLoader[Any, Any], dict[tuple[Any, Any], tuple[Any, Any]]] = PerObject(
    lambda loader: {}
)


def converted(loader: DataLoader[Any, Any], key: Any, convert: Callable[[Any], T], value: Any) -> T:
    """`convert(value)`, built once per loader and key while the loader holds that same value."""
    by_key = _converted(loader)
    cached = by_key.get((convert, key))
    if cached is not None and cached[0] is value:
        return cached[1]
    result = convert(value)
    by_key[(convert, key)] = (value, result)
    return result


async def _then(pending: Awaitable[Any], then: Callable[[Any], T]) -> T:
    return then(await pending)
