"""Values computed once per object, kept for as long as the object lives.

The parser cache hands every request with the same query text the same `DocumentNode`, so
what is worked out from a document (does it introspect, what is its execution plan) can be
kept with it; a request's DataLoaders can keep the GraphQL objects built from their rows.
graphql-core's nodes hash and compare by their whole subtree, as slow as working the value
out again, and a `WeakKeyDictionary` makes a weak reference on every lookup, so this keys on
the object's identity instead and drops the value when the object is collected, before its
id can name another object.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class PerObject(Generic[K, V]):
    """`compute(key)`, remembered for each key object while it lives."""

    def __init__(self, compute: Callable[[K], V]) -> None:
        self.compute = compute
        self.values: dict[int, tuple[weakref.ref[K], V]] = {}

    def __call__(self, key: K) -> V:
        identity = id(key)
        entry = self.values.get(identity)
        if entry is None:
            forget = self.values.pop
            reference = weakref.ref(key, lambda _, identity=identity: forget(identity, None))  # type: ignore[misc]
            entry = self.values[identity] = (reference, self.compute(key))
        return entry[1]
