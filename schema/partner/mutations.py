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
from resolvers.partner import OfferingDraft, OfferingStep, PartnerDraft
from schema.context import Info
from schema.mutations import Payload, mutate, node_id
from schema.partner.types import (
    Audience,
    Offering,
    OfferingKind,
    OfferingRequest,
    Partner,
    PartnerKind,
)


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
    confirm_duplicate: bool = strawberry.field(
        default=False,
        description="If the partner already has an offering (not withdrawn) with the same title, compared "
        "with full-width letters and digits as half-width, spaces of any width left out and case "
        "ignored, the mutation is refused with POSSIBLE_DUPLICATE, naming that offering, so a person "
        "can look before going on; true creates it anyway.",
    )


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
    confirm_duplicate: bool = strawberry.field(
        default=False,
        description="As in createOffering, for a new title: true keeps a title another of the "
        "partner's offerings already has.",
    )


@strawberry.type(description="The result of updateOffering.")
class UpdateOfferingPayload(Payload):
    offering: Offering | None = strawberry.field(default=None, description="The offering as it now is.")


@strawberry.input(description="Changes to a partner; fields left null stay as they are.")
class UpdatePartnerInput:
    slug: str = strawberry.field(description="The partner's slug (which does not change).")
    name: str | None = strawberry.field(default=None, description="A new name in Japanese.")
    name_en: str | None = strawberry.field(default=None, description="A new name in English; empty removes it.")
    kind: PartnerKind | None = strawberry.field(default=None, description="A new kind.")
    description: str | None = strawberry.field(default=None, description="A new description.")


@strawberry.type(description="The result of updatePartner.")
class UpdatePartnerPayload(Payload):
    partner: Partner | None = strawberry.field(default=None, description="The partner as it now is.")


@strawberry.input(description="The offering to pause or resume.")
class OfferingStatusInput:
    offering_id: relay.GlobalID = strawberry.field(description="The Offering's ID.")


@strawberry.input(description="The offering to withdraw, and why.")
class WithdrawOfferingInput:
    offering_id: relay.GlobalID = strawberry.field(description="The Offering's ID.")
    reason: str = strawberry.field(description="Why it is withdrawn; kept in the audit log. Required.")


@strawberry.type(description="The result of pauseOffering, resumeOffering or withdrawOffering.")
class OfferingStatusPayload(Payload):
    offering: Offering | None = strawberry.field(default=None, description="The offering as it now is.")


@strawberry.input(description="A request for an offering, for the caller's municipality.")
class RequestOfferingInput:
    offering_id: relay.GlobalID = strawberry.field(description="The Offering's ID.")
    message: str | None = strawberry.field(default=None, description="A message to the partner.")
    contact_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="The Contact the partner should deal with: one of the municipality's current "
        "contacts. The partner sees them once it accepts the request.",
    )


@strawberry.type(description="The result of requestOffering.")
class RequestOfferingPayload(Payload):
    offering_request: OfferingRequest | None = strawberry.field(default=None, description="The new request.")


@strawberry.enum(description="A partner's answer to an offering request.")
class OfferingResponse(Enum):
    _value_: str
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
        confirm_duplicate=input.confirm_duplicate,
    )


async def step_offering(
    info: Info, offering_id: relay.GlobalID, step: OfferingStep, reason: str | None = None
) -> OfferingStatusPayload:
    row, errors = await mutate(
        info,
        lambda: partner_resolvers.change_offering_status(
            info.context.actor, node_id(offering_id, "Offering", "offeringId"), step, reason
        ),
    )
    return OfferingStatusPayload(offering=Offering.from_model(row) if row else None, user_errors=errors)


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

    @strawberry.mutation(description="Change a partner's name, English name, kind or description.")
    async def update_partner(
        self, info: Info, input: Annotated[UpdatePartnerInput, strawberry.argument(description="The changes.")]
    ) -> UpdatePartnerPayload:
        draft = PartnerDraft(
            name=input.name,
            name_en=input.name_en,
            kind=models.PartnerKind(input.kind.value) if input.kind else None,
            description=input.description,
        )
        row, errors = await mutate(info, lambda: partner_resolvers.update_partner(input.slug, draft))
        return UpdatePartnerPayload(partner=Partner.from_model(row) if row else None, user_errors=errors)

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

    @strawberry.mutation(description="Stop an ACTIVE offering taking requests for a while (PAUSED).")
    async def pause_offering(
        self, info: Info, input: Annotated[OfferingStatusInput, strawberry.argument(description="The offering.")]
    ) -> OfferingStatusPayload:
        return await step_offering(info, input.offering_id, OfferingStep.PAUSE)

    @strawberry.mutation(description="Open a PAUSED offering to requests again (ACTIVE).")
    async def resume_offering(
        self, info: Info, input: Annotated[OfferingStatusInput, strawberry.argument(description="The offering.")]
    ) -> OfferingStatusPayload:
        return await step_offering(info, input.offering_id, OfferingStep.RESUME)

    @strawberry.mutation(
        description="Withdraw an ACTIVE or PAUSED offering for good (WITHDRAWN), with a reason the audit "
        "log keeps; it takes no more requests or changes, and requests made before stay as they are."
    )
    async def withdraw_offering(
        self, info: Info, input: Annotated[WithdrawOfferingInput, strawberry.argument(description="The offering and why.")]
    ) -> OfferingStatusPayload:
        return await step_offering(info, input.offering_id, OfferingStep.WITHDRAW, input.reason)

    @strawberry.mutation(description="Ask for an offering for the caller's municipality.")
    async def request_offering(
        self, info: Info, input: Annotated[RequestOfferingInput, strawberry.argument(description="The request.")]
    ) -> RequestOfferingPayload:
        row, errors = await mutate(
            info,
            lambda: offering_request.request_offering(
                info.context.actor,
                node_id(input.offering_id, "Offering", "offeringId"),
                input.message,
                node_id(input.contact_id, "Contact", "contactId") if input.contact_id else None,
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
