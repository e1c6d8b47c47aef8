"""Idempotency keys: a mutation retried with its key gets its first answer and changes nothing.

A key belongs to one caller (user) and one mutation. `claim` runs first in the transaction of
the change; the answer is kept in the same transaction (`keep`), so a committed change always
has its key and answer, and a change rolled back leaves no key behind. A duplicate that arrives
while the first is running waits at `claim` for the first's transaction to end (the unique
constraint on user, mutation and key), then finds its answer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from models import IdempotencyKey
from resolvers.calendar import now
from resolvers.errors import InvalidArgument, Refused

T = TypeVar("T")
MAX_KEY_LENGTH = 255
VISIBLE_ASCII = re.compile(r"[\x21-\x7e]+")


def check_key(key: str) -> None:
    """A key is 1 to 255 visible ASCII characters (no spaces), e.g. a UUID."""
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not VISIBLE_ASCII.fullmatch(key):
        raise InvalidArgument(
            f"`Idempotency-Key` must be 1 to {MAX_KEY_LENGTH} visible ASCII characters, without spaces; "
            "a UUID is a good key."
        )


def fingerprint(query: str, operation_name: str | None, variables: dict[str, Any] | None) -> str:
    """The SHA-256 of the request as canonical JSON: a retry must send the same request."""
    request = {"query": query, "operationName": operation_name, "variables": variables or {}}
    canonical = json.dumps(request, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True, kw_only=True)
class KeyedRequest:
    user_id: int
    action: str
    key: str
    fingerprint: str


async def claim(request: KeyedRequest, lifetime: dt.timedelta) -> IdempotencyKey:
    """The key's row: a new one (its `answer` null) for the caller to run the change under, or
    the row of an earlier request, whose answer is kept. Call it inside the change's transaction.

    The caller's expired keys are deleted first, this one's included.
    """
    moment = now()
    await IdempotencyKey.filter(user_id=request.user_id, expires_at__lte=moment).delete()
    fresh = IdempotencyKey(
        user_id=request.user_id,
        action=request.action,
        key=request.key,
        fingerprint=request.fingerprint,
        expires_at=moment + lifetime,
    )
    await IdempotencyKey.bulk_create([fresh], ignore_conflicts=True)
    return await IdempotencyKey.get(user_id=request.user_id, action=request.action, key=request.key)


async def keep(row: IdempotencyKey, answer: dict[str, Any]) -> None:
    row.answer = answer
    await row.save(update_fields=["answer"])


async def release(row: IdempotencyKey) -> None:
    """Give the key up: the change it was claimed for was refused."""
    await row.delete()


@dataclass
class KeyedMutation:
    """What the mutation of a keyed request needs to know, and tells, while it runs.

    `refusal` refuses the change whatever its input (the key was used for another request);
    `accepted` says whether the change was made.
    """

    refusal: Refused | None = None
    accepted: bool = False

    def guard(self, change: Callable[[], Awaitable[T]]) -> Callable[[], Awaitable[T]]:
        """`change`, or a change that raises `refusal` when there is one."""
        refusal = self.refusal
        if refusal is None:
            return change

        async def refused() -> T:
            raise refusal

        return refused


REUSED = Refused(
    "IDEMPOTENCY_KEY_REUSED",
    "This Idempotency-Key was sent earlier with a different request; send a new key for a new "
    "request, or the same request again to get its first answer.",
)
