"""Introductions between peer municipalities and the contacts they reveal."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

import strawberry
from strawberry import relay

import models
from resolvers import introduction as introduction_resolvers
from resolvers.access import Actor
from schema.context import Info
from schema.node import ModelNode
from schema.registry.types import Municipality
from schema.relation import Loaded, related, relation


@strawberry.enum(description="Where an introduction stands.")
class IntroductionStatus(Enum):
    _value_: str
    REQUESTED = strawberry.enum_value("REQUESTED", description="Asked for; awaiting the peer's answer.")
    ACCEPTED = strawberry.enum_value("ACCEPTED", description="The peer accepted: each side sees the other's contact.")
    DECLINED = strawberry.enum_value("DECLINED", description="The peer declined.")


@strawberry.enum(description="Which introductions: those the caller's municipality received or sent.")
class IntroductionDirection(Enum):
    _value_: str
    RECEIVED = strawberry.enum_value("RECEIVED", description="Requests made to the caller's municipality.")
    SENT = strawberry.enum_value("SENT", description="Requests the caller's municipality made.")


@strawberry.type(description="A municipality's named contact, revealed by an accepted introduction.")
class IntroductionContact:
    name: str = strawberry.field(description="The person's name.")
    department: str | None = strawberry.field(description="Their department (所属).")
    email: str | None = strawberry.field(description="Their work email address.")
    phone: str | None = strawberry.field(description="Their work telephone number.")

    @classmethod
    def of(cls, row: models.Contact) -> IntroductionContact:
        return cls(name=row.name, department=row.department, email=row.email, phone=row.phone)


@strawberry.type(
    description="A member municipality's request to be introduced to a peer. Private: visible to the "
    "two municipalities' staff and the secretariat; the contacts only once the peer accepted."
)
class Introduction(ModelNode):
    model = models.Introduction
    columns_read = {"requester_contact": ("status",), "peer_contact": ("status",)}
    id: relay.NodeID[int]
    message: str = strawberry.field(description="What the requesting municipality wrote.")
    status: IntroductionStatus = strawberry.field(description="Where it stands.")
    requested_at: dt.datetime = strawberry.field(description="When it was asked for.")
    answered_at: dt.datetime | None = strawberry.field(description="When the peer answered; null until then.")
    requester_id: strawberry.Private[int]
    peer_id: strawberry.Private[int]

    @classmethod
    def is_visible(cls, actor: Actor, row: Any) -> bool:
        return introduction_resolvers.is_visible(actor, row)

    @relation("Municipality", description="The municipality that asked.")
    def requester(self, info: Info) -> Loaded[Municipality]:
        return related(
            info.context.loaders.municipality_by_id, self.requester_id, Municipality.from_model
        )

    @relation("Municipality", description="The peer municipality asked to be introduced to.")
    def peer(self, info: Info) -> Loaded[Municipality]:
        return related(
            info.context.loaders.municipality_by_id, self.peer_id, Municipality.from_model
        )

    @strawberry.field(
        description="The requesting municipality's current main (else deputy) contact, once accepted; null before, "
        "and for anyone but the two municipalities and the secretariat."
    )
    async def requester_contact(self, info: Info) -> IntroductionContact | None:
        return await self.contact_of(info, self.requester_id)

    @strawberry.field(
        description="The peer's current main (else deputy) contact, once accepted; null before, and for anyone "
        "but the two municipalities and the secretariat."
    )
    async def peer_contact(self, info: Info) -> IntroductionContact | None:
        return await self.contact_of(info, self.peer_id)

    async def contact_of(self, info: Info, municipality_id: int) -> IntroductionContact | None:
        row = models.Introduction(
            requester_id=self.requester_id, peer_id=self.peer_id, status=models.IntroductionStatus(self.status.value)
        )
        if not introduction_resolvers.shows_contacts(info.context.actor, row):
            return None
        contact = introduction_resolvers.named_contact(await info.context.loaders.contacts_by_municipality.load(municipality_id))
        return IntroductionContact.of(contact) if contact else None
