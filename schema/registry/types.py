"""Prefectures and municipalities as the API shows them."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

import models
from resolvers.calendar import today
from resolvers.contact import is_current
from schema.context import Info
from schema.node import ModelNode
from schema.permissions import SecretariatOrOwnMunicipality
from schema.relation import Loaded, related, relation
from schema.rows import joined

if TYPE_CHECKING:
    from schema.alliance.types import Membership
    from schema.contact.types import Contact
    from schema.matching.types import PeerMatch


@strawberry.enum(description="The legal kind of a municipality.")
class MunicipalityKind(Enum):
    _value_: str
    CITY = strawberry.enum_value("CITY", description="A city (市).")
    TOWN = strawberry.enum_value("TOWN", description="A town (町).")
    VILLAGE = strawberry.enum_value("VILLAGE", description="A village (村).")
    SPECIAL_WARD = strawberry.enum_value(
        "SPECIAL_WARD", description="One of Tokyo's 23 special wards (特別区)."
    )


@strawberry.type(description="One of the 47 prefectures (都道府県).")
class Prefecture(ModelNode):
    model = models.Prefecture
    id: relay.NodeID[int]
    code: str = strawberry.field(description='The two-digit prefecture code, "01" to "47".')
    name: str = strawberry.field(description="The name in Japanese, e.g. 北海道, 東京都.")
    name_kana: str = strawberry.field(description="The reading in katakana.")
    name_en: str = strawberry.field(description="The name in romaji, e.g. Hokkaido.")
    local_government_code: str = strawberry.field(
        description="The prefecture's own six-digit local government code (JIS X 0402)."
    )
    latitude: float | None = strawberry.field(description="The latitude of the prefectural office (WGS 84).")
    longitude: float | None = strawberry.field(description="The longitude of the prefectural office (WGS 84).")



@strawberry.type(
    description="A municipality of Japan (市区町村) from the official registry, member or not."
)
class Municipality(ModelNode):
    model = models.Municipality
    id: relay.NodeID[int]
    code: str = strawberry.field(
        description="The official six-digit local government code with check digit (JIS X 0402)."
    )
    name: str = strawberry.field(description="The official name in Japanese, e.g. 龍ケ崎市.")
    name_kana: str | None = strawberry.field(description="The reading in katakana.")
    name_en: str | None = strawberry.field(description="The name in romaji, e.g. Ryugasaki City.")
    kind: MunicipalityKind = strawberry.field(description="City, town, village or special ward.")
    prefecture_id: strawberry.Private[int]
    joined_prefecture: strawberry.Private[Prefecture | None] = joined("Prefecture")


    @relation("Prefecture", description="The prefecture the municipality belongs to.")
    def prefecture(self, info: Info) -> Loaded[Prefecture]:
        return related(
            info.context.loaders.prefecture_by_id, self.prefecture_id, Prefecture.from_model,
            joined=self.joined_prefecture,
        )

    @strawberry.field(description="The municipality's memberships, in every alliance, past and present.")
    async def memberships(
        self, info: Info
    ) -> list[Annotated[Membership, strawberry.lazy("schema.alliance.types")]]:
        from schema.alliance.types import Membership

        rows = await info.context.loaders.memberships_by_municipality.load(self.id)
        return [Membership.from_model(row) for row in rows]

    @strawberry.field(
        description="Member municipalities to learn from, best first, each with a score and its "
        "reasons: similar public challenges and shared themes. For disaster prevention (theme 8), "
        "only peers far enough away not to share the same disaster, for mutual aid: in another "
        "prefecture and another of the eight regions (北海道, 東北, 関東, 中部, 近畿, 中国, 四国, "
        "九州・沖縄), and at least 300 km away between prefectural offices."
    )
    async def peers(
        self,
        info: Info,
        theme_number: Annotated[
            int | None, strawberry.argument(description="Look for peers on this theme (1 to 10).")
        ] = None,
        first: Annotated[int, strawberry.argument(description="How many, best first (1 to 50).")] = 10,
    ) -> list[Annotated[PeerMatch, strawberry.lazy("schema.matching.types")]]:
        from schema.matching.types import recommended_peers

        return await recommended_peers(info, self.id, theme_number, first)

    @strawberry.field(
        description="The municipality's staff contacts: those current today (one whose end date "
        "is still ahead stays, even once its successor is named), or with `includeEnded` all. "
        "Personal data: the secretariat and the municipality's own staff only.",
        permission_classes=[SecretariatOrOwnMunicipality],
    )
    async def contacts(
        self,
        info: Info,
        include_ended: Annotated[
            bool, strawberry.argument(description="Include contacts of earlier years and ended ones.")
        ] = False,
    ) -> list[Annotated[Contact, strawberry.lazy("schema.contact.types")]] | None:
        from schema.contact.types import Contact

        rows = await info.context.loaders.contacts_by_municipality.load(self.id)
        on = today()
        return [Contact.from_model(row) for row in rows if include_ended or is_current(row, on)]
