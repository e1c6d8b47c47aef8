"""Writing and publishing bulletins (the secretariat)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

import models
from resolvers import bulletin as bulletin_resolvers
from resolvers.bulletin import BulletinDraft
from schema.bulletin.types import Bulletin
from schema.context import Info
from schema.mutations import Payload, mutate, node_id
from schema.partner.types import Audience


@strawberry.input(description="A new bulletin issue, saved as a draft.")
class CreateBulletinInput:
    alliance_slug: str = strawberry.field(description='The alliance that publishes it, e.g. "expo2025".')
    year: int = strawberry.field(description="The year of the issue.")
    month: int = strawberry.field(description="The month of the issue, 1 to 12; one issue per month.")
    title: str = strawberry.field(description="The title.")
    body: str = strawberry.field(description="The text.")
    audience: Audience = strawberry.field(description="Who the issue is for.")


@strawberry.type(description="The result of createBulletin.")
class CreateBulletinPayload(Payload):
    bulletin: Bulletin | None = strawberry.field(default=None, description="The new draft.")


@strawberry.input(description="Changes to a draft; fields left null stay as they are.")
class UpdateBulletinInput:
    bulletin_id: relay.GlobalID = strawberry.field(description="The Bulletin's ID.")
    year: int | None = strawberry.field(default=None, description="A new year.")
    month: int | None = strawberry.field(default=None, description="A new month.")
    title: str | None = strawberry.field(default=None, description="A new title.")
    body: str | None = strawberry.field(default=None, description="A new text.")
    audience: Audience | None = strawberry.field(default=None, description="A new audience.")


@strawberry.type(description="The result of updateBulletin.")
class UpdateBulletinPayload(Payload):
    bulletin: Bulletin | None = strawberry.field(default=None, description="The draft as it now is.")


@strawberry.input(description="The draft to publish.")
class PublishBulletinInput:
    bulletin_id: relay.GlobalID = strawberry.field(description="The Bulletin's ID.")


@strawberry.type(description="The result of publishBulletin.")
class PublishBulletinPayload(Payload):
    bulletin: Bulletin | None = strawberry.field(default=None, description="The published bulletin.")
    notified_count: int = strawberry.field(
        default=0, description="How many member municipalities were notified (those whose tier reads it)."
    )


def draft_of(input: CreateBulletinInput | UpdateBulletinInput) -> BulletinDraft:
    return BulletinDraft(
        year=input.year,
        month=input.month,
        title=input.title,
        body=input.body,
        audience=models.Audience(input.audience.value) if input.audience else None,
    )


@strawberry.type
class BulletinMutation:
    @strawberry.mutation(description="Begin a bulletin issue as a draft.")
    async def create_bulletin(
        self, info: Info, input: Annotated[CreateBulletinInput, strawberry.argument(description="The issue.")]
    ) -> CreateBulletinPayload:
        row, errors = await mutate(info, lambda: bulletin_resolvers.create_bulletin(input.alliance_slug, draft_of(input)))
        return CreateBulletinPayload(bulletin=Bulletin.from_model(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="Change a draft; a published bulletin stays as it was sent.")
    async def update_bulletin(
        self, info: Info, input: Annotated[UpdateBulletinInput, strawberry.argument(description="The changes.")]
    ) -> UpdateBulletinPayload:
        row, errors = await mutate(
            info,
            lambda: bulletin_resolvers.update_bulletin(node_id(input.bulletin_id, "Bulletin", "bulletinId"), draft_of(input)),
        )
        return UpdateBulletinPayload(bulletin=Bulletin.from_model(row) if row else None, user_errors=errors)

    @strawberry.mutation(
        description="Publish a draft and notify every active member municipality whose tier reads it."
    )
    async def publish_bulletin(
        self, info: Info, input: Annotated[PublishBulletinInput, strawberry.argument(description="The draft.")]
    ) -> PublishBulletinPayload:
        publication, errors = await mutate(
            info, lambda: bulletin_resolvers.publish_bulletin(node_id(input.bulletin_id, "Bulletin", "bulletinId"))
        )
        if publication is None:
            return PublishBulletinPayload(user_errors=errors)
        return PublishBulletinPayload(
            bulletin=Bulletin.from_model(publication.bulletin), notified_count=publication.notified_count
        )
