"""Reading the pillars and the ten themes."""

from __future__ import annotations

from models import Pillar, Theme
from resolvers.db.rows import TableQuery, UnshownColumns
from resolvers.db.statements import Table


async def pillars() -> list[Pillar]:
    return await Pillar.all().order_by("position")


THEMES = TableQuery(Theme, "pillar", lambda: Theme.all().order_by("number"))


async def themes(unshown: UnshownColumns) -> Table:
    """With each theme's pillar (three rows, joined rather than fetched on their own)."""
    return await THEMES.read(unshown)


async def theme_by_number(number: int) -> Theme | None:
    return await Theme.get_or_none(number=number)
