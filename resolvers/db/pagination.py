"""Cursor pagination shared by every connection.

Cursors are opaque to clients (base64 of an offset). Arguments follow the Relay spec:
`first`/`after` page forward, `last`/`before` page backward; a page holds at most
`MAX_PAGE_SIZE` items (a connection may allow more, see `PageRequest.max_size`) and, when
neither `first` nor `last` is given, `DEFAULT_PAGE_SIZE`.
"""

from __future__ import annotations

import base64
import binascii
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from tortoise.expressions import RawSQL
from tortoise.models import Model
from tortoise.queryset import QuerySet, ValuesQuery

from i18n import message
from resolvers.db.rows import UnshownColumns, unshown_along, value_columns
from resolvers.db.statements import Statement, Table
from resolvers.errors import InvalidArgument
from resolvers.text import whole_number

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
CURSOR_PREFIX = "cursor:"
MAX_CURSOR_DIGITS = 9  # an offset beyond any table; longer ones were not issued here
# The size of the whole filtered list, beside each row of the page (SQLite and PostgreSQL alike).
TOTAL_COUNT = "_total_count"
T = TypeVar("T")


@dataclass(frozen=True, kw_only=True)
class PageRequest:
    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None
    max_size: int = MAX_PAGE_SIZE


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    offset: int
    total_count: int
    has_next_page: bool
    has_previous_page: bool


