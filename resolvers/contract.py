"""The API contract's records: persisted operations and the use of deprecated schema coordinates.

GraphQL text is handled by `schema.contract`; this module only stores and finds rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from tortoise.expressions import F
from tortoise.queryset import QuerySet

from models import DeprecatedUsage, PersistedOperation
from resolvers.access import Actor
from resolvers.calendar import now


def caller_kind(actor: Actor) -> str:
    """`anonymous`, or the caller's role in lower case: the names `TSUNAGU_PERSISTED_ONLY` uses."""
    return actor.role.value.lower() if actor.role is not None else "anonymous"


async def persisted_document(sha256: str) -> str | None:
    # The one row's value, or None: Tortoise types `values_list` as answering tuples.
    return cast(str | None, await PersistedOperation.filter(sha256=sha256).first().values_list("document", flat=True))


async def is_trusted(sha256: str) -> bool:
    return await PersistedOperation.filter(sha256=sha256, trusted=True).exists()


async def register_document(sha256: str, document: str) -> None:
    """Remember a client's document under its hash; a second registration changes nothing."""
    await PersistedOperation.bulk_create(
        [PersistedOperation(sha256=sha256, document=document)], ignore_conflicts=True
    )


async def register_trusted(operations: Iterable[tuple[str, str, str]]) -> int:
    """Store (hash, name, normalised text) as trusted; idempotent, safe for workers starting together.

    A document a client registered earlier under the same hash becomes trusted. Returns how many
    operations were given.
    """
    rows = [PersistedOperation(sha256=h, name=name, document=text, trusted=True) for h, name, text in operations]
    if rows:
        await PersistedOperation.bulk_create(
            rows, on_conflict=["sha256"], update_fields=["trusted", "name"]
        )
    return len(rows)


async def record_deprecated_usage(actor: Actor, coordinates: Iterable[str]) -> None:
    """Count one use of each coordinate by this caller: an upsert, then one atomic increment."""
    coordinates = sorted(set(coordinates))
    caller = f"token:{actor.token_id}" if actor.token_id is not None else "anonymous"
    seen = now()
    await DeprecatedUsage.bulk_create(
        [
            DeprecatedUsage(
                caller=caller,
                token_id=actor.token_id,
                user_id=actor.user_id,
                coordinate=coordinate,
                first_seen_at=seen,
                last_seen_at=seen,
            )
            for coordinate in coordinates
        ],
        on_conflict=["caller", "coordinate"],
        update_fields=["last_seen_at"],
    )
    await DeprecatedUsage.filter(caller=caller, coordinate__in=coordinates).update(count=F("count") + 1)


@dataclass(frozen=True, kw_only=True)
class UsageQuery:
    coordinate: str | None = None
    user_id: int | None = None


def deprecated_usages(query: UsageQuery) -> QuerySet[DeprecatedUsage]:
    rows = DeprecatedUsage.all()
    if query.coordinate is not None:
        rows = rows.filter(coordinate=query.coordinate)
    if query.user_id is not None:
        rows = rows.filter(user_id=query.user_id)
    return rows.order_by("coordinate", "-last_seen_at", "id")
