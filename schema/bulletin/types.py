"""Bulletins as the API shows them."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, Self

import strawberry
from strawberry import relay

import models
from resolvers.bulletin import Reader
from resolvers.bulletin_files import AttachedFile
from resolvers.markdown import safe_html
from schema.context import Info
from schema.node import ModelNode
from schema.partner.types import Audience
from schema.relation import Loaded, related, relation

if TYPE_CHECKING:
    from schema.alliance.types import Alliance


@strawberry.enum(description="Where a bulletin stands.")
class BulletinStatus(Enum):
    _value_: str
    DRAFT = strawberry.enum_value("DRAFT", description="Being written; only the secretariat sees it.")
    SCHEDULED = strawberry.enum_value(
        "SCHEDULED", description="To be published at `publishAt`; only the secretariat sees it until then."
    )
    PUBLISHED = strawberry.enum_value("PUBLISHED", description="Sent to its audience; no longer changed.")


async def reader_of(info: Info) -> Reader:
    """The caller as a reader of bulletins, with their municipality's memberships if they have one."""
    actor = info.context.actor
    memberships: list[models.Membership] = []
    if actor.municipality_id is not None:
        memberships = await info.context.loaders.memberships_by_municipality.load(actor.municipality_id)
    return Reader.of(actor, memberships)


@strawberry.type(description="A file attached to a bulletin.")
class BulletinAttachment:
    id: relay.GlobalID = strawberry.field(description="The attachment's ID (for removeBulletinAttachment).")
    filename: str = strawberry.field(description="The file's name.")
    content_type: str = strawberry.field(description="application/pdf, image/png or image/jpeg, as its content says.")
    size: int = strawberry.field(description="The size in bytes.")
    download_url: str = strawberry.field(
        description="Where to download it (a path on this server): with the portal's session or "
        "this API's bearer token, by those who may read the bulletin."
    )

    @classmethod
    def of(cls, file: AttachedFile) -> BulletinAttachment:
        return cls(
            id=relay.GlobalID("BulletinAttachment", str(file.id)),
            filename=file.filename,
            content_type=file.content_type,
            size=file.size,
            download_url=f"/bulletin-files/{file.id}",
        )


@strawberry.type(description="The emails of a published bulletin, one per contact: where they stand.")
class BulletinDelivery:
    queued: int = strawberry.field(description="Waiting to be sent (or being sent).")
    sent: int = strawberry.field(description="Accepted by the mail server.")
    failed: int = strawberry.field(description="Refused for good (see outboundEmails).")
    total: int = strawberry.field(description="All of them: queued + sent + failed.")


@strawberry.type(
    description="An issue of an alliance's monthly bulletin (会報). Each caller sees the published "
    "issues their tier entitles them to (supporting members: PUBLIC and ALL_MEMBERS; full members: "
    "all; anyone else: PUBLIC); the secretariat sees drafts too."
)
class Bulletin(ModelNode):
    model = models.Bulletin
    columns_read = {"issue": ("year", "month"), "body_html": ("body",)}
    id: relay.NodeID[int]
    year: int = strawberry.field(description="The year of the issue.")
    month: int = strawberry.field(description="The month of the issue, 1 to 12.")
    title: str = strawberry.field(description="The title.")
    body: str = strawberry.field(description="The text, in Markdown (CommonMark with tables).")
    audience: Audience = strawberry.field(description="Who the issue is for.")
    status: BulletinStatus = strawberry.field(description="Draft or published.")
    created_at: dt.datetime = strawberry.field(description="When the draft was begun.")
    updated_at: dt.datetime = strawberry.field(description="When it was last changed.")
    published_at: dt.datetime | None = strawberry.field(description="When it was published; null for a draft.")
    publish_at: dt.datetime | None = strawberry.field(
        description="When a SCHEDULED bulletin is to be published; null unless scheduled."
    )
    alliance_id: strawberry.Private[int]

    @classmethod
    async def nodes_shown(cls, info: Any, keys: list[int]) -> list[Self | None]:
        """`node(id:)` shows a bulletin to exactly those `bulletins` lists it for."""
        reader = await reader_of(info)
        rows = await info.context.loaders.bulletin_by_id.load_many(keys)
        return [cls.from_model(row) if row is not None and reader.may_read(row) else None for row in rows]

    @strawberry.field(description='The issue as year and month, e.g. "2026-11".')
    def issue(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @strawberry.field(
        description="The text rendered to HTML that is safe to show as it is: no raw HTML, script, "
        'event handler or `javascript:` link survives; links carry rel="noopener nofollow".'
    )
    def body_html(self) -> str:
        return safe_html(self.body)

    @strawberry.field(description="The files attached (PDF, PNG, JPEG), in the order added.")
    async def attachments(self, info: Info) -> list[BulletinAttachment]:
        files = await info.context.loaders.attachments_by_bulletin.load(self.id)
        return [BulletinAttachment.of(file) for file in files]

    @strawberry.field(
        description="How its emails stand: queued, sent and failed; null for anyone but the secretariat."
    )
    async def delivery(self, info: Info) -> BulletinDelivery | None:
        if not info.context.actor.is_admin:
            return None
        counts = await info.context.loaders.delivery_by_bulletin.load(self.id)
        return BulletinDelivery(queued=counts.queued, sent=counts.sent, failed=counts.failed, total=counts.total)

    @relation(
        Annotated["Alliance", strawberry.lazy("schema.alliance.types")],
        description="The alliance that publishes it.",
    )
    def alliance(self, info: Info) -> Loaded[Alliance]:
        from schema.alliance.types import Alliance

        return related(info.context.loaders.alliance_by_id, self.alliance_id, Alliance.from_model)


@strawberry.input(description="Narrows bulletins; every given field must match.")
class BulletinFilter:
    alliance_slug: str | None = strawberry.field(default=None, description='Only this alliance\'s, e.g. "expo2025".')
    year: int | None = strawberry.field(default=None, description="Only issues of this year.")
    status: BulletinStatus | None = strawberry.field(
        default=None, description="Only this status (drafts are the secretariat's alone)."
    )
