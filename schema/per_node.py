"""Values computed once per parsed AST node, for as long as the node lives.

The parser cache hands every request with the same query text the same `DocumentNode`, so
what is worked out from a document (does it introspect, what is its execution plan) can be
kept with it. graphql-core's nodes hash and compare by their whole subtree, which is as slow
as working the value out again, so this keys on the node's identity instead and drops the
value when the node is collected, before its id can name another node.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

from graphql.language import Node

N = TypeVar("N", bound=Node)
V = TypeVar("V")


class PerNode(Generic[N, V]):
    """`compute(node)`, remembered for each node object while it lives."""

    def __init__(self, compute: Callable[[N], V]) -> None:
        self.compute = compute
        self.values: dict[int, tuple[weakref.ref[N], V]] = {}

    def __call__(self, node: N) -> V:
        key = id(node)
        entry = self.values.get(key)
        if entry is None:
            forget = self.values.pop
            reference = weakref.ref(node, lambda _, key=key: forget(key, None))  # type: ignore[misc]
            entry = self.values[key] = (reference, self.compute(node))
        return entry[1]
