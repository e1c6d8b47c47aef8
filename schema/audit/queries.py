"""The audit log's root field (secretariat only)."""

from __future__ import annotations

from typing import Annotated

import strawberry

import models
from resolvers import audit
from resolvers.db.pagination import paginate_queryset
from schema.audit.types import AuditEntry, AuditFilter
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
class AuditQuery:
    @strawberry.field(
        description="Every mutation, accepted or refused, and every export of personal data, "
        "newest first; paged. Secretariat only.",
        permission_classes=[SecretariatOnly],
    )
    async def audit_log(
        self,
        filter: Annotated[AuditFilter | None, strawberry.argument(description="Which entries to include.")] = None,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Connection[AuditEntry]:
        filter = filter or AuditFilter()
        query = audit.AuditQuery(
            action=filter.action,
            outcome=models.AuditOutcome(filter.outcome.value) if filter.outcome else None,
            user_id=filter.user_id,
            target=filter.target,
            since=filter.since,
            until=filter.until,
            actor_name=(filter.actor_name or "").strip() or None,
            target_kind=(filter.target_kind or "").strip() or None,
            target_name=(filter.target_name or "").strip() or None,
        )
        page = await paginate_queryset(audit.entries(query), page_request(first, after, last, before))
        return to_connection(page, AuditEntry.from_model)
