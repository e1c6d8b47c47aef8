"""Root fields for events."""

from __future__ import annotations

from typing import Annotated

import strawberry

import models
from resolvers import event as event_resolvers
from resolvers.db.pagination import paginate_queryset
from schema.event.types import Event, EventFilter
from schema.mutations import node_id
from schema.pagination import (
    AfterArg,
    BeforeArg,
    Connection,
    FirstArg,
    LastArg,
    page_request,
    to_connection,
)


def event_query(filter: EventFilter) -> event_resolvers.EventQuery:
    return event_resolvers.EventQuery(
        theme_number=filter.theme_number,
        kind=models.EventKind(filter.kind.value) if filter.kind else None,
        format=models.EventFormat(filter.format.value) if filter.format else None,
        organiser_partner_slug=filter.organiser_partner_slug,
        working_group_id=(
            node_id(filter.working_group_id, "WorkingGroup", "workingGroupId", argument="filter")
            if filter.working_group_id
            else None
        ),
        starts_from=filter.starts_from,
        starts_before=filter.until,
        upcoming_only=filter.upcoming_only,
    )


@strawberry.type
class EventQuery:
    @strawberry.field(
        description="Events, in the order they start; paged. Registrations inside are private."
    )
    async def events(
        self,
        filter: Annotated[
            EventFilter | None, strawberry.argument(description="Which events to include.")
        ] = None,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Connection[Event]:
        queryset = event_resolvers.events(event_query(filter or EventFilter()))
        page = await paginate_queryset(queryset, page_request(first, after, last, before))
        return to_connection(page, Event.from_model)
