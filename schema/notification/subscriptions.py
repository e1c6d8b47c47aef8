"""Notifications pushed to the caller as they happen (graphql-transport-ws over WebSocket)."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from resolvers import notification as notification_resolvers
from resolvers.db.loaders import Loaders
from resolvers.notification import Recipient
from schema.context import Info
from schema.notification.types import Notification


async def received(info: Info, recipient: Recipient) -> AsyncGenerator[Notification, None]:
    async for row in notification_resolvers.arriving(info.context.actor, recipient):
        # Each message is a new read: fields such as `subject` must not come from an earlier one's cache.
        info.context.loaders = Loaders()
        yield Notification.from_model(row)


@strawberry.type
class NotificationSubscription:
    @strawberry.subscription(
        description="Each new notification of the caller's municipality or partner, as it is sent. "
        "Municipality and partner staff only; the stream ends with an UNAUTHENTICATED error once "
        "the caller's token is revoked or expires. Missed ones stay in `notifications`."
    )
    async def notification_received(self, info: Info) -> AsyncGenerator[Notification, None]:
        # Checked before the stream starts, so a caller who may not subscribe gets an `error`
        # message in answer to `subscribe` rather than a stream that fails.
        recipient = notification_resolvers.subscriber(info.context.actor)
        return received(info, recipient)
