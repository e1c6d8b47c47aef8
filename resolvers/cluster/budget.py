"""Points budgets: how much query cost each caller may spend per minute.

A signed-in caller's budget belongs to its token, an anonymous caller's to its IP address.
The window is a fixed minute (aligned to the clock: 12:00:00–12:00:59, then a fresh budget),
which a shared store can keep as one counter per key and minute (`INCRBY` with an expiry in
Redis). `CostBudget` is the interface; `InProcessBudget` serves a single process and
`RedisBudget` every worker and host that shares one Redis (`REDIS_URL`). While Redis is away
(`resolvers.cluster.redis_link`), `RedisBudget` keeps each process's budgets in the process, as if it
were alone: a caller may then spend up to its budget on every process, and what it spent is
forgotten when Redis returns.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from resolvers.access import Actor
from resolvers.cluster.redis_link import RedisLink, RedisUnavailable
from settings import Settings

WINDOW_SECONDS = 60


@dataclass(frozen=True)
class Caller:
    """Whose budget a request spends, and how large that budget is."""

    key: str
    limit: int


def caller_of(actor: Actor, address: str, settings: Settings) -> Caller:
    if actor.token_id is not None:
        return Caller(f"token:{actor.token_id}", settings.token_points_per_minute)
    return Caller(f"ip:{address}", settings.anonymous_points_per_minute)


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
    async def spend(self, caller: Caller, points: int) -> Remaining:
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

    async def spend(self, caller: Caller, points: int) -> Remaining:
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


# Add the points only if they fit; return the points spent in the window and whether they fitted.
# One script, so that concurrent requests of one caller on any worker cannot overspend together.
SPEND_SCRIPT = """
local spent = tonumber(redis.call('GET', KEYS[1]) or '0')
local points = tonumber(ARGV[1])
if spent + points > tonumber(ARGV[2]) then return {spent, 0} end
if points > 0 then
  spent = redis.call('INCRBY', KEYS[1], points)
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
end
return {spent, 1}
"""
REDIS_PREFIX = "tsunagu:budget:"


class RedisBudget:
    """One counter per caller and minute in Redis, shared by every worker and host; in the process
    while Redis is away."""

    def __init__(self, link: RedisLink, clock: Callable[[], float] = time.time) -> None:
        self.link = link
        self.clock = clock
        self.script = link.client.register_script(SPEND_SCRIPT)
        self.fallback = InProcessBudget(clock)

    async def spend(self, caller: Caller, points: int) -> Remaining:
        now = self.clock()
        window = int(now // WINDOW_SECONDS)
        key = f"{REDIS_PREFIX}{caller.key}:{window}"
        try:
            spent, granted = await self.link.run(
                lambda _: self.script(keys=[key], args=[points, caller.limit, 2 * WINDOW_SECONDS])
            )
        except RedisUnavailable:
            return await self.fallback.spend(caller, points)
        return Remaining(
            granted=bool(granted),
            limit=caller.limit,
            remaining=caller.limit - int(spent),
            reset_at=float((window + 1) * WINDOW_SECONDS),
            now=now,
        )
