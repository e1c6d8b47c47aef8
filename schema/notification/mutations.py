"""Marking notifications read."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from i18n import message
from resolvers import notification as notification_resolvers
from resolvers.audit import Change
from resolvers.errors import Refused
from resolvers.notification import Recipient
from schema.context import Info
from schema.mutations import Payload, mutate, node_id


@strawberry.input(description="Which notifications to mark read.")
class MarkNotificationsReadInput:
    notification_ids: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="The Notifications' IDs; null marks every unread one read."
    )


@strawberry.type(description="The result of markNotificationsRead.")
class MarkNotificationsReadPayload(Payload):
    marked_count: int = strawberry.field(default=0, description="How many were unread and are now read.")


@strawberry.type
class NotificationMutation:
    @strawberry.mutation(description="Mark the caller's organisation's notifications read.")
    async def mark_notifications_read(
        self,
        info: Info,
        input: Annotated[MarkNotificationsReadInput, strawberry.argument(description="Which ones.")],
    ) -> MarkNotificationsReadPayload:
        async def change() -> Change[int]:
            recipient = Recipient.of(info.context.actor)
            if recipient is None:
                raise Refused("FORBIDDEN", message("errors.notification.secretariat_has_none"))
            ids = None
            if input.notification_ids is not None:
                ids = [node_id(i, "Notification", "notificationIds") for i in input.notification_ids]
            count = await notification_resolvers.mark_read(recipient, ids)
            return Change(count, values={"marked": [None, count]})

        count, errors = await mutate(info, change)
        return MarkNotificationsReadPayload(marked_count=count or 0, user_errors=errors)
