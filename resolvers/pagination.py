"""Cursor pagination shared by every connection.

Cursors are opaque to clients (base64 of an offset). Arguments follow the Relay spec:
`first`/`after` page forward, `last`/`before` page backward; a page holds at most
`MAX_PAGE_SIZE` items and, when neither `first` nor `last` is given, `DEFAULT_PAGE_SIZE`.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from tortoise.queryset import QuerySet

from resolvers.errors import InvalidArgument

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
CURSOR_PREFIX = "cursor:"
T = TypeVar("T")


@dataclass(frozen=True, kw_only=True)
class PageRequest:
    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None


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
    offset = text.removeprefix(CURSOR_PREFIX)
    if not text.startswith(CURSOR_PREFIX) or not offset.isdigit():
        raise InvalidArgument(f"`{argument}` is not a cursor this API issued.", field=argument)
    return int(offset)


def _check_size(value: int | None, argument: str) -> None:
    if value is not None and not 0 <= value <= MAX_PAGE_SIZE:
        raise InvalidArgument(
            f"`{argument}` must be between 0 and {MAX_PAGE_SIZE}, got {value}.", field=argument
        )


def window(request: PageRequest, total_count: int) -> tuple[int, int]:
    """The [start, end) slice of the full list that the arguments select."""
    _check_size(request.first, "first")
    _check_size(request.last, "last")
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


async def paginate_queryset(queryset: QuerySet[Any], request: PageRequest) -> Page[Any]:
    """One COUNT and one SELECT with OFFSET/LIMIT, whatever the page."""
    total_count = await queryset.count()
    start, end = window(request, total_count)
    items = list(await queryset.offset(start).limit(end - start)) if end > start else []
    return page_of(items, start, end, total_count)


def paginate_list(items: Sequence[T], request: PageRequest) -> Page[T]:
    """Slice a list a DataLoader already fetched for many parents at once."""
    start, end = window(request, len(items))
    return page_of(list(items[start:end]), start, end, len(items))
