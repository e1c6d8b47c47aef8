"""`values()` queries whose SQL Tortoise builds once per shape and that run again with new values.

Tortoise builds a query's SQL anew every time it runs it. For a page of members joined to their
municipality and prefecture that costs about a millisecond, as much as PostgreSQL needs to
answer it. A `Statement` names a query by a function of its arguments. The first time it runs
with arguments of a given shape, it builds the query with stand-in values in their places, reads
the SQL and its parameters, and finds where each stand-in landed. After that, it sends the same
SQL with the new values at those places, and converts the columns as Tortoise would.

A statement answers with a `Table`: the rows as the driver returns them (tuples, converted
where a column needs it) in the order of the query's columns, which costs less than a dict a
row when the rows are split into objects at once (`resolvers.db.rows`).

What counts as the shape:
- an `int` or `str` argument is a parameter: its value does not matter, only its type;
- a list or tuple of ints is as many parameters as it has elements: its length matters;
- any other argument (None, a bool, an enum, a frozen dataclass of filters) is fixed: its value
  is part of the shape, so `build` may branch on it. It must be hashable.

`build` must read nothing but its arguments, and may branch on fixed arguments only, never on the
value of a parameter. The tests hold every statement to that (`Statement.check_purity`): each run
of a built shape is built through Tortoise once more with the real values, and must give the same
SQL and parameters. (Tortoise itself leaves out `OFFSET 0`; a statement built with a stand-in
offset sends `OFFSET 0` instead, which reads the same rows.) A shape is reused only if every
stand-in landed verbatim as exactly one parameter; otherwise (a value Tortoise converts or
inlines, a stand-in a field's validator refuses) that shape runs through Tortoise every time, as
it would without this.
"""

from __future__ import annotations

import itertools
import re
import types
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.fields.data import CharEnumFieldInstance, IntEnumFieldInstance
from tortoise.models import Model
from tortoise.queryset import ValuesQuery
from tortoise.router import router

# Shapes remembered per statement; fixed arguments (a search text, say) can make many.
SHAPES_PER_STATEMENT = 256
# Stand-ins: far from any id, count or offset the service stores (and positive, as a LIMIT
# must be); one that happens to equal a constant of the query is caught by `prepare`.
_INT_STAND_IN = 7_340_000_000_000
_STR_STAND_IN = "\u2063stand-in-{}"
_NOT_PREPARED = object()

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Table:
    """The rows of a `values()` query, each a sequence of its values in the order of `columns`."""

    columns: tuple[str, ...]
    rows: Sequence[Sequence[Any]]

    @classmethod
    def of(cls, columns: Iterable[str], rows: Sequence[Row]) -> Table:
        """The table of rows Tortoise read as dicts."""
        columns = tuple(columns)
        return cls(columns, [[row[column] for column in columns] for row in rows])


@dataclass(frozen=True, slots=True)
class Prepared:
    """A built statement: its SQL, where each parameter's value comes from, column conversions."""

    sql: str
    # Per parameter: (argument index, element index or None), or a constant in a 1-tuple.
    sources: tuple[tuple[int, int | None] | tuple[Any], ...]
    # The columns, in the order the SQL selects them.
    columns: tuple[str, ...]
    # Tortoise's conversion of each column that needs one, as `ValuesQuery` applies them, by
    # the column's position.
    conversions: tuple[tuple[int, Callable[[Any], Any]], ...]

    def parameters(self, arguments: Sequence[Any]) -> list[Any]:
        values = []
        for source in self.sources:
            if len(source) == 1:
                values.append(source[0])
            else:
                index, element = source
                argument = arguments[index]
                values.append(argument if element is None else argument[element])
        return values

    def convert(self, records: Sequence[Any]) -> Sequence[Sequence[Any]]:
        """The driver's rows, as they are if no column needs converting, else as lists."""
        if not self.conversions:
            return records
        rows = [list(record) for record in records]
        for row in rows:
            for index, conversion in self.conversions:
                row[index] = conversion(row[index])
        return rows


class ImpureStatement(AssertionError):
    """A statement's `build` gave other SQL for other values of a parameter."""


