"""The outbox's root field (secretariat only)."""

from __future__ import annotations

from typing import Annotated

import strawberry

import models
from resolvers.db.pagination import paginate_queryset
from resolvers.mail import outbox
from schema.mail.types import OutboundEmail, OutboundEmailFilter
from schema.pagination import (
    AfterArg,
    BeforeArg,
    Connection,
    FirstArg,
    LastArg,
    page_request,
    to_connection,
)
from schema.permissions import SecretariatOnly


@strawberry.type
class MailQuery:
    @strawberry.field(
        description="Every email Tsunagu has queued, sent or failed to send, newest first; paged. "
        "Secretariat only.",
        permission_classes=[SecretariatOnly],
    )
    async def outbound_emails(
        self,
        filter: Annotated[OutboundEmailFilter | None, strawberry.argument(description="Which messages to include.")] = None,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Connection[OutboundEmail]:
        status = filter.status if filter else None
        queryset = outbox.outbound_emails(models.OutboundEmailStatus(status.value) if status else None)
        page = await paginate_queryset(queryset, page_request(first, after, last, before))
        return to_connection(page, OutboundEmail.from_model)
