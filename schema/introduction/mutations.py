"""Mutations for introductions between peer municipalities."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from resolvers import introduction as introduction_resolvers
from schema.context import Info
from schema.introduction.types import Introduction
from schema.mutations import Payload, mutate, node_id


@strawberry.input(description="A request to be introduced to a peer municipality.")
class RequestIntroductionInput:
    peer_code: str = strawberry.field(description="The peer's six-digit local government code.")
    message: str = strawberry.field(description="Why the caller's municipality would like to be in touch.")


@strawberry.input(description="The peer's answer to a request for an introduction.")
class AnswerIntroductionInput:
    introduction_id: relay.GlobalID = strawberry.field(description="The Introduction.")
    accept: bool = strawberry.field(description="True to accept (each side sees the other's contact), false to decline.")


@strawberry.type(description="The result of requestIntroduction.")
class RequestIntroductionPayload(Payload):
    introduction: Introduction | None = strawberry.field(default=None, description="The introduction asked for.")


@strawberry.type(description="The result of answerIntroduction.")
class AnswerIntroductionPayload(Payload):
    introduction: Introduction | None = strawberry.field(default=None, description="The introduction as it now is.")


@strawberry.type
class IntroductionMutation:
    @strawberry.mutation(
        description="Ask to be introduced to a peer municipality; the peer's staff are notified and accept or decline."
    )
    async def request_introduction(
        self, info: Info, input: Annotated[RequestIntroductionInput, strawberry.argument(description="The request.")]
    ) -> RequestIntroductionPayload:
        row, errors = await mutate(
            info,
            lambda: introduction_resolvers.request_introduction(info.context.actor, input.peer_code, input.message),
        )
        return RequestIntroductionPayload(introduction=Introduction.from_model(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="Accept or decline a request for an introduction made to the caller's municipality.")
    async def answer_introduction(
        self, info: Info, input: Annotated[AnswerIntroductionInput, strawberry.argument(description="The answer.")]
    ) -> AnswerIntroductionPayload:
        row, errors = await mutate(
            info,
            lambda: introduction_resolvers.answer_introduction(
                info.context.actor, node_id(input.introduction_id, "Introduction", "introductionId"), input.accept
            ),
        )
        return AnswerIntroductionPayload(introduction=Introduction.from_model(row) if row else None, user_errors=errors)
