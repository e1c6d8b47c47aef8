"""Work that must wait until a mutation's transaction has committed.

A notification published inside a transaction that later rolls back would tell a subscriber
about something that never happened. `after_commit` defers such work: `perform` runs the
callbacks once its transaction has committed and drops them if it rolls back.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar

Callback = Callable[[], Awaitable[None]]

_pending: ContextVar[list[Callback] | None] = ContextVar("after_commit", default=None)


async def after_commit(callback: Callback) -> None:
    """Run `callback` when the current mutation commits; at once outside a mutation."""
    pending = _pending.get()
    if pending is None:
        await callback()
    else:
        pending.append(callback)


@asynccontextmanager
async def deferring_until_commit() -> AsyncIterator[list[Callback]]:
    """Collect the callbacks registered inside; the caller runs them after committing."""
    pending: list[Callback] = []
    token = _pending.set(pending)
    try:
        yield pending
    finally:
        _pending.reset(token)
