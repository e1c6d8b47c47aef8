"""Resending a failed email; setting a user's address."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from resolvers import accounts
from resolvers.mail import outbox
from schema.context import Info
from schema.mail.types import OutboundEmail
from schema.mutations import Payload, mutate, node_id


@strawberry.input(description="The failed email to send again.")
class ResendEmailInput:
    id: relay.GlobalID = strawberry.field(description="The OutboundEmail's ID; it must be FAILED.")


@strawberry.type(description="The result of resendEmail.")
class ResendEmailPayload(Payload):
    outbound_email: OutboundEmail | None = strawberry.field(default=None, description="The email, queued again.")


@strawberry.input(description="A user and the address Tsunagu writes to them at.")
class SetUserEmailInput:
    token_id: relay.GlobalID = strawberry.field(description="The ID of an ApiToken of the user.")
    email: str | None = strawberry.field(description="The address; null or empty to remove it.")


@strawberry.type(description="The result of setUserEmail.")
class SetUserEmailPayload(Payload):
    email: str | None = strawberry.field(
        default=None, description="The address now saved, normalised (the domain in lower case); null for none."
    )


@strawberry.type
class MailMutation:
    @strawberry.mutation(
        description="Queue a FAILED email again, with the same Message-ID; it is sent with the next batch."
    )
    async def resend_email(
        self, info: Info, input: Annotated[ResendEmailInput, strawberry.argument(description="The email.")]
    ) -> ResendEmailPayload:
        row, errors = await mutate(info, lambda: outbox.resend(node_id(input.id, "OutboundEmail", "id")))
        return ResendEmailPayload(outbound_email=OutboundEmail.from_model(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="Set or remove the address Tsunagu emails a user at (login links, notifications).")
    async def set_user_email(
        self, info: Info, input: Annotated[SetUserEmailInput, strawberry.argument(description="The user and address.")]
    ) -> SetUserEmailPayload:
        user, errors = await mutate(info, lambda: accounts.set_user_email(node_id(input.token_id, "ApiToken", "tokenId"), input.email))
        return SetUserEmailPayload(email=user.email if user else None, user_errors=errors)
