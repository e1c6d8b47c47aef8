"""Root fields for pillars and themes."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers import theme as theme_resolvers
from schema.context import Info
from schema.theme.types import Pillar, Theme


@strawberry.type
class ThemeQuery:
    @strawberry.field(description="The three pillars, in order.")
    async def pillars(self) -> list[Pillar]:
        return [Pillar.from_model(row) for row in await theme_resolvers.pillars()]

    @strawberry.field(description="The ten themes, by number.")
    async def themes(self, info: Info) -> list[Theme]:
        return Theme.read(await theme_resolvers.themes(info.context.loaders.unshown))

    @strawberry.field(description="A theme by its number (1 to 10); null if there is none.")
    async def theme(
        self, number: Annotated[int, strawberry.argument(description="The number, 1 to 10.")]
    ) -> Theme | None:
        row = await theme_resolvers.theme_by_number(number)
        return Theme.from_model(row) if row else None
