"""The data version: a number that every write raises, so that answers cached under an older one
are never served again (see `edge.response_cache`).

A mutation raises it once its transaction has committed and before its response is sent; a
request reads it before it runs and its answer is kept under what it read, so an answer that
raced with a write is stale as soon as the write is answered. Without `REDIS_URL` the number
lives in this process; with it, in one Redis key that every worker and host shares (and that the
`tsunagu` commands which write raise too).

While Redis is away the version cannot be read (`current` is None: the response cache is
bypassed, since another worker may have written) and a write cannot raise it; the write is
answered all the same, and the version is raised when Redis answers again, before this worker
uses it (a recovery hook of `resolvers.cluster.redis_link`), so no answer cached before the outage is
served after it.

Redis here keeps nothing on disk: after a restart the key is gone. A missing key starts again at
the current time in nanoseconds rather than at 0, so the numbers it counts from then on are new
and never match an answer a worker cached before the restart.
"""

from __future__ import annotations

import time

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from resolvers.cluster.redis_link import RedisLink, RedisUnavailable

REDIS_KEY = "tsunagu:data-version"


class DataVersion:
    def __init__(self) -> None:
        self._local = 0
        self._link: RedisLink | None = None
        self._key = REDIS_KEY

    async def current(self) -> int | None:
        """The version now, or None while Redis, which holds it, does not answer."""
        if self._link is None:
            return self._local
        try:
            return await self._link.run(self._read)
        except RedisUnavailable:
            return None

    async def bump(self) -> int | None:
        """Raise the version after a write; returns the new one, or None when Redis did not take it.

        Never raises: the write has committed. When Redis cannot take the new version the link
        is tripped, and its recovery raises the version before anything is cached again.
        """
        if self._link is None:
            self._local += 1
            return self._local
        try:
            return await self._link.run(self._raised)
        except RedisUnavailable:
            self._link.trip()
            return None

    async def _read(self, redis: Redis) -> int:
        pipeline = self._started(redis)
        pipeline.get(self._key)
        _, version = await pipeline.execute()
        return int(version)

    async def _raised(self, redis: Redis) -> int:
        pipeline = self._started(redis)
        pipeline.incr(self._key)
        _, version = await pipeline.execute()
        return int(version)

    def _started(self, redis: Redis) -> Pipeline:
        """A pipeline (one round trip) that first gives a missing key a fresh starting number.
        (Its commands are queued, not awaited: each answers the pipeline itself.)"""
        pipeline = redis.pipeline(transaction=False)
        pipeline.set(self._key, time.time_ns(), nx=True)
        return pipeline

    def connect(self, link: RedisLink, key: str = REDIS_KEY) -> None:
        """Share the version with every process connected to the same Redis."""
        self._link = link
        self._key = key
        link.on_recovery(self._raised)

    def close(self) -> None:
        self._link = None


data_version = DataVersion()


async def bump_shared(redis_url: str | None, key: str = REDIS_KEY) -> bool:
    """For writes made outside the service (the CLI): raise the shared version if there is one.

    Returns False when Redis is configured but did not answer. Without Redis the running service
    cannot be told; its cached answers age out within `TSUNAGU_RESPONSE_CACHE_TTL` seconds.
    """
    if redis_url is None:
        return True
    link = RedisLink(redis_url, timeout=1.0, retry_interval=1.0)
    shared = DataVersion()
    shared.connect(link, key)
    try:
        return await shared.bump() is not None
    finally:
        shared.close()
        await link.close()
