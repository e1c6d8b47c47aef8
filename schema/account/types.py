"""Users, tokens and the caller as the API shows them."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

import strawberry
from strawberry import relay

import models
from resolvers.access import Actor
from schema.context import Info
from schema.node import ModelNode, from_row
from schema.partner.types import Partner
from schema.registry.types import Municipality
from schema.relation import Loaded, related, relation


@strawberry.enum(description="What a user is: secretariat, municipality staff or partner staff.")
class Role(Enum):
    _value_: str
    ADMIN = strawberry.enum_value("ADMIN", description="The alliance's secretariat (事務局).")
    MUNICIPALITY = strawberry.enum_value("MUNICIPALITY", description="Staff of one municipality.")
    PARTNER = strawberry.enum_value("PARTNER", description="Staff of one partner organisation.")


@strawberry.enum(description="What a token may do.")
class TokenScope(Enum):
    _value_: str
    READ = strawberry.enum_value("READ", description="Read what the user may see.")
    WRITE = strawberry.enum_value("WRITE", description="Call mutations, within the user's role.")


@strawberry.enum(description="A language Tsunagu's messages are written in.")
class Language(Enum):
    _value_: str
    JA = strawberry.enum_value("ja", description="Japanese (日本語), the alliance's language and the default.")
    EN = strawberry.enum_value("en", description="English.")


@strawberry.enum(description="How a user hears of their organisation's notifications by email.")
class NotificationEmail(Enum):
    _value_: str
    IMMEDIATE = strawberry.enum_value("IMMEDIATE", description="One email per notification, at once.")
    DAILY = strawberry.enum_value(
        "DAILY",
        description="One email a day at 08:00 Japan time with the notifications of the day before it "
        "(from 08:00 to 08:00); none on a day without any.",
    )
    OFF = strawberry.enum_value("OFF", description="No email; notifications are read in the portal or the API.")


@strawberry.type(description="A person who calls the API.")
class User:
    name: str = strawberry.field(description="The user's name.")
    role: Role = strawberry.field(description="Secretariat, municipality staff or partner staff.")
    email: str | None = strawberry.field(
        description="The address Tsunagu emails the user at; null for none. Read by the secretariat and the "
        "user (a user is reached through their token or as the viewer)."
    )
    municipality_id: strawberry.Private[int | None]
    partner_id: strawberry.Private[int | None]

    @relation("Municipality | None", description="The municipality the user works for (MUNICIPALITY users).")
    def municipality(self, info: Info) -> Loaded[Municipality | None]:
        if self.municipality_id is None:
            return None
        return related(
            info.context.loaders.municipality_by_id, self.municipality_id, Municipality.from_model
        )

    @relation("Partner | None", description="The partner the user works for (PARTNER users).")
    def partner(self, info: Info) -> Loaded[Partner | None]:
        if self.partner_id is None:
            return None
        return related(info.context.loaders.partner_by_id, self.partner_id, Partner.from_model)


@strawberry.type(description="An API token. The token itself is shown once, when it is issued.")
class ApiToken(ModelNode):
    model = models.ApiToken
    id: relay.NodeID[int]
    hint: str = strawberry.field(description="The first characters of the token, to tell tokens apart.")
    scopes: list[TokenScope] = strawberry.field(description="What the token may do.")
    created_at: dt.datetime = strawberry.field(description="When it was issued.")
    expires_at: dt.datetime | None = strawberry.field(description="When it stops working; null if never.")
    revoked_at: dt.datetime | None = strawberry.field(description="When it was revoked, if it was.")
    user_id: strawberry.Private[int]

    @classmethod
    def is_visible(cls, actor: Actor, row: Any) -> bool:
        return actor.is_admin or actor.user_id == row.user_id

    @strawberry.field(description="The user who calls with it.")
    async def user(self, info: Info) -> User:
        return from_row(User, await info.context.loaders.user_by_id.load(self.user_id))


@strawberry.type(description="The caller: who they are and what their token allows.")
class Viewer(User):
    scopes: list[TokenScope] = strawberry.field(description="What this request's token may do.")
    token_expires_at: dt.datetime | None = strawberry.field(
        description="When this request's token stops working; null if never."
    )
    language: Language | None = strawberry.field(
        description="The language the caller chose to read messages in (updateMyPreferences); null if none. "
        "A request's Accept-Language header comes first; with neither, messages are in Japanese."
    )
    notification_email: NotificationEmail = strawberry.field(
        description="How the caller's notifications are emailed to them (updateMyPreferences)."
    )
