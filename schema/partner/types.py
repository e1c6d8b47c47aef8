"""Partners and offerings as the API shows them."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay

import models
from resolvers import offering_request as offering_request_resolvers
from resolvers.access import Actor
from schema.context import Info
from schema.entitlement.types import TierAdmission, offering_admissions
from schema.node import ModelNode
from schema.registry.types import Municipality
from schema.relation import Loaded, related, relation
from schema.rows import joined
from schema.theme.types import Theme

if TYPE_CHECKING:
    from schema.contact.types import Contact


@strawberry.enum(description="What sort of organisation a partner is.")
class PartnerKind(Enum):
    _value_: str
    COMPANY = strawberry.enum_value("COMPANY", description="A company.")
    PUBLIC_AGENCY = strawberry.enum_value("PUBLIC_AGENCY", description="A public body or agency.")
    ASSOCIATION = strawberry.enum_value("ASSOCIATION", description="A business or industry association.")
    CONSORTIUM = strawberry.enum_value("CONSORTIUM", description="A platform or consortium of several bodies.")


@strawberry.enum(description="What sort of service an offering is.")
class OfferingKind(Enum):
    _value_: str
    SEMINAR = strawberry.enum_value("SEMINAR", description="A seminar or lecture.")
    WORKSHOP = strawberry.enum_value("WORKSHOP", description="A workshop.")
    MATCHING_EVENT = strawberry.enum_value("MATCHING_EVENT", description="A matching or networking event.")
    PLATFORM = strawberry.enum_value("PLATFORM", description="Use of a platform or service.")
    DEMO_ACCOUNT = strawberry.enum_value("DEMO_ACCOUNT", description="A free demo account.")
    TRAINING = strawberry.enum_value("TRAINING", description="A training programme.")
    CONSULTATION = strawberry.enum_value("CONSULTATION", description="Consultation or advice.")
    PROGRAMME = strawberry.enum_value("PROGRAMME", description="A joint project or programme.")


@strawberry.enum(description="Who an offering, an event or a bulletin is for.")
class Audience(Enum):
    _value_: str
    FULL_MEMBERS = strawberry.enum_value("FULL_MEMBERS", description="Full members only.")
    ALL_MEMBERS = strawberry.enum_value("ALL_MEMBERS", description="Full and supporting members.")
    PUBLIC = strawberry.enum_value("PUBLIC", description="Anyone, members or not.")


@strawberry.enum(description="Whether an offering takes requests.")
class OfferingStatus(Enum):
    _value_: str
    ACTIVE = strawberry.enum_value("ACTIVE", description="Open: members may request it.")
    PAUSED = strawberry.enum_value(
        "PAUSED", description="Paused by its partner for a while: listed, but takes no requests until resumed."
    )
    WITHDRAWN = strawberry.enum_value(
        "WITHDRAWN",
        description="Withdrawn for good: takes no requests and no changes, and `offerings` lists it only "
        "when asked for by status. Requests made before stay as they were.",
    )


@strawberry.type(description="A partner organisation (連携・パートナー企業等) that offers services to members.")
class Partner(ModelNode):
    model = models.Partner
    id: relay.NodeID[int]
    slug: str = strawberry.field(description="A stable short name for URLs.")
    name: str = strawberry.field(description="The name in Japanese.")
    name_en: str | None = strawberry.field(description="The name in English.")
    kind: PartnerKind = strawberry.field(description="What sort of organisation it is.")
    description: str = strawberry.field(description="Who they are and what they bring to the alliance.")


    @relation("list[Offering]", description="The partner's offerings, paused and withdrawn ones included (see `status`).")
    def offerings(self, info: Info) -> Loaded[list[Offering]]:
        return related(info.context.loaders.offerings_by_partner, self.id, Offering.from_models)


@strawberry.type(description="A service a partner offers to members: a seminar, a platform, a programme…")
class Offering(ModelNode):
    model = models.Offering
    columns_read = {"places_left": ("capacity",), "audience_by_tier": ("audience",)}
    id: relay.NodeID[int]
    slug: str = strawberry.field(description="A stable short name for URLs.")
    title: str = strawberry.field(description="The title in Japanese.")
    kind: OfferingKind = strawberry.field(description="What sort of service it is.")
    summary: str = strawberry.field(description="What the offering is.")
    legacy_goals: list[str] = strawberry.field(description="The EXPO legacy goals the partner states for it.")
    audience: Audience = strawberry.field(description="Who may use it.")
    capacity: int | None = strawberry.field(description="How many members can take part; null if open.")
    starts_on: dt.date | None = strawberry.field(description="When it starts, if dated.")
    ends_on: dt.date | None = strawberry.field(description="When it ends, if dated.")
    status: OfferingStatus = strawberry.field(description="Whether it takes requests: only ACTIVE ones do.")
    partner_id: strawberry.Private[int]
    joined_partner: strawberry.Private[Partner | None] = joined("Partner")


    @strawberry.field(
        description="Who may request it, tier by tier (then non-members), and the reason for each refusal."
    )
    def audience_by_tier(self) -> list[TierAdmission]:
        return offering_admissions(models.Audience(self.audience.value))

    @relation("Partner", description="The partner that offers it.")
    def partner(self, info: Info) -> Loaded[Partner]:
        return related(
            info.context.loaders.partner_by_id, self.partner_id, Partner.from_model,
            joined=self.joined_partner,
        )

    @relation("list[Theme]", description="The themes it serves, by number.")
    def themes(self, info: Info) -> Loaded[list[Theme]]:
        return related(info.context.loaders.themes_by_offering, self.id, Theme.from_models)

    @strawberry.field(description="How many places are left; null if the capacity is open.")
    async def places_left(self, info: Info) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - await info.context.loaders.places_taken_by_offering.load(self.id), 0)


@strawberry.input(description="Narrows offerings; every given field must match.")
class OfferingFilter:
    theme_number: int | None = strawberry.field(default=None, description="Only offerings serving this theme (1 to 10).")
    partner_slug: str | None = strawberry.field(default=None, description="Only this partner's offerings.")
    audience: Audience | None = strawberry.field(default=None, description="Only this audience.")
    kind: OfferingKind | None = strawberry.field(default=None, description="Only this kind.")
    search: str | None = strawberry.field(
        default=None, description="Text in the title, partner or summary (at most 100 characters)."
    )
    status: OfferingStatus | None = strawberry.field(
        default=None, description="Only this status; left out, ACTIVE and PAUSED offerings (not WITHDRAWN)."
    )


OfferingFilterArg = Annotated[
    OfferingFilter | None, strawberry.argument(description="Which offerings to include.")
]


@strawberry.enum(description="Where an offering request stands.")
class OfferingRequestStatus(Enum):
    _value_: str
    REQUESTED = strawberry.enum_value("REQUESTED", description="Asked for; awaiting the partner's answer.")
    ACCEPTED = strawberry.enum_value("ACCEPTED", description="The partner accepted.")
    DECLINED = strawberry.enum_value("DECLINED", description="The partner declined; the place is free again.")
    COMPLETED = strawberry.enum_value("COMPLETED", description="The partner delivered it.")


@strawberry.type(
    description="A member municipality's request for an offering. Private: visible to the "
    "requesting municipality's staff, the offering partner's staff and the secretariat."
)
class OfferingRequest(ModelNode):
    model = models.OfferingRequest
    columns_read = {"contact": ("status",)}
    id: relay.NodeID[int]
    status: OfferingRequestStatus = strawberry.field(description="Where the request stands.")
    message: str | None = strawberry.field(description="What the municipality wrote with it.")
    response: str | None = strawberry.field(description="What the partner answered.")
    requested_at: dt.datetime = strawberry.field(description="When it was made.")
    responded_at: dt.datetime | None = strawberry.field(description="When the partner last answered.")
    offering_id: strawberry.Private[int]
    municipality_id: strawberry.Private[int]
    partner_id: strawberry.Private[int]
    contact_id: strawberry.Private[int | None]

    @classmethod
    def is_visible(cls, actor: Actor, row: Any) -> bool:
        return offering_request_resolvers.is_visible(actor, row)

    @relation("Offering", description="The offering asked for.")
    def offering(self, info: Info) -> Loaded[Offering]:
        return related(info.context.loaders.offering_by_id, self.offering_id, Offering.from_model)

    @relation("Municipality", description="The municipality asking.")
    def municipality(self, info: Info) -> Loaded[Municipality]:
        return related(
            info.context.loaders.municipality_by_id, self.municipality_id, Municipality.from_model
        )

    @strawberry.field(
        description="The municipality's staff contact for this request, as it named them when asking. "
        "Personal data: shown to the secretariat and the requesting municipality's staff, and to the "
        "offering partner's staff only once they have accepted the request (ACCEPTED or COMPLETED); "
        "null for anyone else, and when no contact was named."
    )
    async def contact(self, info: Info) -> Annotated[Contact, strawberry.lazy("schema.contact.types")] | None:
        from schema.contact.types import Contact

        if self.contact_id is None or not offering_request_resolvers.may_see_contact(info.context.actor, self):
            return None
        return Contact.from_model(await info.context.loaders.contact_by_id.load(self.contact_id))


@strawberry.input(description="Narrows offering requests; every given field must match.")
class OfferingRequestFilter:
    status: OfferingRequestStatus | None = strawberry.field(default=None, description="Only this status.")
    offering_id: relay.GlobalID | None = strawberry.field(default=None, description="Only requests for this Offering.")
