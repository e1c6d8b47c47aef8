"""The data version: a number that every write raises, so that answers cached under an older one
are never served again (see `response_cache`).

A mutation raises it once its transaction has committed and before its response is sent; a
request reads it before it runs and its answer is kept under what it read, so an answer that
raced with a write is stale as soon as the write is answered. Without `REDIS_URL` the number
lives in this process; with it, in one Redis key that every worker and host shares (and that the
`tsunagu` commands which write raise too).

Redis here keeps nothing on disk: after a restart the key is gone. A missing key starts again at
the current time in nanoseconds rather than at 0, so the numbers it counts from then on are new
and never match an answer a worker cached before the restart.
"""

from __future__ import annotations

import time

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

REDIS_KEY = "tsunagu:data-version"


class DataVersion:
    def __init__(self) -> None:
        self._local = 0
        self._redis: Redis | None = None
        self._key = REDIS_KEY

    async def current(self) -> int:
        if self._redis is None:
            return self._local
        _, version = await self._started().get(self._key).execute()
        return int(version)

    async def bump(self) -> int:
        """Raise the version after a write; returns the new one."""
        if self._redis is None:
            self._local += 1
            return self._local
        _, version = await self._started().incr(self._key).execute()
        return int(version)

    def _started(self) -> Pipeline:
        """A pipeline (one round trip) that first gives a missing key a fresh starting number."""
        assert self._redis is not None
        return self._redis.pipeline(transaction=False).set(self._key, time.time_ns(), nx=True)

    async def connect(self, redis_url: str, key: str = REDIS_KEY) -> None:
        """Share the version with every process connected to the same Redis."""
        self._redis = Redis.from_url(redis_url)
        self._key = key

    async def close(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()
            self._redis = None


data_version = DataVersion()


async def bump_shared(redis_url: str | None, key: str = REDIS_KEY) -> None:
    """For writes made outside the service (the CLI): raise the shared version if there is one.

    Without Redis the running service cannot be told; its cached answers age out within
    `TSUNAGU_RESPONSE_CACHE_TTL` seconds.
    """
    if redis_url is None:
        return
    shared = DataVersion()
    await shared.connect(redis_url, key)
    try:
        await shared.bump()
    finally:
        await shared.close()
