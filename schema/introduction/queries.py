"""Root fields for introductions."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers import introduction as introduction_resolvers
from resolvers.db.pagination import paginate_queryset
from schema.context import Info
from schema.introduction.types import Introduction, IntroductionDirection
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
class IntroductionQuery:
    @strawberry.field(
        description="Introductions the caller may see, newest first; paged: the secretariat sees all, municipality "
        "staff those their municipality received or sent, others none.",
        permission_classes=[SignedIn],
    )
    async def introductions(
        self,
        info: Info,
        direction: Annotated[
            IntroductionDirection | None,
            strawberry.argument(description="Only those received, or only those sent; both when left out."),
        ] = None,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Connection[Introduction]:
        chosen = introduction_resolvers.Direction(direction.value) if direction else None
        queryset = introduction_resolvers.visible_introductions(info.context.actor, chosen)
        page = await paginate_queryset(queryset, page_request(first, after, last, before))
        return to_connection(page, Introduction.from_model)
