"""Transactions, and the work that must wait until one has committed.

A notification published inside a transaction that later rolls back would tell a subscriber
about something that never happened. `after_commit` defers such work: `committing` runs the
callbacks once its transaction has committed and drops them if it rolls back. Inside another
`committing` block (a keyed mutation, `schema.idempotency`), the inner one is a savepoint and
its callbacks wait for the outer commit. A callback that fails is logged, never reported as the
mutation's failure: the change has committed, and a caller that retried would make it twice.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar

from tortoise.transactions import in_transaction

Callback = Callable[[], Awaitable[None]]
LOG = logging.getLogger("tsunagu.audit")

_pending: ContextVar[list[Callback] | None] = ContextVar("after_commit", default=None)


async def after_commit(callback: Callback) -> None:
    """Run `callback` when the current mutation commits; at once outside a mutation."""
    pending = _pending.get()
    if pending is None:
        await callback()
    else:
        pending.append(callback)


@asynccontextmanager
async def committing(action: str) -> AsyncIterator[None]:
    """A transaction for the mutation `action`, whose after-commit callbacks run once the
    outermost one has committed."""
    outer = _pending.get()
    committed: list[Callback] = []
    token = _pending.set(committed)
    try:
        async with in_transaction():
            yield
    finally:
        _pending.reset(token)
    if outer is not None:
        outer.extend(committed)
        return
    for callback in committed:
        try:
            await callback()
        except Exception:  # the change has committed: whatever failed after it must not undo its answer
            LOG.exception("work after the commit of %s failed", action)
