"""Partners, their offerings, and offering requests."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated

import strawberry
from strawberry import relay

import models
from resolvers import offering_request
from resolvers import partner as partner_resolvers
from resolvers.offering_request import Response
from resolvers.partner import OfferingDraft
from schema.context import Info
from schema.mutations import Payload, mutate, node_id
from schema.partner.types import Audience, Offering, OfferingKind, OfferingRequest, Partner, PartnerKind


@strawberry.input(description="A new partner organisation.")
class CreatePartnerInput:
    slug: str = strawberry.field(description="A stable short name: lower-case letters, digits and hyphens.")
    name: str = strawberry.field(description="The name in Japanese.")
    kind: PartnerKind = strawberry.field(description="What sort of organisation it is.")
    description: str = strawberry.field(description="Who they are and what they bring.")
    name_en: str | None = strawberry.field(default=None, description="The name in English.")


@strawberry.type(description="The result of createPartner.")
class CreatePartnerPayload(Payload):
    partner: Partner | None = strawberry.field(default=None, description="The new partner.")


@strawberry.input(description="A new offering.")
class CreateOfferingInput:
    title: str = strawberry.field(description="The title in Japanese.")
    kind: OfferingKind = strawberry.field(description="What sort of service it is.")
    summary: str = strawberry.field(description="What the offering is.")
    audience: Audience = strawberry.field(description="Who may use it.")
    theme_numbers: list[int] = strawberry.field(description="The themes it serves (1 to 10).")
    partner_slug: str | None = strawberry.field(
        default=None, description="Partner staff may leave it out (their own); the secretariat must give it."
    )
    capacity: int | None = strawberry.field(default=None, description="How many requests it can take; null for no limit.")
    starts_on: dt.date | None = strawberry.field(default=None, description="When it starts.")
    ends_on: dt.date | None = strawberry.field(default=None, description="When it ends; requests close after it.")


@strawberry.type(description="The result of createOffering.")
class CreateOfferingPayload(Payload):
    offering: Offering | None = strawberry.field(default=None, description="The new offering.")


@strawberry.input(description="Changes to an offering; fields left null stay as they are.")
class UpdateOfferingInput:
    offering_id: relay.GlobalID = strawberry.field(description="The Offering's ID.")
    title: str | None = strawberry.field(default=None, description="A new title.")
    kind: OfferingKind | None = strawberry.field(default=None, description="A new kind.")
    summary: str | None = strawberry.field(default=None, description="A new summary.")
    audience: Audience | None = strawberry.field(default=None, description="A new audience.")
    theme_numbers: list[int] | None = strawberry.field(default=None, description="The new set of themes.")
    capacity: int | None = strawberry.field(default=None, description="A new capacity; not below the places taken.")
    starts_on: dt.date | None = strawberry.field(default=None, description="A new start date.")
    ends_on: dt.date | None = strawberry.field(default=None, description="A new end date.")


@strawberry.type(description="The result of updateOffering.")
class UpdateOfferingPayload(Payload):
    offering: Offering | None = strawberry.field(default=None, description="The offering as it now is.")


@strawberry.input(description="A request for an offering, for the caller's municipality.")
class RequestOfferingInput:
    offering_id: relay.GlobalID = strawberry.field(description="The Offering's ID.")
    message: str | None = strawberry.field(default=None, description="A message to the partner.")


@strawberry.type(description="The result of requestOffering.")
class RequestOfferingPayload(Payload):
    offering_request: OfferingRequest | None = strawberry.field(default=None, description="The new request.")


@strawberry.enum(description="A partner's answer to an offering request.")
class OfferingResponse(Enum):
    ACCEPT = strawberry.enum_value("ACCEPT", description="Accept a REQUESTED request.")
    DECLINE = strawberry.enum_value("DECLINE", description="Decline a REQUESTED or ACCEPTED request; frees the place.")
    COMPLETE = strawberry.enum_value("COMPLETE", description="Mark an ACCEPTED request as delivered.")


@strawberry.input(description="The partner's answer to a request.")
class RespondToOfferingRequestInput:
    request_id: relay.GlobalID = strawberry.field(description="The OfferingRequest's ID.")
    response: OfferingResponse = strawberry.field(description="Accept, decline or complete.")
    note: str | None = strawberry.field(default=None, description="A message to the municipality.")


@strawberry.type(description="The result of respondToOfferingRequest.")
class RespondToOfferingRequestPayload(Payload):
    offering_request: OfferingRequest | None = strawberry.field(default=None, description="The request as it now is.")


def draft_of(input: CreateOfferingInput | UpdateOfferingInput) -> OfferingDraft:
    return OfferingDraft(
        title=input.title,
        kind=models.OfferingKind(input.kind.value) if input.kind else None,
        summary=input.summary,
        audience=models.Audience(input.audience.value) if input.audience else None,
        capacity=input.capacity,
        starts_on=input.starts_on,
        ends_on=input.ends_on,
        theme_numbers=input.theme_numbers,
    )


@strawberry.type
class PartnerMutation:
    @strawberry.mutation(description="Add a partner organisation.")
    async def create_partner(
        self, info: Info, input: Annotated[CreatePartnerInput, strawberry.argument(description="The partner.")]
    ) -> CreatePartnerPayload:
        row, errors = await mutate(
            info,
            lambda: partner_resolvers.create_partner(
                slug=input.slug,
                name=input.name,
                name_en=input.name_en,
                kind=models.PartnerKind(input.kind.value),
                description=input.description,
            ),
        )
        return CreatePartnerPayload(partner=Partner.from_model(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="Add an offering to a partner's catalogue.")
    async def create_offering(
        self, info: Info, input: Annotated[CreateOfferingInput, strawberry.argument(description="The offering.")]
    ) -> CreateOfferingPayload:
        row, errors = await mutate(
            info, lambda: partner_resolvers.create_offering(info.context.actor, input.partner_slug, draft_of(input))
        )
        return CreateOfferingPayload(offering=Offering.from_model(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="Change an offering's themes, audience, capacity or period.")
    async def update_offering(
        self, info: Info, input: Annotated[UpdateOfferingInput, strawberry.argument(description="The changes.")]
    ) -> UpdateOfferingPayload:
        row, errors = await mutate(
            info,
            lambda: partner_resolvers.update_offering(
                info.context.actor, node_id(input.offering_id, "Offering", "offeringId"), draft_of(input)
            ),
        )
        return UpdateOfferingPayload(offering=Offering.from_model(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="Ask for an offering for the caller's municipality.")
    async def request_offering(
        self, info: Info, input: Annotated[RequestOfferingInput, strawberry.argument(description="The request.")]
    ) -> RequestOfferingPayload:
        row, errors = await mutate(
            info,
            lambda: offering_request.request_offering(
                info.context.actor, node_id(input.offering_id, "Offering", "offeringId"), input.message
            ),
        )
        return RequestOfferingPayload(offering_request=OfferingRequest.from_model(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="Answer a request for one of the partner's offerings.")
    async def respond_to_offering_request(
        self,
        info: Info,
        input: Annotated[RespondToOfferingRequestInput, strawberry.argument(description="The answer.")],
    ) -> RespondToOfferingRequestPayload:
        row, errors = await mutate(
            info,
            lambda: offering_request.respond(
                info.context.actor,
                node_id(input.request_id, "OfferingRequest", "requestId"),
                Response(input.response.value),
                input.note,
            ),
        )
        return RespondToOfferingRequestPayload(
            offering_request=OfferingRequest.from_model(row) if row else None, user_errors=errors
        )
