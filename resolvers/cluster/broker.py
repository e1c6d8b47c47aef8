"""Publish/subscribe between the code that causes an event and the subscriptions waiting for it.

A message is a unique id (a notification's); the same id on one channel is delivered once.
Subscribers in this process get a bounded queue each; a subscriber that falls that far behind
loses the oldest messages rather than holding memory without limit (the notifications stay
queryable in the database). With `REDIS_URL` set, a publication goes through Redis, and every
process (worker or host) delivers it to its own subscribers from one pattern subscription;
without it, the broker serves this process alone.

While Redis is away (`resolvers.cluster.redis_link`) nothing is lost for good:
- a publication Redis does not take is kept (up to `UNSENT_LIMIT`) and published once it answers;
- when this process's subscription to Redis breaks, it is made again once Redis answers, and
  what was published meanwhile is read back from where it was stored (`missed`, the
  notifications table) and delivered; an id delivered already is not delivered again.
Subscribers hear late, not never, of what happened during the outage.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import weakref
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from redis.asyncio import Redis

from resolvers.cluster.redis_link import FAILURES, RedisLink, RedisUnavailable

QUEUE_SIZE = 100
UNSENT_LIMIT = 10_000
REDIS_PREFIX = "tsunagu:broker:"
CATCH_UP_MARGIN = 5.0
"""Seconds before a broken subscription's break from which publications are read back (for
clocks that differ between hosts; what was delivered already is not delivered twice)."""
LOG = logging.getLogger("tsunagu.broker")

Missed = Callable[[frozenset[str], float], Awaitable[list[tuple[str, int]]]]
"""The (channel, message) publications to the given channels since a time (seconds since the
epoch), oldest first."""


class Broker:
    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[int]]] = defaultdict(set)
        self._delivered: dict[str, deque[int]] = {}
        """The last messages delivered on each channel with subscribers, so none is delivered twice."""
        self._link: RedisLink | None = None
        self._unsent: deque[tuple[str, int]] = deque(maxlen=UNSENT_LIMIT)
        """Publications Redis did not take, oldest first (the oldest are dropped beyond the limit)."""
        self._listener: asyncio.Task[None] | None = None
        self._watchers: list[weakref.WeakMethod[Callable[[int], None]]] = []

    def watch(self, watcher: Callable[[int], None]) -> None:
        """Call the bound method `watcher` with the number of open subscriptions, now and whenever
        it changes, for as long as its object lives (apps built and dropped by tests go away)."""
        self._watchers.append(weakref.WeakMethod(watcher))
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
        if channel not in self._queues:
            return
        delivered = self._delivered.setdefault(channel, deque(maxlen=QUEUE_SIZE))
        if message in delivered:
            return
        delivered.append(message)
        for queue in self._queues[channel]:
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
                self._delivered.pop(channel, None)
            self._changed()

    def subscriber_count(self, channel: str | None = None) -> int:
        """How many subscriptions in this process listen on `channel`, or on any channel."""
        if channel is None:
            return sum(len(queues) for queues in self._queues.values())
        return len(self._queues.get(channel, ()))

    def connect(self, link: RedisLink, missed: Missed) -> None:
        """Share publications with every process connected to the same Redis."""
        self._link = link
        link.on_recovery(self._publish_unsent)
        self._listener = asyncio.create_task(self._relay(link, missed))

    async def _relay(self, link: RedisLink, missed: Missed) -> None:
        """Deliver what Redis relays; when the subscription breaks, make it again once Redis is
        back and deliver what was published meanwhile."""
        broken_at: float | None = None
        while True:
            await link.usable.wait()
            pubsub = link.client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.psubscribe(REDIS_PREFIX + "*")
                if broken_at is not None:
                    await self._catch_up(missed, broken_at - CATCH_UP_MARGIN)
                    broken_at = None
                async for message in pubsub.listen():
                    channel = message["channel"].decode().removeprefix(REDIS_PREFIX)
                    self.deliver(channel, int(message["data"]))
            except FAILURES as error:
                broken_at = time.time() if broken_at is None else broken_at
                link.failed(error)
                link.trip(error)
            finally:
                with contextlib.suppress(*FAILURES):
                    await pubsub.aclose()

    async def _catch_up(self, missed: Missed, since: float) -> None:
        try:
            publications = await missed(frozenset(self._queues), since)
        except Exception:  # the database may be away too: subscribers then read `notifications`
            LOG.exception("could not read back the publications missed while Redis was away")
            return
        for channel, message in publications:
            self.deliver(channel, message)

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
        self._link = None


broker = Broker()
