"""Reading the pillars and the ten themes."""

from __future__ import annotations

from models import Pillar, Theme


async def pillars() -> list[Pillar]:
    return await Pillar.all().order_by("position")


async def themes() -> list[Theme]:
    """With each theme's pillar (three rows, joined rather than fetched on their own)."""
    return await Theme.all().select_related("pillar").order_by("number")


async def theme_by_number(number: int) -> Theme | None:
    return await Theme.get_or_none(number=number)
