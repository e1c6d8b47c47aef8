"""The caller's notifications."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers import notification as notification_resolvers
from resolvers.db.pagination import Page, paginate_queryset
from resolvers.notification import Recipient
from schema.context import Info
from schema.notification.types import Notification
from schema.pagination import (
    AfterArg,
    BeforeArg,
    Connection,
    FirstArg,
    LastArg,
    page_request,
    to_connection,
)
from schema.permissions import SignedIn


@strawberry.type
class NotificationQuery:
    @strawberry.field(
        description="The notifications of the caller's municipality or partner, newest first; "
        "paged. The secretariat has none of its own.",
        permission_classes=[SignedIn],
    )
    async def notifications(
        self,
        info: Info,
        unread_only: Annotated[bool, strawberry.argument(description="Only those not yet marked read.")] = False,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Connection[Notification]:
        recipient = Recipient.of(info.context.actor)
        request = page_request(first, after, last, before)
        if recipient is None:
            return to_connection(Page([], 0, 0, False, False), Notification.from_model)
        queryset = notification_resolvers.notifications_for(recipient, unread_only=unread_only)
        return to_connection(await paginate_queryset(queryset, request), Notification.from_model)
