"""Joint-procurement groups as the API shows them."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

import models
from i18n import message
from resolvers import procurement as procurement_resolvers
from resolvers.db.pagination import paginate_list
from resolvers.errors import Forbidden, Unauthenticated
from schema.context import Info
from schema.node import ModelNode, from_row
from schema.pagination import (
    AfterArg,
    BeforeArg,
    Connection,
    FirstArg,
    LastArg,
    page_request,
    to_connection,
)
from schema.registry.types import Municipality
from schema.relation import Loaded, related, relation
from schema.theme.types import Theme

if TYPE_CHECKING:
    from schema.alliance.types import Alliance


@strawberry.enum(description="Whether a joint-procurement group still gathers participants.")
class ProcurementStatus(Enum):
    _value_: str
    OPEN = strawberry.enum_value("OPEN", description="Open: members join, change or leave until the closing date.")
    CLOSED = strawberry.enum_value("CLOSED", description="Closed by its organiser or the secretariat.")


@strawberry.type(description="A municipality's share of a joint-procurement group.")
class ProcurementParticipation:
    quantity: int = strawberry.field(description="How many units it buys.")
    joined_at: dt.datetime = strawberry.field(description="When it joined.")
    left_at: dt.datetime | None = strawberry.field(description="When it left; null while it takes part.")
    municipality_id: strawberry.Private[int]

    @relation("Municipality", description="The participating municipality.")
    def municipality(self, info: Info) -> Loaded[Municipality]:
        return related(
            info.context.loaders.municipality_by_id, self.municipality_id, Municipality.from_model
        )


@strawberry.type(
    description="A joint-procurement group (共同調達): full members buying one item together, e.g. "
    "emergency stockpiles. The group and its totals are public; who takes part with how much is "
    "shown to the secretariat and the alliance's members."
)
class ProcurementGroup(ModelNode):
    model = models.ProcurementGroup
    columns_read = {"accepts_changes": ("closes_on", "status")}
    id: relay.NodeID[int]
    item: str = strawberry.field(description="What is procured, e.g. 非常用備蓄食料.")
    description: str = strawberry.field(description="Specification and terms, in words.")
    unit: str = strawberry.field(description="The unit quantities count in, e.g. 食.")
    status: ProcurementStatus = strawberry.field(description="Open or closed.")
    closes_on: dt.date = strawberry.field(description="The last day to join, change or leave (Japan time).")
    created_at: dt.datetime = strawberry.field(description="When the group was formed.")
    closed_at: dt.datetime | None = strawberry.field(description="When it was closed; null while open.")
    alliance_id: strawberry.Private[int]
    theme_id: strawberry.Private[int]
    organiser_id: strawberry.Private[int]

    @strawberry.field(description="Whether it takes joins, changes and leaves today: open and not past its closing date.")
    def accepts_changes(self) -> bool:
        return procurement_resolvers.accepts_changes(models.ProcurementStatus(self.status.value), self.closes_on)

    @relation(
        Annotated["Alliance", strawberry.lazy("schema.alliance.types")],
        description="The alliance whose members form the group.",
    )
    def alliance(self, info: Info) -> Loaded[Alliance]:
        from schema.alliance.types import Alliance

        return related(info.context.loaders.alliance_by_id, self.alliance_id, Alliance.from_model)

    @relation("Theme", description="The theme it serves (8, disaster prevention, unless chosen otherwise).")
    def theme(self, info: Info) -> Loaded[Theme]:
        return related(info.context.loaders.theme_by_id, self.theme_id, Theme.from_model)

    @relation("Municipality", description="The municipality that formed the group.")
    def organiser(self, info: Info) -> Loaded[Municipality]:
        return related(
            info.context.loaders.municipality_by_id, self.organiser_id, Municipality.from_model
        )

    @strawberry.field(description="The sum of the quantities of the municipalities taking part.")
    async def combined_quantity(self, info: Info) -> int:
        return (await info.context.loaders.procurement_totals_by_group.load(self.id)).combined_quantity

    @strawberry.field(description="How many municipalities take part.")
    async def participant_count(self, info: Info) -> int:
        return (await info.context.loaders.procurement_totals_by_group.load(self.id)).participant_count

    @strawberry.field(
        description="The municipalities taking part and their quantities, in the order they joined; "
        "paged. The secretariat and staff of active members of the group's alliance only."
    )
    async def participants(
        self,
        info: Info,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Connection[ProcurementParticipation] | None:
        await require_sees_participants(info, self)
        rows = await info.context.loaders.live_participations_by_procurement_group.load(self.id)
        page = paginate_list(rows, page_request(first, after, last, before))
        return to_connection(page, lambda row: from_row(ProcurementParticipation, row))


async def require_sees_participants(info: Info, group: ProcurementGroup) -> None:
    actor = info.context.actor
    if not actor.is_authenticated:
        raise Unauthenticated(message("errors.procurement.sign_in_for_participants"))
    memberships: list[models.Membership] = []
    if actor.municipality_id is not None:
        memberships = await info.context.loaders.memberships_by_municipality.load(actor.municipality_id)
    if not procurement_resolvers.sees_participants(actor, group.alliance_id, memberships):
        raise Forbidden(message("errors.procurement.participants_hidden"))


@strawberry.input(description="Narrows joint-procurement groups; every given field must match.")
class ProcurementGroupFilter:
    status: ProcurementStatus | None = strawberry.field(default=None, description="Only open or only closed groups.")
    theme_number: int | None = strawberry.field(default=None, description="Only groups serving this theme (1 to 10).")
    alliance_slug: str | None = strawberry.field(default=None, description='Only this alliance\'s, e.g. "expo2025".')
