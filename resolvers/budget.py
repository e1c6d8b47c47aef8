"""Points budgets: how much query cost each caller may spend per minute.

A signed-in caller's budget belongs to its token, an anonymous caller's to its IP address.
The window is a fixed minute (aligned to the clock: 12:00:00–12:00:59, then a fresh budget),
which a shared store can keep as one counter per key and minute (`INCRBY` with an expiry in
Redis). `CostBudget` is the interface; `InProcessBudget` serves a single process.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from resolvers.access import Actor

TOKEN_POINTS_PER_MINUTE = 50_000
ANONYMOUS_POINTS_PER_MINUTE = 10_000
WINDOW_SECONDS = 60


@dataclass(frozen=True)
class Caller:
    """Whose budget a request spends, and how large that budget is."""

    key: str
    limit: int


def caller_of(actor: Actor, address: str) -> Caller:
    if actor.token_id is not None:
        return Caller(f"token:{actor.token_id}", TOKEN_POINTS_PER_MINUTE)
    return Caller(f"ip:{address}", ANONYMOUS_POINTS_PER_MINUTE)


@dataclass(frozen=True)
class Remaining:
    """The state of one budget after a spend; `granted` is false when the points did not fit."""

    granted: bool
    limit: int
    remaining: int
    reset_at: float
    """When the window ends, in seconds since the epoch."""
    now: float

    @property
    def retry_after(self) -> int:
        """Whole seconds until the budget is fresh again (at least 1)."""
        return max(1, int(-(-(self.reset_at - self.now) // 1)))


class CostBudget(Protocol):
    def spend(self, caller: Caller, points: int) -> Remaining:
        """Take `points` from the caller's budget if they fit (nothing is taken if not).

        Spending 0 points reads the budget without changing it.
        """


class InProcessBudget:
    """Counters in this process's memory: right for one worker, and for tests (inject `clock`)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self.window = 0
        self.spent: dict[str, int] = {}
        """Points spent in the current window, by caller key (emptied when the window turns)."""

    def spend(self, caller: Caller, points: int) -> Remaining:
        now = self.clock()
        window = int(now // WINDOW_SECONDS)
        if window != self.window:
            self.window, self.spent = window, {}
        spent = self.spent.get(caller.key, 0)
        granted = spent + points <= caller.limit
        if granted:
            spent += points
            self.spent[caller.key] = spent
        return Remaining(
            granted=granted,
            limit=caller.limit,
            remaining=caller.limit - spent,
            reset_at=float((window + 1) * WINDOW_SECONDS),
            now=now,
        )
