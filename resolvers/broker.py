"""Publish/subscribe between the code that causes an event and the subscriptions waiting for it.

Subscribers in this process get a bounded queue each; a subscriber that falls that far behind
loses the oldest messages rather than holding memory without limit (the notifications stay
queryable in the database). With `REDIS_URL` set, a publication goes through Redis, and every
process (worker or host) delivers it to its own subscribers from one pattern subscription;
without it, the broker serves this process alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from redis.asyncio import Redis

QUEUE_SIZE = 100
REDIS_PREFIX = "tsunagu:broker:"


class Broker:
    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[int]]] = defaultdict(set)
        self._redis: Redis | None = None
        self._listener: asyncio.Task[None] | None = None
        self._watchers: list[weakref.WeakMethod[Callable[[int], None]]] = []

    def watch(self, watcher: Callable[[int], None]) -> None:
        """Call the bound method `watcher` with the number of open subscriptions, now and whenever
        it changes, for as long as its object lives (apps built and dropped by tests go away)."""
        self._watchers.append(weakref.WeakMethod(watcher))  # type: ignore[arg-type]
        watcher(self.subscriber_count())

    def _changed(self) -> None:
        count = self.subscriber_count()
        self._watchers = [ref for ref in self._watchers if ref() is not None]
        for ref in self._watchers:
            watcher = ref()
            if watcher is not None:
                watcher(count)

    async def publish(self, channel: str, message: int) -> None:
        if self._redis is not None:
            await self._redis.publish(REDIS_PREFIX + channel, str(message))
        else:
            self.deliver(channel, message)

    def deliver(self, channel: str, message: int) -> None:
        for queue in self._queues.get(channel, ()):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(message)

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[asyncio.Queue[int]]:
        queue: asyncio.Queue[int] = asyncio.Queue(QUEUE_SIZE)
        self._queues[channel].add(queue)
        self._changed()
        try:
            yield queue
        finally:
            self._queues[channel].discard(queue)
            if not self._queues[channel]:
                del self._queues[channel]
            self._changed()

    def subscriber_count(self, channel: str | None = None) -> int:
        """How many subscriptions in this process listen on `channel`, or on any channel."""
        if channel is None:
            return sum(len(queues) for queues in self._queues.values())
        return len(self._queues.get(channel, ()))

    async def connect(self, redis_url: str) -> None:
        """Share publications with every process connected to the same Redis."""
        self._redis = Redis.from_url(redis_url)
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        await pubsub.psubscribe(REDIS_PREFIX + "*")
        self._listener = asyncio.create_task(self._relay(pubsub))

    async def _relay(self, pubsub: object) -> None:
        async for message in pubsub.listen():  # type: ignore[attr-defined]
            channel = message["channel"].decode().removeprefix(REDIS_PREFIX)
            self.deliver(channel, int(message["data"]))

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
        if self._redis is not None:
            await self._redis.aclose()
            self._redis = None


broker = Broker()
