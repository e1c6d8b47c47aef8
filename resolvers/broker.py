"""Publish/subscribe between the code that causes an event and the subscriptions waiting for it.

Subscribers in this process get a bounded queue each; a subscriber that falls that far behind
loses the oldest messages rather than holding memory without limit (the notifications stay
queryable in the database). With `REDIS_URL` set, a publication goes through Redis, and every
process (worker or host) delivers it to its own subscribers from one pattern subscription;
without it, the broker serves this process alone.

While Redis is away (`resolvers.redis_link`) a publication is kept, up to `UNSENT_LIMIT` of them,
and published once Redis answers again; the pattern subscription is made again then too.
Subscribers hear late of what happened meanwhile, and what others published while this process
was cut off is in the database (`notifications`), not in the stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from redis.asyncio import Redis

from resolvers.redis_link import FAILURES, RedisLink, RedisUnavailable

QUEUE_SIZE = 100
UNSENT_LIMIT = 10_000
REDIS_PREFIX = "tsunagu:broker:"


class Broker:
    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[int]]] = defaultdict(set)
        self._link: RedisLink | None = None
        self._unsent: deque[tuple[str, int]] = deque(maxlen=UNSENT_LIMIT)
        """Publications Redis did not take, oldest first (the oldest are dropped beyond the limit)."""
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
        """Never raises: what Redis does not take now is published when it answers again."""
        if self._link is None:
            self.deliver(channel, message)
            return
        try:
            await self._link.run(lambda redis: redis.publish(REDIS_PREFIX + channel, str(message)))
        except RedisUnavailable:
            self._unsent.append((channel, message))
            self._link.trip()

    async def _publish_unsent(self, redis: Redis) -> None:
        while self._unsent:
            channel, message = self._unsent[0]
            await redis.publish(REDIS_PREFIX + channel, str(message))
            self._unsent.popleft()

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

    def connect(self, link: RedisLink) -> None:
        """Share publications with every process connected to the same Redis."""
        self._link = link
        link.on_recovery(self._publish_unsent)
        self._listener = asyncio.create_task(self._relay(link))

    async def _relay(self, link: RedisLink) -> None:
        """Deliver what Redis relays; when the subscription breaks, make it again once Redis is back."""
        while True:
            await link.closed.wait()
            pubsub = link.client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.psubscribe(REDIS_PREFIX + "*")
                async for message in pubsub.listen():
                    channel = message["channel"].decode().removeprefix(REDIS_PREFIX)
                    self.deliver(channel, int(message["data"]))
            except FAILURES as error:
                link.failed(error)
                link.trip(error)
            finally:
                with contextlib.suppress(*FAILURES):
                    await pubsub.aclose()

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
        self._link = None


broker = Broker()