class Statement:
    """A `values()` query of `model`, named by `build(*arguments)`; see the module docstring."""

    check_purity = False
    """Set by the tests: rebuild each reused shape with the real values and compare."""

    def __init__(self, model: type[Model], build: Callable[..., ValuesQuery[Any]]) -> None:
        self.model = model
        self.build = build
        self.shapes: OrderedDict[Hashable, Prepared | None] = OrderedDict()

    async def table(self, *arguments: Any) -> Table:
        db = router.db_for_read(self.model) or self.model._meta.db
        key = (type(db), *(shape_of(argument) for argument in arguments))
        prepared = self.shapes.get(key, _NOT_PREPARED)
        if prepared is _NOT_PREPARED:
            prepared = self.prepare(db, arguments)
            self.shapes[key] = prepared
            if len(self.shapes) > SHAPES_PER_STATEMENT:
                self.shapes.popitem(last=False)
        else:
            self.shapes.move_to_end(key)
        if prepared is None:
            query = self.build(*arguments)
            return Table.of(query._fields_for_select, await query)
        assert isinstance(prepared, Prepared)
        if self.check_purity:
            self.assert_pure(db, prepared, arguments)
        _, records = await db.execute_query(prepared.sql, prepared.parameters(arguments))
        return Table(prepared.columns, prepared.convert(records))

    def prepare(self, db: BaseDBAsyncClient, arguments: Sequence[Any]) -> Prepared | None:
        """Build the query with stand-ins for the parameters; None if they did not all land."""
        stand_ins: dict[Any, tuple[int, int | None]] = {}
        counter = itertools.count()
        standing = [
            stand_in_for(argument, index, counter, stand_ins)
            for index, argument in enumerate(arguments)
        ]
        try:
            query = self.build(*standing)
            query._db = db
            query._make_query()
        except Exception:  # noqa: BLE001 - a validator refused a stand-in; the real values decide
            return None
        sql, parameters = query.query.get_parameterized_sql()
        sources: list[tuple[int, int | None] | tuple[Any]] = []
        landed = 0
        for parameter in parameters:
            source = stand_ins.get(parameter) if type(parameter) in (int, str) else None
            if source is None:
                sources.append((parameter,))
            else:
                sources.append(source)
                landed += 1
        if landed != len(stand_ins) or len({s for s in sources if len(s) == 2}) != landed:
            return None
        # The SQL's order: Tortoise selects annotations after the columns, whatever the order asked.
        # Tortoise names every column of a `values()` query.
        columns = cast(tuple[str, ...], tuple(select.alias for select in query.query._selects))
        if sorted(columns) != sorted(query._fields_for_select):
            return None
        return Prepared(sql, tuple(sources), columns, conversions(query, columns))


    def assert_pure(self, db: BaseDBAsyncClient, prepared: Prepared, arguments: Sequence[Any]) -> None:
        query = self.build(*arguments)
        query._db = db
        query._make_query()
        sql, parameters = query.query.get_parameterized_sql()
        expected_sql, expected = prepared.sql, prepared.parameters(arguments)
        if sql != expected_sql and expected and expected[-1] == 0:
            # Tortoise leaves out `OFFSET 0`, which the shape sends as a parameter.
            expected_sql, expected = OFFSET_AT_END.sub("", expected_sql), expected[:-1]
        if (sql, list(parameters)) != (expected_sql, expected):
            raise ImpureStatement(
                f"{self.build.__qualname__} builds other SQL for the arguments {arguments!r} than for "
                f"their shape:\n{sql}\n{list(parameters)!r}\ninstead of\n{expected_sql}\n{expected!r}"
            )


OFFSET_AT_END = re.compile(r" OFFSET (?:\?|\$\d+)$")


def is_parameter_list(argument: Any) -> bool:
    return type(argument) in (list, tuple) and all(type(element) is int for element in argument)


def shape_of(argument: Any) -> Hashable:
    kind: type = type(argument)
    if kind is int or kind is str:
        return kind
    if is_parameter_list(argument):
        return (kind, len(argument))
    return (kind, tuple(argument) if kind is list else argument)


def stand_in_for(
    argument: Any,
    index: int,
    counter: itertools.count[int],
    stand_ins: dict[Any, tuple[int, int | None]],
) -> Any:
    kind = type(argument)
    if kind is int or kind is str:
        value = (
            _INT_STAND_IN + next(counter) if kind is int else _STR_STAND_IN.format(next(counter))
        )
        stand_ins[value] = (index, None)
        return value
    if is_parameter_list(argument):
        values = []
        for element in range(len(argument)):
            value = _INT_STAND_IN + next(counter)
            stand_ins[value] = (index, element)
            values.append(value)
        return kind(values)
    return argument


def conversions(
    query: ValuesQuery[Any], columns: tuple[str, ...]
) -> tuple[tuple[int, Callable[[Any], Any]], ...]:
    """The column conversions `ValuesQuery._execute` applies (it skips plain functions, which
    are its identity lambdas), by the column's position."""
    pairs = (
        (columns.index(alias), query.resolve_to_python_value(query.model, field))
        for alias, field in query._fields_for_select.items()
    )
    return tuple(
        (index, enum_lookup(convert) or convert)
        for index, convert in pairs
        if not isinstance(convert, types.LambdaType)
    )


def enum_lookup(convert: Callable[[Any], Any]) -> Callable[[Any], Any] | None:
    """For an enum column, a lookup of the stored value that gives what the field's
    `to_python_value` would (the member, or None for NULL) without calling the enum class."""
    field = getattr(convert, "__self__", None)
    if not isinstance(field, (CharEnumFieldInstance, IntEnumFieldInstance)):
        return None
    members: dict[Any, Any] = {member.value: member for member in field.enum_type}
    members[None] = None
    return members.__getitem__
