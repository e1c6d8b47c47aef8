"""The Relay connection types and the arguments every connection field takes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Annotated, Any, Generic, TypeVar

import strawberry
from strawberry.types.arguments import StrawberryArgumentAnnotation
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from resolvers.db.pagination import MAX_PAGE_SIZE, Page, PageRequest, encode_cursor

T = TypeVar("T")



def first_arg(max_size: int) -> StrawberryArgumentAnnotation:
    """The `first` argument of a connection whose pages hold at most `max_size` items:
    `Annotated[int | None, first_arg(n)]`."""
    return strawberry.argument(description=f"Return the first n items after `after` (0 to {max_size}).")


def last_arg(max_size: int) -> StrawberryArgumentAnnotation:
    """The `last` argument of a connection whose pages hold at most `max_size` items:
    `Annotated[int | None, last_arg(n)]`."""
    return strawberry.argument(description=f"Return the last n items before `before` (0 to {max_size}).")


FirstArg = Annotated[int | None, first_arg(MAX_PAGE_SIZE)]
LastArg = Annotated[int | None, last_arg(MAX_PAGE_SIZE)]
AfterArg = Annotated[
    str | None, strawberry.argument(description="Return items after this cursor.")
]
BeforeArg = Annotated[
    str | None, strawberry.argument(description="Return items before this cursor.")
]


@strawberry.type(description="Where a page sits in the whole list (Relay cursor connections).")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more items follow this page.")
    has_previous_page: bool = strawberry.field(description="Whether items precede this page.")
    start_cursor: str | None = strawberry.field(description="The cursor of the first item on the page.")
    end_cursor: str | None = strawberry.field(description="The cursor of the last item on the page.")


@strawberry.type(description="An item in a connection, with the cursor that points at it.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Pass to `after` or `before` to page from this item.")
    node: T = strawberry.field(description="The item.")


@strawberry.type(description="A page of a list, with cursors to move through it and the list's size.")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(
        description="The items on this page, with cursors.", resolver=lambda self: self.page_edges()
    )
    nodes: list[T] = strawberry.field(description="The items on this page, without cursors.")
    page_info: PageInfo = strawberry.field(description="How to reach the neighbouring pages.")
    total_count: int = strawberry.field(description="How many items the whole list holds.")
    offset: strawberry.Private[int] = 0

    def page_edges(self) -> list[Edge[T]]:
        """Built when asked for: a page read through `nodes` alone encodes no cursor per item."""
        return [Edge(cursor=encode_cursor(self.offset + i), node=node) for i, node in enumerate(self.nodes)]


def page_request(
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    *,
    max_size: int = MAX_PAGE_SIZE,
) -> PageRequest:
    return PageRequest(first=first, after=after, last=last, before=before, max_size=max_size)


def to_connection(page: Page[Any], convert: Callable[[Any], T]) -> Connection[T]:
    nodes = [convert(item) for item in page.items]
    return Connection(
        nodes=nodes,
        page_info=PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=encode_cursor(page.offset) if nodes else None,
            end_cursor=encode_cursor(page.offset + len(nodes) - 1) if nodes else None,
        ),
        total_count=page.total_count,
        offset=page.offset,
    )


def items_select(info: Any, name: str) -> bool:
    """Whether the connection field being resolved asks for `name` on its items, through
    `nodes` or `edges { node }` (fragments included). Its resolver can then fetch that for the
    whole page at once: the items' fields find it loaded and the executor awaits nothing per item.
    """
    for connection in info.selected_fields:
        items = [
            *fields_named(connection.selections, "nodes"),
            *(node for edges in fields_named(connection.selections, "edges") for node in fields_named(edges.selections, "node")),
        ]
        if any(fields_named(item.selections, name) for item in items):
            return True
    return False


def fields_named(selections: Iterable[Selection], name: str) -> list[SelectedField]:
    """The fields called `name` among `selections`, looking into fragments."""
    found: list[SelectedField] = []
    for selection in selections:
        if isinstance(selection, (FragmentSpread, InlineFragment)):
            found += fields_named(selection.selections, name)
        elif isinstance(selection, SelectedField) and selection.name == name:
            found.append(selection)
    return found
