"""Reading the registry of prefectures and municipalities."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from i18n import message
from models import Municipality, MunicipalityKind, Prefecture
from resolvers.errors import InvalidArgument
from resolvers.text import VARIANTS, ascii_digits, normalise

MAX_SEARCH_LENGTH = 100


@dataclass(frozen=True, kw_only=True)
class MunicipalityQuery:
    prefecture_code: str | None = None
    kind: MunicipalityKind | None = None
    search: str | None = None


def check_search_text(text: str, argument: str = "search") -> str:
    stripped = text.strip()
    if not stripped:
        raise InvalidArgument(message("errors.search.empty", argument=argument), field=argument)
    if len(stripped) > MAX_SEARCH_LENGTH:
        raise InvalidArgument(
            message("errors.search.too_long", argument=argument, limit=MAX_SEARCH_LENGTH, length=len(stripped)),
            field=argument,
        )
    return stripped


def name_matches(text: str, prefix: str = "") -> Q:
    """Municipality name, kana or romaji containing `text` (notation variants folded)."""
    text = check_search_text(text)
    written = unicodedata.normalize("NFKC", text).translate(VARIANTS)
    return (
        Q(**{f"{prefix}name__contains": written})
        | Q(**{f"{prefix}name_kana__contains": normalise(text)})
        | Q(**{f"{prefix}name_en__icontains": written})
    )


def check_municipality_code(text: str) -> str:
    """The code in ASCII digits (full-width ones folded), if it is one."""
    code = ascii_digits(text)
    if code is None or len(code) != 6:
        raise InvalidArgument(message("errors.lookup.bad_municipality_code"), field="code")
    weighted = sum(int(digit) * weight for digit, weight in zip(code[:5], (6, 5, 4, 3, 2), strict=True))
    if int(code[5]) != (11 - weighted % 11) % 10:
        raise InvalidArgument(message("errors.registry.check_digit", code=code), field="code")
    return code


def check_prefecture_code(text: str) -> str:
    """The code in ASCII digits (full-width ones folded), if it is one."""
    code = ascii_digits(text)
    if code is None or len(code) != 2 or not 1 <= int(code) <= 47:
        raise InvalidArgument(message("errors.registry.prefecture_code_range"), field="prefectureCode")
    return code


def municipalities(query: MunicipalityQuery) -> QuerySet[Municipality]:
    queryset = Municipality.all()
    if query.prefecture_code is not None:
        queryset = queryset.filter(prefecture__code=check_prefecture_code(query.prefecture_code))
    if query.kind is not None:
        queryset = queryset.filter(kind=query.kind)
    if query.search is not None:
        queryset = queryset.filter(name_matches(query.search))
    return queryset.order_by("code")


async def municipality_by_code(code: str) -> Municipality | None:
    return await Municipality.get_or_none(code=check_municipality_code(code))


async def prefectures() -> list[Prefecture]:
    return await Prefecture.all().order_by("code")


async def prefecture_by_code(code: str) -> Prefecture | None:
    return await Prefecture.get_or_none(code=check_prefecture_code(code))
