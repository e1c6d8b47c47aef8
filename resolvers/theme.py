"""Reading the pillars and the ten themes."""

from __future__ import annotations

from models import Pillar, Theme
from resolvers.db.rows import UnshownColumns, ValueRow, ValueRowsQuery


async def pillars() -> list[Pillar]:
    return await Pillar.all().order_by("position")


THEMES = ValueRowsQuery(Theme, "pillar", lambda: Theme.all().order_by("number"))


async def themes(unshown: UnshownColumns) -> list[ValueRow]:
    """With each theme's pillar (three rows, joined rather than fetched on their own)."""
    return [row for _, row in await THEMES.read(unshown)]


async def theme_by_number(number: int) -> Theme | None:
    return await Theme.get_or_none(number=number)
