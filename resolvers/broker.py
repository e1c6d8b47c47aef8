"""Publish/subscribe between the code that causes an event and the subscriptions waiting for it.

This is the in-process broker: it serves one server process. Subscribers get a bounded queue
each; a subscriber that falls that far behind loses the oldest messages rather than holding
memory without limit (the notifications stay queryable in the database).
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

QUEUE_SIZE = 100


class Broker:
    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[int]]] = defaultdict(set)

    async def publish(self, channel: str, message: int) -> None:
        for queue in self._queues.get(channel, ()):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(message)

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[asyncio.Queue[int]]:
        queue: asyncio.Queue[int] = asyncio.Queue(QUEUE_SIZE)
        self._queues[channel].add(queue)
        try:
            yield queue
        finally:
            self._queues[channel].discard(queue)
            if not self._queues[channel]:
                del self._queues[channel]

    def subscriber_count(self, channel: str) -> int:
        """How many subscriptions in this process listen on `channel`."""
        return len(self._queues.get(channel, ()))


broker = Broker()