def encode_cursor(offset: int) -> str:
    return base64.b64encode(f"{CURSOR_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str, argument: str) -> int:
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
    except (binascii.Error, UnicodeError):
        text = ""
    offset = whole_number(text.removeprefix(CURSOR_PREFIX), MAX_CURSOR_DIGITS)
    if not text.startswith(CURSOR_PREFIX) or offset is None:
        raise InvalidArgument(message("errors.pagination.bad_cursor", argument=argument), field=argument)
    return offset


def _check_size(value: int | None, argument: str, max_size: int) -> None:
    if value is not None and not 0 <= value <= max_size:
        raise InvalidArgument(
            message("errors.pagination.size_range", argument=argument, max_size=max_size, value=value), field=argument
        )


def check_request(request: PageRequest) -> None:
    _check_size(request.first, "first", request.max_size)
    _check_size(request.last, "last", request.max_size)


def window(request: PageRequest, total_count: int) -> tuple[int, int]:
    """The [start, end) slice of the full list that the arguments select."""
    check_request(request)
    start = decode_cursor(request.after, "after") + 1 if request.after else 0
    end = min(decode_cursor(request.before, "before"), total_count) if request.before else total_count
    start = min(start, end)
    if request.first is not None:
        end = min(end, start + request.first)
    if request.last is not None:
        start = max(start, end - request.last)
    if request.first is None and request.last is None:
        end = min(end, start + DEFAULT_PAGE_SIZE)
    return start, end


def page_of(items: list[T], start: int, end: int, total_count: int) -> Page[T]:
    """`has_next_page`/`has_previous_page` say whether the whole list goes on past the page."""
    return Page(items, start, total_count, end < total_count, start > 0)


def forward_window(request: PageRequest) -> tuple[int, int] | None:
    """The slice a page without `last` asks for, before the list's size is known; None for `last`."""
    if request.last is not None:
        return None
    check_request(request)
    start = decode_cursor(request.after, "after") + 1 if request.after else 0
    end = start + (DEFAULT_PAGE_SIZE if request.first is None else request.first)
    if request.before:
        end = min(end, decode_cursor(request.before, "before"))
    return start, max(start, end)


async def paginate_queryset(
    queryset: QuerySet[Any], request: PageRequest, values: Sequence[str] | None = None
) -> Page[Any]:
    """One SELECT with OFFSET/LIMIT that carries the list's size on every row (COUNT(*) OVER ()).

    A page counted backward from the end (`last`), one that holds no row, and a DISTINCT or
    grouped query (whose window would count the rows before they are merged) count first.
    With `values`, the page holds those columns of each row as dicts instead of model instances.
    """
    guess = forward_window(request)
    if guess is not None and guess[1] > guess[0] and countable(queryset):
        start, end = guess
        counted = counted_window(queryset, start, end - start)
        rows = await (counted if values is None else counted.values(*values, TOTAL_COUNT))
        if rows:
            first_row = rows[0]
            total_count = getattr(first_row, TOTAL_COUNT) if values is None else first_row[TOTAL_COUNT]
            return page_from_window(request, list(rows), total_count)
    return await count_then_read(queryset, request, values)


async def paginate_listing(
    model: type[Model],
    listing: Callable[..., QuerySet[Any]],
    arguments: tuple[Any, ...],
    request: PageRequest,
    path: str,
    unshown: UnshownColumns,
    read: Callable[[Table], list[T]],
) -> Page[T]:
    """A page of `listing(*arguments)` read as a table, with the columns of the rows `path`
    joins to them (`resolvers.db.rows`), without the columns `unshown` names, in one counted
    statement whose SQL is built once per shape of the arguments (`resolvers.db.statements`);
    its items are what `read` makes of the table (the schema's objects, `schema.rows`).
    `listing` must read nothing but its arguments, and its query of `model` must be countable
    (no DISTINCT, no GROUP BY)."""
    unshown_per_model = unshown_along(model, path, unshown)
    guess = forward_window(request)
    if guess is not None and guess[1] > guess[0]:
        start, end = guess
        table = await counted_statement(model, listing, path).table(unshown_per_model, start, end - start, *arguments)
        if table.rows:
            total_count = table.rows[0][table.columns.index(TOTAL_COUNT)]
            return page_from_window(request, read(table), total_count)
    columns = value_columns(model, path, unshown_per_model)
    page = await count_then_read(listing(*arguments), request, columns)
    return replace(page, items=read(Table.of(columns, page.items)))


@functools.cache
def counted_statement(model: type[Model], listing: Callable[..., QuerySet[Any]], path: str) -> Statement:
    def build(unshown_per_model: tuple[frozenset[str], ...], start: int, size: int, *arguments: Any) -> ValuesQuery[Any]:
        queryset = listing(*arguments)
        if not countable(queryset):
            raise ValueError("A DISTINCT or grouped listing is counted apart: use paginate_queryset.")
        return counted_window(queryset, start, size).values(*value_columns(model, path, unshown_per_model), TOTAL_COUNT)

    return Statement(model, build)


def countable(queryset: QuerySet[Any]) -> bool:
    return not (queryset._distinct or queryset._group_bys)


def counted_window(queryset: QuerySet[Any], start: int, size: int) -> QuerySet[Any]:
    return queryset.annotate(**{TOTAL_COUNT: RawSQL("COUNT(*) OVER ()")}).offset(start).limit(size)


def page_from_window(request: PageRequest, rows: list[Any], total_count: int) -> Page[Any]:
    start, end = window(request, total_count)
    return page_of(rows, start, end, total_count)


async def count_then_read(
    queryset: QuerySet[Any], request: PageRequest, values: Sequence[str] | None
) -> Page[Any]:
    total_count = await queryset.count()
    start, end = window(request, total_count)
    if end <= start:
        return page_of([], start, end, total_count)
    sliced = queryset.offset(start).limit(end - start)
    items = await (sliced if values is None else sliced.values(*values))
    return page_of(list(items), start, end, total_count)


def counted_page(request: PageRequest, total_count: int) -> Page[Any]:
    """A page of no items (`first: 0`) over a list only counted: its size and neighbours."""
    start, _ = window(request, total_count)
    return page_of([], start, start, total_count)


def paginate_list(items: Sequence[T], request: PageRequest) -> Page[T]:
    """Slice a list a DataLoader already fetched for many parents at once."""
    start, end = window(request, len(items))
    return page_of(list(items[start:end]), start, end, len(items))
