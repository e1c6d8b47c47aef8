"""Bulletins as the API shows them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, Self

import strawberry
from strawberry import relay

import models
from resolvers.bulletin import Reader
from schema.context import Info
from schema.node import ModelNode, node_keys
from schema.partner.types import Audience

if TYPE_CHECKING:
    from schema.alliance.types import Alliance


@strawberry.enum(description="Where a bulletin stands.")
class BulletinStatus(Enum):
    DRAFT = strawberry.enum_value("DRAFT", description="Being written; only the secretariat sees it.")
    PUBLISHED = strawberry.enum_value("PUBLISHED", description="Sent to its audience; no longer changed.")


async def reader_of(info: Info) -> Reader:
    """The caller as a reader of bulletins, with their municipality's memberships if they have one."""
    actor = info.context.actor
    memberships: list[models.Membership] = []
    if actor.municipality_id is not None:
        memberships = await info.context.loaders.memberships_by_municipality.load(actor.municipality_id)
    return Reader.of(actor, memberships)


@strawberry.type(
    description="An issue of an alliance's monthly bulletin (会報). Each caller sees the published "
    "issues their tier entitles them to (supporting members: PUBLIC and ALL_MEMBERS; full members: "
    "all; anyone else: PUBLIC); the secretariat sees drafts too."
)
class Bulletin(ModelNode):
    model = models.Bulletin
    id: relay.NodeID[int]
    year: int = strawberry.field(description="The year of the issue.")
    month: int = strawberry.field(description="The month of the issue, 1 to 12.")
    title: str = strawberry.field(description="The title.")
    body: str = strawberry.field(description="The text.")
    audience: Audience = strawberry.field(description="Who the issue is for.")
    status: BulletinStatus = strawberry.field(description="Draft or published.")
    created_at: dt.datetime = strawberry.field(description="When the draft was begun.")
    updated_at: dt.datetime = strawberry.field(description="When it was last changed.")
    published_at: dt.datetime | None = strawberry.field(description="When it was published; null for a draft.")
    alliance_id: strawberry.Private[int]

    @classmethod
    async def resolve_nodes(
        cls, *, info: Any, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        """`node(id:)` shows a bulletin to exactly those `bulletins` lists it for."""
        reader = await reader_of(info)
        rows = await info.context.loaders.bulletin_by_id.load_many(node_keys(node_ids))
        return [cls.from_model(row) if row is not None and reader.may_read(row) else None for row in rows]

    @strawberry.field(description='The issue as year and month, e.g. "2026-11".')
    def issue(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @strawberry.field(description="The alliance that publishes it.")
    async def alliance(self, info: Info) -> Annotated[Alliance, strawberry.lazy("schema.alliance.types")]:
        from schema.alliance.types import Alliance

        return Alliance.from_model(await info.context.loaders.alliance_by_id.load(self.alliance_id))


@strawberry.input(description="Narrows bulletins; every given field must match.")
class BulletinFilter:
    alliance_slug: str | None = strawberry.field(default=None, description='Only this alliance\'s, e.g. "expo2025".')
    year: int | None = strawberry.field(default=None, description="Only issues of this year.")
    status: BulletinStatus | None = strawberry.field(
        default=None, description="Only this status (drafts are the secretariat's alone)."
    )
