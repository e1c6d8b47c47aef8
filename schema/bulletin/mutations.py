"""Writing and publishing bulletins (the secretariat)."""

from __future__ import annotations

import binascii
import datetime as dt
from base64 import b64decode
from typing import Annotated

import strawberry
from strawberry import relay

import models
from i18n import message
from resolvers import bulletin as bulletin_resolvers
from resolvers import bulletin_files
from resolvers.bulletin import BulletinDraft
from resolvers.errors import Refused
from schema.bulletin.types import Bulletin, BulletinAttachment
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
    emailed_count: int = strawberry.field(
        default=0,
        description="How many emails were queued: one per address among the current contacts of "
        "those municipalities, less the addresses that unsubscribed.",
    )


@strawberry.input(description="When to publish a draft.")
class ScheduleBulletinInput:
    bulletin_id: relay.GlobalID = strawberry.field(description="The Bulletin's ID.")
    publish_at: dt.datetime = strawberry.field(
        description="When to publish it, with its offset (e.g. 2026-12-01T09:00:00+09:00): at least a "
        "minute from now, at most a year."
    )


@strawberry.type(description="The result of scheduleBulletin.")
class ScheduleBulletinPayload(Payload):
    bulletin: Bulletin | None = strawberry.field(default=None, description="The bulletin, now SCHEDULED.")


@strawberry.input(description="The scheduled bulletin to take back to a draft.")
class UnscheduleBulletinInput:
    bulletin_id: relay.GlobalID = strawberry.field(description="The Bulletin's ID.")


@strawberry.type(description="The result of unscheduleBulletin.")
class UnscheduleBulletinPayload(Payload):
    bulletin: Bulletin | None = strawberry.field(default=None, description="The bulletin, a draft again.")


@strawberry.input(description="A file to attach to a draft.")
class AttachBulletinFileInput:
    bulletin_id: relay.GlobalID = strawberry.field(description="The Bulletin's ID.")
    filename: str = strawberry.field(description="The file's name (its extension follows its type).")
    content: str = strawberry.field(
        description="The file, base64-encoded: a PDF, PNG or JPEG (told by its content), at most 10 MB. "
        "/graphql takes request bodies up to 1 MB; larger files go through the admin portal."
    )


@strawberry.type(description="The result of attachBulletinFile.")
class AttachBulletinFilePayload(Payload):
    attachment: BulletinAttachment | None = strawberry.field(default=None, description="The file attached.")


@strawberry.input(description="A file to take off a draft.")
class RemoveBulletinAttachmentInput:
    attachment_id: relay.GlobalID = strawberry.field(description="The BulletinAttachment's ID.")


@strawberry.type(description="The result of removeBulletinAttachment.")
class RemoveBulletinAttachmentPayload(Payload):
    bulletin: Bulletin | None = strawberry.field(default=None, description="The draft without the file.")


def decoded(content: str) -> bytes:
    try:
        return b64decode(content, validate=True)
    except (binascii.Error, ValueError) as error:
        raise Refused("INVALID", message("bulletins.errors.not_base64"), field=("input", "content")) from error


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
        description="Publish a draft (or a scheduled bulletin, early): notify every active member "
        "municipality whose tier reads it and email each of their current contacts, in the same "
        "transaction, with the files attached and a one-click unsubscribe link."
    )
    async def publish_bulletin(
        self, info: Info, input: Annotated[PublishBulletinInput, strawberry.argument(description="The draft.")]
    ) -> PublishBulletinPayload:
        publication, errors = await mutate(
            info,
            lambda: bulletin_resolvers.publish_bulletin(
                node_id(input.bulletin_id, "Bulletin", "bulletinId"), info.context.settings.link_origin
            ),
        )
        if publication is None:
            return PublishBulletinPayload(user_errors=errors)
        return PublishBulletinPayload(
            bulletin=Bulletin.from_model(publication.bulletin),
            notified_count=publication.notified_count,
            emailed_count=publication.emailed_count,
        )

    @strawberry.mutation(description="Have a draft published at a given time (by the server, as publishBulletin would).")
    async def schedule_bulletin(
        self, info: Info, input: Annotated[ScheduleBulletinInput, strawberry.argument(description="The draft and the time.")]
    ) -> ScheduleBulletinPayload:
        row, errors = await mutate(
            info,
            lambda: bulletin_resolvers.schedule_bulletin(node_id(input.bulletin_id, "Bulletin", "bulletinId"), input.publish_at),
        )
        return ScheduleBulletinPayload(bulletin=Bulletin.from_model(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="Take a scheduled bulletin back to a draft.")
    async def unschedule_bulletin(
        self, info: Info, input: Annotated[UnscheduleBulletinInput, strawberry.argument(description="The bulletin.")]
    ) -> UnscheduleBulletinPayload:
        row, errors = await mutate(
            info, lambda: bulletin_resolvers.unschedule_bulletin(node_id(input.bulletin_id, "Bulletin", "bulletinId"))
        )
        return UnscheduleBulletinPayload(bulletin=Bulletin.from_model(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="Attach a PDF, PNG or JPEG file (at most 10 MB) to a draft.")
    async def attach_bulletin_file(
        self, info: Info, input: Annotated[AttachBulletinFileInput, strawberry.argument(description="The draft and the file.")]
    ) -> AttachBulletinFilePayload:
        row, errors = await mutate(
            info,
            lambda: bulletin_files.attach_file(
                node_id(input.bulletin_id, "Bulletin", "bulletinId"), input.filename, decoded(input.content)
            ),
        )
        if row is None:
            return AttachBulletinFilePayload(user_errors=errors)
        (attached,) = [f for f in (await bulletin_files.attached_files([row.bulletin_id]))[0] if f.id == row.id]
        return AttachBulletinFilePayload(attachment=BulletinAttachment.of(attached))

    @strawberry.mutation(description="Take a file off a draft.")
    async def remove_bulletin_attachment(
        self,
        info: Info,
        input: Annotated[RemoveBulletinAttachmentInput, strawberry.argument(description="The attachment.")],
    ) -> RemoveBulletinAttachmentPayload:
        row, errors = await mutate(
            info,
            lambda: bulletin_files.remove_attachment(node_id(input.attachment_id, "BulletinAttachment", "attachmentId")),
        )
        return RemoveBulletinAttachmentPayload(bulletin=Bulletin.from_model(row) if row else None, user_errors=errors)
