"""Staff contacts of member municipalities (personal data)."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay

import models
from resolvers.access import Actor, may_act_for_municipality
from schema.context import Info
from schema.node import ModelNode

if TYPE_CHECKING:
    from schema.alliance.types import WorkingGroup


@strawberry.enum(description="What a contact is the municipality's contact for.")
class ContactRole(Enum):
    _value_: str
    MAIN = strawberry.enum_value("MAIN", description="The main contact (主担当).")
    DEPUTY = strawberry.enum_value("DEPUTY", description="The deputy contact (副担当).")
    WORKING_GROUP = strawberry.enum_value("WORKING_GROUP", description="The contact for one working group.")
    ACCOUNTING = strawberry.enum_value("ACCOUNTING", description="The contact for dues and accounts.")


@strawberry.type(
    description="A member municipality's staff contact for one fiscal year (April–March). Personal "
    "data: visible to the secretariat and the municipality's own staff only."
)
class Contact(ModelNode):
    model = models.Contact
    id: relay.NodeID[int]
    role: ContactRole = strawberry.field(description="What the person is the contact for.")
    name: str = strawberry.field(description="The person's name.")
    department: str | None = strawberry.field(description="Their department (所属).")
    email: str | None = strawberry.field(description="Their work email address.")
    phone: str | None = strawberry.field(description="Their work telephone number.")
    fiscal_year: int = strawberry.field(description="The fiscal year (年度) they were named for, e.g. 2026.")
    started_on: dt.date = strawberry.field(description="When they became the contact.")
    ended_on: dt.date | None = strawberry.field(description="When they stopped; null while current.")
    municipality_id: strawberry.Private[int]
    working_group_id: strawberry.Private[int | None]

    @classmethod
    def is_visible(cls, actor: Actor, row: Any) -> bool:
        return may_act_for_municipality(actor, row.municipality_id)

    @strawberry.field(description="The working group, for WORKING_GROUP contacts.")
    async def working_group(
        self, info: Info
    ) -> Annotated[WorkingGroup, strawberry.lazy("schema.alliance.types")] | None:
        from schema.alliance.types import WorkingGroup

        if self.working_group_id is None:
            return None
        return WorkingGroup.from_model(await info.context.loaders.working_group_by_id.load(self.working_group_id))
