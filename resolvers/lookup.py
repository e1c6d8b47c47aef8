"""Loading the rows a mutation's input names, or refusing with the input field at fault."""

from __future__ import annotations

import re
from typing import Any, TypeVar

from tortoise.models import Model

from models import Alliance, Municipality, Partner
from resolvers.errors import Refused

M = TypeVar("M", bound=Model)
SLUG_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{1,63}")


def check_slug(slug: str) -> None:
    if not SLUG_PATTERN.fullmatch(slug):
        raise Refused("INVALID", "A slug is 2 to 64 lower-case letters, digits and hyphens.", field=("input", "slug"))


async def get_or_refuse(model: type[M], field: tuple[str, ...], **key: Any) -> M:
    row = await model.get_or_none(**key)
    if row is None:
        raise Refused("NOT_FOUND", f"No {model.__name__} matches `{field[-1]}`.", field=field)
    return row


async def alliance_by_slug(slug: str, field: tuple[str, ...] = ("input", "allianceSlug")) -> Alliance:
    return await get_or_refuse(Alliance, field, slug=slug)


async def municipality_by_code(
    code: str, field: tuple[str, ...] = ("input", "municipalityCode")
) -> Municipality:
    return await get_or_refuse(Municipality, field, code=code)


async def partner_by_slug(slug: str, field: tuple[str, ...] = ("input", "partnerSlug")) -> Partner:
    return await get_or_refuse(Partner, field, slug=slug)
