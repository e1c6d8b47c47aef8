"""GraphQL objects read from tables by position, with the objects joined to them in declared fields.

The data layer reads a page or a batch as a `Table` (`resolvers.db.rows`): each row's values by
position, with the columns of the rows a chain of foreign keys joins beside the model's own
(`municipality__prefecture__name`). The schema reads a table into its objects with the type's
reader, `ModelNode.read` (`schema.node`), and hands it to the read call when the data layer
builds something from the table (`paginate_listing`):

    members = Membership.read(table)  # a Membership a row; each one's `joined_municipality` a
                                      # Municipality, whose `joined_prefecture` is a Prefecture

A type declares each relation it can be read joined through as a private field named
`joined_<relation>`, whose default `joined("<Type>")` names the joined object's type; its
relation field hands that object to `related` (`schema.relation`), which then asks no loader:

    joined_prefecture: strawberry.Private[Prefecture | None] = joined("Prefecture")

For each type and set of columns read there is one `Reader`, cached. It builds each object by
position, as an instance of a class of its own: a subclass of the GraphQL type with a slot for
each column read (and for the joined object), whose `__init__` picks the values out of the row.
No object is built from another (the roster's 581 members are 1,743 objects, and no dict), and a
column the query leaves unread (`schema.engine.selection`) is an attribute its objects lack.

A type can be read so if its dataclass `__init__` only assigns its fields and each field is a
column of its model. A type that cannot, or a table joined through a relation its type declares
no field for, raises `Unreadable` at the type's first read, naming the type and the reason.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
from collections.abc import Callable, Sequence
from typing import Any, cast

from tortoise.fields.relational import RelationalField
from tortoise.models import Model

from resolvers.db.statements import Table

# The key of a joined field's metadata: the joined type's name and module (`joined`).
JOINED = "schema.rows.joined"


def joined(type_name: str, module: str | None = None) -> Any:
    """The default of a field that holds the object of `type_name`, a GraphQL type of `module`
    (the declaring type's own by default), read joined to this one; None where it was not."""
    return dataclasses.field(default=None, init=False, metadata={JOINED: (type_name, module)})


class Unreadable(TypeError):
    """A type that cannot be read from a table as asked: the message names it and says why."""


class ReadObject:
    """The base of the classes a `Reader` builds its objects of: what is left of a request's
    reads is counted by it (`tests/test_request_memory.py`)."""

    __slots__ = ()

    def __repr__(self) -> str:
        """The values read, by name: the type's own repr would read the columns left unread."""
        names = [name for cls in type(self).__mro__ for name in cls.__dict__.get("__slots__", ())]
        return f"{type(self).__name__}({', '.join(f'{name}={getattr(self, name)!r}' for name in names)})"


def init_field_names(cls: type) -> tuple[str, ...]:
    """The names the dataclass `__init__` of `cls` takes."""
    return tuple(f.name for f in dataclasses.fields(cls) if f.init)


def is_plain_dataclass(cls: type) -> bool:
    """Whether the dataclass `__init__` of `cls` only assigns its arguments, so that filling
    `__dict__` (or setting the same slots) is the same as calling it.

    A field left out of `__init__` is not assigned there (one with a resolver, such as a Node's
    `id`) or assigned its default, which the class holds as well (a joined field); one with a
    default factory gets a value of its own, which only `__init__` makes."""
    return (
        all(f.init or f.default_factory is dataclasses.MISSING for f in dataclasses.fields(cls))
        and not hasattr(cls, "__post_init__")
        and not hasattr(cls, "__slots__")
    )


def read_objects(graphql_type: type, table: Table) -> list[Any]:
    """The objects of `graphql_type` read from the rows of `table` (`Reader`)."""
    return reader(graphql_type, table.columns).read(table.rows)


@functools.cache
def reader(graphql_type: type, columns: tuple[str, ...]) -> Reader:
    """The one reader of `graphql_type`'s objects from rows of `columns`."""
    return Reader(graphql_type, columns)


class Reader:
    """Builds objects of a GraphQL type, and of the types joined to it, from rows of `columns`.

    One level per type on the joined chain: the class its objects are (`object_class`), and the
    position of its primary key, None in a row where the left join found nothing."""

    def __init__(self, graphql_type: type, columns: tuple[str, ...]) -> None:
        levels: list[tuple[type, int]] = []
        prefix = ""
        current: type | None = graphql_type
        while current is not None:
            relation = joined_relation(current, columns, prefix)
            pk = columns.index(f"{prefix}{model_of(current)._meta.pk_attr}")
            levels.append((object_class(current, columns, prefix, relation), pk))
            current = None if relation is None else joined_type(current, relation)
            prefix = f"{prefix}{relation}__"
        self.top = levels[0][0]
        self.deepest_first = levels[::-1]

    def read(self, rows: Sequence[Sequence[Any]]) -> list[Any]:
        top = self.top
        if len(self.deepest_first) == 1:
            return [top(values, None) for values in rows]
        built = []
        for values in rows:
            obj = None
            for object_type, pk in self.deepest_first:
                obj = object_type(values, obj) if values[pk] is not None else None
            built.append(obj)
        return built


def model_of(graphql_type: type) -> type[Model]:
    model = getattr(graphql_type, "model", None)
    if model is None:
        raise Unreadable(f"{graphql_type.__name__} cannot be read from a table: it names no model.")
    return cast(type[Model], model)


def joined_relation(graphql_type: type, columns: tuple[str, ...], prefix: str) -> str | None:
    """The relation whose columns `columns` holds beyond the columns `prefix` names, if any."""
    relations = {
        column[len(prefix) :].split("__", 1)[0]
        for column in columns
        if column.startswith(prefix) and "__" in column[len(prefix) :]
    }
    if len(relations) > 1:
        raise Unreadable(
            f"{graphql_type.__name__} cannot be read from a table joined through "
            f"{', '.join(sorted(relations))}: a reader follows one chain of relations."
        )
    return relations.pop() if relations else None


def joined_type(graphql_type: type, relation: str) -> type:
    """The type `graphql_type` declares for the object read joined through `relation`."""
    name = f"joined_{relation}"
    declared = {f.name: f for f in dataclasses.fields(graphql_type)}.get(name)
    if declared is None or JOINED not in declared.metadata:
        raise Unreadable(
            f"{graphql_type.__name__} is read joined through {relation!r} but declares no field for "
            f'the joined object: `{name}: strawberry.Private[<Type> | None] = joined("<Type>")`.'
        )
    field = model_of(graphql_type)._meta.fields_map.get(relation)
    if not isinstance(field, RelationalField):
        raise Unreadable(f"{graphql_type.__name__} is read joined through {relation!r}, which is no relation of its model.")
    type_name, module = declared.metadata[JOINED]
    found = getattr(importlib.import_module(module or graphql_type.__module__), type_name, None)
    related_model = field.related_model
    if not isinstance(found, type) or getattr(found, "model", None) is not related_model:
        raise Unreadable(
            f"{graphql_type.__name__}.{name} names {type_name!r}, which is no type of "
            f"{related_model.__name__} rows in {module or graphql_type.__module__}."
        )
    return found


def object_class(graphql_type: type, columns: tuple[str, ...], prefix: str, relation: str | None) -> type:
    """A subclass of `graphql_type` whose objects hold the columns of its model that `columns`
    has (under `prefix`), in slots, and the object joined through `relation`: its `__init__`
    takes a row and that object."""
    model = model_of(graphql_type)
    if not is_plain_dataclass(graphql_type):
        raise Unreadable(
            f"{graphql_type.__name__} cannot be read from a table: its __init__ does more than assign "
            "its fields (a __post_init__, __slots__, or a field left out of it with a default factory)."
        )
    names = model._meta.fields_db_projection
    not_columns = sorted(set(init_field_names(graphql_type)) - set(names))
    if not_columns:
        raise Unreadable(
            f"{graphql_type.__name__} cannot be read from a table: {', '.join(not_columns)} "
            f"{'is no column' if len(not_columns) == 1 else 'are no columns'} of {model.__name__}."
        )
    read = {name: columns.index(f"{prefix}{name}") for name in names if f"{prefix}{name}" in columns}
    joined_name = None if relation is None else f"joined_{relation}"
    init = positional_init(read, joined_name)
    slots = (*read, *([joined_name] if joined_name else []))
    values = type(f"{graphql_type.__name__}Read", (ReadObject,), {"__slots__": slots, "__init__": init})
    return type(f"{graphql_type.__name__}Row", (values, graphql_type), {"__slots__": ()})


def positional_init(positions: dict[str, int], joined_name: str | None) -> Callable[..., None]:
    """An `__init__(self, values, joined)` that sets each attribute to the value at its
    position in the row, and `joined_name` (if any) to the joined object: built from source, as
    dataclasses build theirs, so that a row costs no tuple of its values and no call per value."""
    lines = [f"    self.{name} = values[{position}]" for name, position in positions.items()]
    if joined_name is not None:
        lines.append(f"    self.{joined_name} = joined")
    source = "def __init__(self, values, joined):\n" + "\n".join(lines or ["    pass"]) + "\n"
    namespace: dict[str, Any] = {}
    exec(source, namespace)  # the names are a model's column names, the positions integers
    return cast(Callable[..., None], namespace["__init__"])
