"""Loading the rows a mutation's input names, or refusing with the input field at fault."""

from __future__ import annotations

import re
from typing import Any, TypeVar

from tortoise.models import Model

from i18n import kind_label, message
from models import Alliance, Municipality, Partner
from resolvers.errors import Refused
from resolvers.text import ascii_digits

M = TypeVar("M", bound=Model)
SLUG_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{1,63}")
MUNICIPALITY_CODE_DIGITS = 6


def check_slug(slug: str) -> None:
    if not SLUG_PATTERN.fullmatch(slug):
        raise Refused("INVALID", message("errors.lookup.bad_slug"), field=("input", "slug"))


async def get_or_refuse(model: type[M], field: tuple[str, ...], **key: Any) -> M:
    row = await model.get_or_none(**key)
    if row is None:
        raise Refused("NOT_FOUND", message("errors.lookup.not_found", kind=kind_label(model.__name__)), field=field)
    return row


async def alliance_by_slug(slug: str, field: tuple[str, ...] = ("input", "allianceSlug")) -> Alliance:
    return await get_or_refuse(Alliance, field, slug=slug)


def municipality_code(text: str, field: tuple[str, ...]) -> str:
    """A municipality code as stored: ASCII digits, full-width ones folded."""
    code = ascii_digits(text)
    if code is None or len(code) != MUNICIPALITY_CODE_DIGITS:
        raise Refused("INVALID", message("errors.lookup.bad_municipality_code"), field=field)
    return code


async def municipality_by_code(
    code: str, field: tuple[str, ...] = ("input", "municipalityCode")
) -> Municipality:
    return await get_or_refuse(Municipality, field, code=municipality_code(code, field))


async def partner_by_slug(slug: str, field: tuple[str, ...] = ("input", "partnerSlug")) -> Partner:
    return await get_or_refuse(Partner, field, slug=slug)
