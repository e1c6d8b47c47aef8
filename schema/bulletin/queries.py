"""Root fields for bulletins."""

from __future__ import annotations

from typing import Annotated

import strawberry

import models
from resolvers import bulletin as bulletin_resolvers
from resolvers.db.pagination import paginate_queryset
from resolvers.markdown import safe_html
from schema.bulletin.types import Bulletin, BulletinFilter, reader_of
from schema.context import Info
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
class BulletinQuery:
    @strawberry.field(
        description="The bulletins the caller may read, newest issue first; paged. Anonymous "
        "callers and partner staff read PUBLIC issues; staff of an active supporting member also "
        "ALL_MEMBERS ones, of an active full member every one; the secretariat drafts too."
    )
    async def bulletins(
        self,
        info: Info,
        filter: Annotated[BulletinFilter | None, strawberry.argument(description="Which bulletins to include.")] = None,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Connection[Bulletin]:
        filter = filter or BulletinFilter()
        query = bulletin_resolvers.BulletinQuery(
            alliance_slug=filter.alliance_slug,
            year=filter.year,
            status=models.BulletinStatus(filter.status.value) if filter.status else None,
        )
        queryset = bulletin_resolvers.visible_bulletins(await reader_of(info), query)
        page = await paginate_queryset(queryset, page_request(first, after, last, before))
        return to_connection(page, Bulletin.from_model)

    @strawberry.field(
        description="Markdown rendered as a bulletin's bodyHtml would be, for a preview before "
        "saving. Secretariat only.",
        permission_classes=[SecretariatOnly],
    )
    def bulletin_preview(
        self, body: Annotated[str, strawberry.argument(description="The text, in Markdown.")]
    ) -> str:
        return safe_html(body)
