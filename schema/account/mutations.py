"""Issuing and revoking API tokens; the caller's own preferences."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry import relay

import models
from resolvers import accounts, portal_session
from schema.account.types import ApiToken, Language, Role, TokenScope
from schema.context import Info
from schema.mutations import Payload, mutate, node_id


@strawberry.input(description="A new user and their first token.")
class IssueTokenInput:
    name: str = strawberry.field(description="The user's name.")
    role: Role = strawberry.field(description="The user's role.")
    municipality_code: str | None = strawberry.field(
        default=None, description="For MUNICIPALITY users: the six-digit code of their municipality."
    )
    partner_slug: str | None = strawberry.field(default=None, description="For PARTNER users: their organisation.")
    scopes: list[TokenScope] = strawberry.field(
        default_factory=lambda: [TokenScope.READ, TokenScope.WRITE],
        description="What the token may do; READ alone makes a read-only token.",
    )
    expires_at: dt.datetime | None = strawberry.field(
        default=None, description="When the token stops working; null for never."
    )


@strawberry.type(description="The result of issueToken.")
class IssueTokenPayload(Payload):
    token: str | None = strawberry.field(
        default=None, description="The bearer token. It is shown only here and cannot be recovered."
    )
    api_token: ApiToken | None = strawberry.field(default=None, description="The token's record.")


@strawberry.input(description="The token to revoke.")
class RevokeTokenInput:
    token_id: relay.GlobalID = strawberry.field(description="The ApiToken's ID.")


@strawberry.type(description="The result of revokeToken.")
class RevokeTokenPayload(Payload):
    api_token: ApiToken | None = strawberry.field(default=None, description="The revoked token.")


@strawberry.input(description="The token whose user is to sign in to a portal.")
class CreateLoginLinkInput:
    token_id: relay.GlobalID = strawberry.field(description="The ApiToken's ID; it must be neither revoked nor expired.")


@strawberry.type(description="The result of createLoginLink.")
class CreateLoginLinkPayload(Payload):
    path: str | None = strawberry.field(
        default=None,
        description="The link's path on this service, e.g. `/login/link/…`: it signs the token's user in to "
        "their portal once. It is shown only here and cannot be recovered.",
    )
    expires_at: dt.datetime | None = strawberry.field(default=None, description="When the link stops working.")


@strawberry.input(description="The caller's preferences.")
class UpdateMyPreferencesInput:
    language: Language | None = strawberry.field(
        description="The language to read Tsunagu's messages in when a request's Accept-Language names "
        "none of ours; null for no preference (Japanese)."
    )


@strawberry.type(description="The result of updateMyPreferences.")
class UpdateMyPreferencesPayload(Payload):
    language: Language | None = strawberry.field(
        default=None, description="The language now saved; null for none (or when refused)."
    )


@strawberry.type
class AccountMutation:
    @strawberry.mutation(description="Create a user and issue their first token.")
    async def issue_token(
        self, info: Info, input: Annotated[IssueTokenInput, strawberry.argument(description="The user and token.")]
    ) -> IssueTokenPayload:
        issued, errors = await mutate(
            info,
            lambda: accounts.issue_token(
                name=input.name,
                role=models.Role(input.role.value),
                municipality_code=input.municipality_code,
                partner_slug=input.partner_slug,
                scopes=frozenset(models.TokenScope(scope.value) for scope in input.scopes),
                expires_at=input.expires_at,
            ),
        )
        if issued is None:
            return IssueTokenPayload(user_errors=errors)
        row, token = issued
        return IssueTokenPayload(token=token, api_token=ApiToken.from_model(row))

    @strawberry.mutation(description="Revoke a token at once; calls with it are refused from then on.")
    async def revoke_token(
        self, info: Info, input: Annotated[RevokeTokenInput, strawberry.argument(description="The token.")]
    ) -> RevokeTokenPayload:
        row, errors = await mutate(
            info, lambda: accounts.revoke_token(node_id(input.token_id, "ApiToken", "tokenId"))
        )
        return RevokeTokenPayload(api_token=ApiToken.from_model(row) if row else None, user_errors=errors)

    @strawberry.mutation(
        description="Create a one-time link, valid for 15 minutes, that signs a token's user in to their portal."
    )
    async def create_login_link(
        self, info: Info, input: Annotated[CreateLoginLinkInput, strawberry.argument(description="The token.")]
    ) -> CreateLoginLinkPayload:
        link, errors = await mutate(
            info, lambda: portal_session.issue_login_link(node_id(input.token_id, "ApiToken", "tokenId"))
        )
        if link is None:
            return CreateLoginLinkPayload(user_errors=errors)
        path, expires_at = link
        return CreateLoginLinkPayload(path=path, expires_at=expires_at)

    @strawberry.mutation(
        description="Save the caller's own preferences, e.g. the language messages are written in for them "
        "from their next request on."
    )
    async def update_my_preferences(
        self, info: Info, input: Annotated[UpdateMyPreferencesInput, strawberry.argument(description="The preferences.")]
    ) -> UpdateMyPreferencesPayload:
        language = input.language.value if input.language else None
        user, errors = await mutate(info, lambda: accounts.set_language(info.context.actor, language))
        if user is None:
            return UpdateMyPreferencesPayload(user_errors=errors)
        return UpdateMyPreferencesPayload(language=Language(user.language) if user.language else None)
