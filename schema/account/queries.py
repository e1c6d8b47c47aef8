"""Root fields for the caller and, for the secretariat, the tokens issued."""

from __future__ import annotations

import strawberry

from resolvers import accounts
from resolvers.db.pagination import paginate_queryset
from schema.account.types import ApiToken, Language, NotificationEmail, Role, TokenScope, Viewer
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
class AccountQuery:
    @strawberry.field(description="The signed-in caller; null for anonymous callers.")
    async def viewer(self, info: Info) -> Viewer | None:
        actor = info.context.actor
        if actor.user_id is None or actor.token_id is None:
            return None
        user = await info.context.loaders.user_by_id.load(actor.user_id)
        token = await info.context.loaders.api_token_by_id.load(actor.token_id)
        assert user is not None and token is not None, "the rows the caller signed in with"
        return Viewer(
            name=user.name,
            role=Role(user.role.value),
            municipality_id=user.municipality_id,
            partner_id=user.partner_id,
            scopes=[TokenScope(scope.value) for scope in sorted(actor.scopes)],
            token_expires_at=token.expires_at,
            language=Language(user.language) if user.language else None,
            email=user.email,
            notification_email=NotificationEmail(user.notification_email.value),
        )

    @strawberry.field(
        description="Every API token issued, newest first; paged. Secretariat only.",
        permission_classes=[SecretariatOnly],
    )
    async def api_tokens(
        self,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Connection[ApiToken]:
        page = await paginate_queryset(accounts.tokens(), page_request(first, after, last, before))
        return to_connection(page, ApiToken.from_model)
