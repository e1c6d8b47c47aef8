"""Forming, joining, leaving and closing joint-procurement groups."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, TypeVar

import strawberry
from strawberry import relay

import models
from resolvers import procurement as procurement_resolvers
from resolvers.procurement import DISASTER_PREVENTION, GroupDraft
from schema.context import Info
from schema.mutations import Payload, UserError, mutate, node_id
from schema.node import from_row
from schema.procurement.types import ProcurementGroup, ProcurementParticipation

MUNICIPALITY_CODE = "The municipality's six-digit code; staff may leave it out (their own), the secretariat must give it."


@strawberry.input(description="A new joint-procurement group, organised by a full member.")
class CreateProcurementGroupInput:
    alliance_slug: str = strawberry.field(description='The alliance whose members may join, e.g. "expo2025".')
    item: str = strawberry.field(description="What to procure, e.g. 非常用備蓄食料.")
    unit: str = strawberry.field(description="The unit quantities count in, e.g. 食.")
    closes_on: dt.date = strawberry.field(description="The last day to join, change or leave; today or later.")
    description: str = strawberry.field(default="", description="Specification and terms, in words.")
    theme_number: int = strawberry.field(
        default=DISASTER_PREVENTION, description="The theme it serves (1 to 10); 8, disaster prevention, if left out."
    )
    municipality_code: str | None = strawberry.field(default=None, description=f"The organiser. {MUNICIPALITY_CODE}")


@strawberry.type(description="The result of createProcurementGroup.")
class CreateProcurementGroupPayload(Payload):
    procurement_group: ProcurementGroup | None = strawberry.field(default=None, description="The new group.")


@strawberry.input(description="A full member joining a group with its quantity.")
class JoinProcurementGroupInput:
    group_id: relay.GlobalID = strawberry.field(description="The ProcurementGroup's ID.")
    quantity: int = strawberry.field(description=f"How many units to buy (1 to {procurement_resolvers.MAX_QUANTITY:,}).")
    municipality_code: str | None = strawberry.field(default=None, description=MUNICIPALITY_CODE)


@strawberry.input(description="A new quantity for a municipality taking part.")
class ChangeProcurementQuantityInput:
    group_id: relay.GlobalID = strawberry.field(description="The ProcurementGroup's ID.")
    quantity: int = strawberry.field(description=f"The new quantity (1 to {procurement_resolvers.MAX_QUANTITY:,}).")
    municipality_code: str | None = strawberry.field(default=None, description=MUNICIPALITY_CODE)


@strawberry.input(description="A municipality leaving a group.")
class LeaveProcurementGroupInput:
    group_id: relay.GlobalID = strawberry.field(description="The ProcurementGroup's ID.")
    municipality_code: str | None = strawberry.field(default=None, description=MUNICIPALITY_CODE)


@strawberry.type(description="A municipality's participation after a mutation.")
class ParticipationPayload(Payload):
    procurement_group: ProcurementGroup | None = strawberry.field(
        default=None, description="The group, with its combined quantity as it now is."
    )
    participation: ProcurementParticipation | None = strawberry.field(
        default=None, description="The municipality's participation as it now is."
    )


P = TypeVar("P", bound=ParticipationPayload)


@strawberry.type(description="The result of joinProcurementGroup.")
class JoinProcurementGroupPayload(ParticipationPayload):
    pass


@strawberry.type(description="The result of changeProcurementQuantity.")
class ChangeProcurementQuantityPayload(ParticipationPayload):
    pass


@strawberry.type(description="The result of leaveProcurementGroup.")
class LeaveProcurementGroupPayload(ParticipationPayload):
    pass


@strawberry.input(description="The group to close.")
class CloseProcurementGroupInput:
    group_id: relay.GlobalID = strawberry.field(description="The ProcurementGroup's ID.")


@strawberry.type(description="The result of closeProcurementGroup.")
class CloseProcurementGroupPayload(Payload):
    procurement_group: ProcurementGroup | None = strawberry.field(default=None, description="The closed group.")


async def participation_payload(
    info: Info, payload: type[P], row: models.ProcurementParticipation | None, errors: list[UserError]
) -> P:
    if row is None:
        return payload(user_errors=errors)
    group = await info.context.loaders.procurement_group_by_id.load(row.group_id)
    return payload(
        procurement_group=ProcurementGroup.from_model(group),
        participation=from_row(ProcurementParticipation, row),
    )


def group_id_of(global_id: relay.GlobalID) -> int:
    return node_id(global_id, "ProcurementGroup", "groupId")


@strawberry.type
class ProcurementMutation:
    @strawberry.mutation(description="Form a joint-procurement group around an item.")
    async def create_procurement_group(
        self, info: Info, input: Annotated[CreateProcurementGroupInput, strawberry.argument(description="The group.")]
    ) -> CreateProcurementGroupPayload:
        draft = GroupDraft(
            alliance_slug=input.alliance_slug,
            item=input.item,
            unit=input.unit,
            closes_on=input.closes_on,
            description=input.description,
            theme_number=input.theme_number,
        )
        row, errors = await mutate(
            info, lambda: procurement_resolvers.create_group(info.context.actor, input.municipality_code, draft)
        )
        return CreateProcurementGroupPayload(
            procurement_group=ProcurementGroup.from_model(row) if row else None, user_errors=errors
        )

    @strawberry.mutation(description="Join a group with a quantity; joining again changes nothing.")
    async def join_procurement_group(
        self, info: Info, input: Annotated[JoinProcurementGroupInput, strawberry.argument(description="The group.")]
    ) -> JoinProcurementGroupPayload:
        row, errors = await mutate(
            info,
            lambda: procurement_resolvers.join_group(
                info.context.actor, group_id_of(input.group_id), input.municipality_code, input.quantity
            ),
        )
        return await participation_payload(info, JoinProcurementGroupPayload, row, errors)

    @strawberry.mutation(description="Change the quantity a municipality taking part buys.")
    async def change_procurement_quantity(
        self,
        info: Info,
        input: Annotated[ChangeProcurementQuantityInput, strawberry.argument(description="The new quantity.")],
    ) -> ChangeProcurementQuantityPayload:
        row, errors = await mutate(
            info,
            lambda: procurement_resolvers.change_quantity(
                info.context.actor, group_id_of(input.group_id), input.municipality_code, input.quantity
            ),
        )
        return await participation_payload(info, ChangeProcurementQuantityPayload, row, errors)

    @strawberry.mutation(description="Leave a group; the participation is kept as history.")
    async def leave_procurement_group(
        self, info: Info, input: Annotated[LeaveProcurementGroupInput, strawberry.argument(description="The group.")]
    ) -> LeaveProcurementGroupPayload:
        row, errors = await mutate(
            info,
            lambda: procurement_resolvers.leave_group(info.context.actor, group_id_of(input.group_id), input.municipality_code),
        )
        return await participation_payload(info, LeaveProcurementGroupPayload, row, errors)

    @strawberry.mutation(description="Close a group to further changes and notify every participant.")
    async def close_procurement_group(
        self, info: Info, input: Annotated[CloseProcurementGroupInput, strawberry.argument(description="The group.")]
    ) -> CloseProcurementGroupPayload:
        row, errors = await mutate(
            info, lambda: procurement_resolvers.close_group(info.context.actor, group_id_of(input.group_id))
        )
        return CloseProcurementGroupPayload(
            procurement_group=ProcurementGroup.from_model(row) if row else None, user_errors=errors
        )
