"""The record of deprecated usage as the secretariat reads it."""

from __future__ import annotations

import datetime as dt

import strawberry

from schema.account.types import ApiToken
from schema.context import Info
from schema.relation import Loaded, related, relation


@strawberry.type(
    description="How often one caller used one deprecated field, argument, input field or enum value: "
    "the data to plan a removal from."
)
class DeprecatedUsage:
    coordinate: str = strawberry.field(
        description='The schema coordinate used, e.g. "Theme.summary" or "Query.offerings(filter:)".'
    )
    count: int = strawberry.field(description="How many executed operations used it.")
    first_seen_at: dt.datetime = strawberry.field(description="When this caller first used it.")
    last_seen_at: dt.datetime = strawberry.field(description="When this caller last used it.")
    token_id: strawberry.Private[int | None]

    @strawberry.field(description="Whether the caller was anonymous (no token).")
    def anonymous(self) -> bool:
        return self.token_id is None

    @relation("ApiToken | None", description="The token the caller used, and through it the user; null for anonymous callers.")
    def token(self, info: Info) -> Loaded[ApiToken | None]:
        if self.token_id is None:
            return None
        return related(info.context.loaders.api_token_by_id, self.token_id, ApiToken.from_model)


@strawberry.input(description="Narrows the record of deprecated usage; every given field must match.")
class DeprecatedUsageFilter:
    coordinate: str | None = strawberry.field(default=None, description='Only this coordinate, e.g. "Theme.summary".')
    user_id: int | None = strawberry.field(default=None, description="Only this user's calls.")
