"""Issuing and revoking API tokens; the caller's own preferences."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.types.unset import UNSET

import models
from resolvers import accounts, portal_session
from schema.account.types import ApiToken, Language, NotificationEmail, Role, TokenScope
from schema.context import Info
from schema.mutations import Payload, mutate, node_id
from schema.reasons import reason_field


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
    email: str | None = strawberry.field(
        default=None, description="The address Tsunagu emails the user at (login links, notifications)."
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
    reason: str | None = reason_field()


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
    emailed_to: str | None = strawberry.field(
        default=None,
        description="The address the link was emailed to (it is sent with the outbox); null when the user has "
        "no address, and the link is to be handed over another way.",
    )


@strawberry.input(description="The caller's preferences; a field left out is left as it is.")
class UpdateMyPreferencesInput:
    language: Language | None = strawberry.field(
        default=UNSET,
        description="The language to read Tsunagu's messages (and emails) in when a request's Accept-Language "
        "names none of ours; null for no preference (Japanese).",
    )
    email: str | None = strawberry.field(
        default=UNSET, description="The address Tsunagu emails the caller at; null or empty to remove it."
    )
    notification_email: NotificationEmail | None = strawberry.field(
        default=UNSET, description="How notifications are emailed to the caller: at once, in a daily digest, or not at all."
    )

    def given(self) -> dict[str, Any]:
        """The preferences the caller sent, as the model's values."""
        preferences: dict[str, Any] = {}
        if self.language is not UNSET:
            preferences["language"] = self.language.value if self.language else None
        if self.email is not UNSET:
            preferences["email"] = self.email
        if self.notification_email is not UNSET:
            chosen = self.notification_email or NotificationEmail.IMMEDIATE
            preferences["notification_email"] = models.NotificationEmail(chosen.value)
        return preferences


@strawberry.type(description="The result of updateMyPreferences.")
class UpdateMyPreferencesPayload(Payload):
    language: Language | None = strawberry.field(
        default=None, description="The language now saved; null for none (or when refused)."
    )
    email: str | None = strawberry.field(
        default=None, description="The address now saved, normalised; null for none (or when refused)."
    )
    notification_email: NotificationEmail | None = strawberry.field(
        default=None, description="How notifications are now emailed; null when refused."
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
                email=input.email,
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
            info, lambda: accounts.revoke_token(node_id(input.token_id, "ApiToken", "tokenId")), reason=input.reason
        )
        return RevokeTokenPayload(api_token=ApiToken.from_model(row) if row else None, user_errors=errors)

    @strawberry.mutation(
        description="Create a one-time link, valid for 15 minutes, that signs a token's user in to their portal."
    )
    async def create_login_link(
        self, info: Info, input: Annotated[CreateLoginLinkInput, strawberry.argument(description="The token.")]
    ) -> CreateLoginLinkPayload:
        link, errors = await mutate(
            info,
            lambda: portal_session.issue_login_link(
                node_id(input.token_id, "ApiToken", "tokenId"), info.context.settings.link_origin
            ),
        )
        if link is None:
            return CreateLoginLinkPayload(user_errors=errors)
        return CreateLoginLinkPayload(path=link.path, expires_at=link.expires_at, emailed_to=link.emailed_to)

    @strawberry.mutation(
        description="Save the caller's own preferences, e.g. the language messages are written in for them "
        "from their next request on."
    )
    async def update_my_preferences(
        self, info: Info, input: Annotated[UpdateMyPreferencesInput, strawberry.argument(description="The preferences.")]
    ) -> UpdateMyPreferencesPayload:
        user, errors = await mutate(info, lambda: accounts.set_preferences(info.context.actor, input.given()))
        if user is None:
            return UpdateMyPreferencesPayload(user_errors=errors)
        return UpdateMyPreferencesPayload(
            language=Language(user.language) if user.language else None,
            email=user.email,
            notification_email=NotificationEmail(user.notification_email.value),
        )
