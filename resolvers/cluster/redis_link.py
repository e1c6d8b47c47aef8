"""The link to Redis that every use of it shares, and what happens while Redis is away.

Redis holds only what the workers share: the data version (whether a cached answer is still
current), the points budgets, and the fan-out of notifications to other workers' subscribers.
Each use has a fallback, so no request waits for Redis or fails because of it:
- the response cache is bypassed (a worker that cannot read the version cannot tell whether
  another worker wrote), and the data version is raised once Redis answers again;
- budgets are kept in each process;
- notifications are stored in the database as always; those Redis did not take are published
  once it is back, and a worker whose subscription broke reads back what it missed
  (`resolvers.cluster.broker`): subscribers hear of them late, not never.

Every command goes through `RedisLink.run`, with a short timeout and no retries, behind a circuit
breaker: after `FAILURES_TO_OPEN` failures in a row (or when a use `trip`s it because it owes
Redis something) the breaker opens and no command is sent, every use falling back at once. A
background probe pings Redis every `retry_interval` seconds; once it answers, the recovery hooks
run (the data version is raised, unsent notifications are published) and only then does the
breaker close again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from settings import Settings

T = TypeVar("T")
Hook = Callable[[Redis], Awaitable[object]]
FAILURES_TO_OPEN = 2
FAILURES = (RedisError, OSError, TimeoutError)
"""What a command to an unreachable, stalled or broken Redis raises."""
LOG = logging.getLogger("tsunagu.redis")


class RedisUnavailable(Exception):
    """Redis did not answer, or the breaker is open: the caller uses its fallback."""


class LinkWatcher(Protocol):
    """Told of every failed command and every change of state (the metrics are)."""

    def redis_failed(self) -> None: ...

    def redis_state(self, *, reachable: bool, breaker_open: bool) -> None: ...


class RedisLink:
    """One Redis client (short timeouts, no retries) behind a circuit breaker, for one process."""

    def __init__(self, url: str, *, timeout: float, retry_interval: float) -> None:
        self.client = Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout, retry=Retry(NoBackoff(), 0)
        )
        self.retry_interval = retry_interval
        self.failures = 0
        """Commands failed in a row."""
        self.reachable = True
        """Whether the last command sent to Redis was answered."""
        self.usable = asyncio.Event()
        """Set while the breaker is closed (commands are sent)."""
        self.usable.set()
        self._recovery: list[Hook] = []
        self._watchers: list[LinkWatcher] = []
        self._probe: asyncio.Task[None] | None = None

    @classmethod
    def of(cls, settings: Settings) -> RedisLink | None:
        if settings.redis_url is None:
            return None
        return cls(settings.redis_url, timeout=settings.redis_timeout, retry_interval=settings.redis_retry_interval)

    @property
    def breaker_open(self) -> bool:
        return not self.usable.is_set()

    def on_recovery(self, hook: Hook) -> None:
        """Run `hook` with the client each time Redis answers again, before commands are sent."""
        self._recovery.append(hook)

    def watch(self, watcher: LinkWatcher) -> None:
        self._watchers.append(watcher)
        self._tell()

    async def run(self, command: Callable[[Redis], Awaitable[T]]) -> T:
        """`command(client)`, or `RedisUnavailable` at once while the breaker is open."""
        if self.breaker_open:
            raise RedisUnavailable
        try:
            result = await command(self.client)
        except FAILURES as error:
            self.failed(error)
            raise RedisUnavailable from error
        if not self.reachable or self.failures:
            self.failures = 0
            self.reachable = True
            self._tell()
        return result

    def failed(self, error: BaseException) -> None:
        """Count a failed command; the `FAILURES_TO_OPEN`th in a row opens the breaker."""
        self.failures += 1
        self.reachable = False
        for watcher in self._watchers:
            watcher.redis_failed()
        if self.failures >= FAILURES_TO_OPEN:
            self.trip(error)
        else:
            self._tell()

    def trip(self, error: BaseException | None = None) -> None:
        """Open the breaker now: Redis failed, or a use owes it something its recovery hook settles."""
        if self.breaker_open:
            return
        self.usable.clear()
        LOG.warning(
            "Redis unreachable: serving without it until it answers again",
            extra={"redis": "down", "error": type(error).__name__ if error else None},
        )
        self._tell()
        self._probe = asyncio.get_running_loop().create_task(self._until_recovered())

    async def _until_recovered(self) -> None:
        while True:
            await asyncio.sleep(self.retry_interval)
            try:
                await self.client.ping()
                for hook in self._recovery:
                    await hook(self.client)
            except FAILURES:
                for watcher in self._watchers:
                    watcher.redis_failed()
                continue
            break
        self.failures = 0
        self.reachable = True
        self.usable.set()
        self._probe = None
        LOG.warning("Redis answers again: shared state restored", extra={"redis": "up"})
        self._tell()

    def _tell(self) -> None:
        for watcher in self._watchers:
            watcher.redis_state(reachable=self.reachable, breaker_open=self.breaker_open)

    async def close(self) -> None:
        if self._probe is not None:
            self._probe.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._probe
            self._probe = None
        await self.client.aclose()
