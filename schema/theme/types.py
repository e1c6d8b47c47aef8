"""The pillars and themes as the API shows them."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

import models
from schema.context import Info
from schema.node import ModelNode
from schema.relation import Loaded, related, relation
from schema.rows import joined

if TYPE_CHECKING:
    from schema.alliance.types import WorkingGroup
    from schema.partner.types import Offering


@strawberry.enum(description="The three pillars the ten themes are grouped under (EXPO 2025 subthemes).")
class PillarKey(Enum):
    _value_: str
    EMPOWERING = strawberry.enum_value(
        "EMPOWERING", description="創る Empowering Lives: economy and industry (themes I–III)."
    )
    CONNECTING = strawberry.enum_value(
        "CONNECTING", description="繋ぐ Connecting Lives: society and cities (themes IV–VI)."
    )
    SAVING = strawberry.enum_value(
        "SAVING", description="守る Saving Lives: environment and infrastructure (themes VII–X)."
    )


@strawberry.type(description="One of the three pillars.")
class Pillar(ModelNode):
    model = models.Pillar
    id: relay.NodeID[int]
    key: PillarKey = strawberry.field(description="Which pillar.")
    name: str = strawberry.field(description="The name in Japanese, e.g. 創る.")
    name_en: str = strawberry.field(description="The name in English, e.g. Empowering Lives.")
    domain: str = strawberry.field(description="The fields it covers, e.g. 経済・産業.")
    tagline: str = strawberry.field(description="The EXPO subtheme in Japanese, e.g. いのちに力を与える.")


    @relation("list[Theme]", description="The themes under this pillar, by number.")
    def themes(self, info: Info) -> Loaded[list[Theme]]:
        return related(info.context.loaders.themes_by_pillar, self.id, Theme.from_models)


@strawberry.type(description="One of the ten themes the alliance's seminars and working groups take up.")
class Theme(ModelNode):
    model = models.Theme
    id: relay.NodeID[int]
    number: int = strawberry.field(description="The theme's number, 1 to 10.")
    roman: str = strawberry.field(description="The number as a roman numeral, I to X.")
    title: str = strawberry.field(description="The short title in Japanese.")
    title_en: str = strawberry.field(description="The short title in English.")
    heading: str = strawberry.field(description="The full heading of the theme's programme.")
    legacy: str = strawberry.field(description="The EXPO legacy the theme aims at (未来への万博レガシー).")
    legacy_goals: list[str] = strawberry.field(description="The legacy goals (①, ②, …), in order.")
    summary: str = strawberry.field(description="What the theme's activities are (活動概要).")
    pillar_id: strawberry.Private[int]
    joined_pillar: strawberry.Private[Pillar | None] = joined("Pillar")


    @relation("Pillar", description="The pillar the theme belongs to.")
    def pillar(self, info: Info) -> Loaded[Pillar]:
        return related(
            info.context.loaders.pillar_by_id, self.pillar_id, Pillar.from_model,
            joined=self.joined_pillar,
        )

    @relation(
        list[Annotated["WorkingGroup", strawberry.lazy("schema.alliance.types")]],
        description="The working groups on this theme, one per alliance.",
    )
    def working_groups(self, info: Info) -> Loaded[list[WorkingGroup]]:
        from schema.alliance.types import WorkingGroup

        return related(info.context.loaders.working_groups_by_theme, self.id, WorkingGroup.read)

    @relation(
        list[Annotated["Offering", strawberry.lazy("schema.partner.types")]],
        description="The partner offerings tagged with this theme.",
    )
    def offerings(self, info: Info) -> Loaded[list[Offering]]:
        from schema.partner.types import Offering

        return related(info.context.loaders.offerings_by_theme, self.id, Offering.read)
