"""Dates, times, fiscal years and amounts as a reader of each language writes them.

Japanese: 2026年12月4日(金), 18:30 (always Japan time), 2026年度, and the Japanese era (和暦,
令和8年) where the secretariat's own documents use it. English: 4 Dec 2026, 18:30 JST, FY2026.
Babel (BSD) knows the calendars' words; the eras are a small table here, because Babel's
Japanese-calendar data counts years but does not write 元年 for an era's first.

The API gives dates and times as ISO 8601 text; every function here takes that text, a `date` or
a `datetime`, and returns "" for nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_date
from babel.numbers import format_decimal

JAPAN = ZoneInfo("Asia/Tokyo")
FISCAL_YEAR_FIRST_MONTH = 4
DATE_PATTERNS = {"ja": "y年M月d日(E)", "en": "d MMM y"}
ENGLISH_TIME_ZONE = "JST"


@dataclass(frozen=True)
class Era:
    name: str
    first_day: dt.date


ERAS = (
    Era("令和", dt.date(2019, 5, 1)),
    Era("平成", dt.date(1989, 1, 8)),
    Era("昭和", dt.date(1926, 12, 25)),
    Era("大正", dt.date(1912, 7, 30)),
    Era("明治", dt.date(1868, 1, 25)),
)
"""The modern eras, newest first, each from its first day (明治 as counted from the Gregorian
calendar's 1868-01-25, the day the lunar 明治元年 began)."""

DateLike = str | dt.date | None


def as_date(value: DateLike) -> dt.date | None:
    """The day a value names; a moment is taken on Japan's clock."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime):
        return in_japan(value).date()
    return value


def as_moment(value: str | dt.datetime | None) -> dt.datetime | None:
    if value is None or value == "":
        return None
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return in_japan(moment)


def in_japan(moment: dt.datetime) -> dt.datetime:
    """The same moment on Japan's clock; a time without an offset is taken as Japan time."""
    return moment.replace(tzinfo=JAPAN) if moment.tzinfo is None else moment.astimezone(JAPAN)


def era_of(day: dt.date) -> Era:
    for era in ERAS:
        if day >= era.first_day:
            return era
    raise ValueError(f"{day} is before the Meiji era")


def era_year(era: Era, year: int) -> str:
    """`令和8`, or `令和元` for an era's first year."""
    number = year - era.first_day.year + 1
    return f"{era.name}{'元' if number == 1 else number}"


def wareki(value: DateLike) -> str:
    """The day in the Japanese era: 2026-12-04 → 令和8年12月4日; 2019-05-01 → 令和元年5月1日."""
    day = as_date(value)
    if day is None:
        return ""
    return f"{era_year(era_of(day), day.year)}年{day.month}月{day.day}日"


def format_official_date(value: DateLike, language: str) -> str:
    """A date as the secretariat's documents write it: 令和8年12月4日 / 4 Dec 2026."""
    return wareki(value) if language == "ja" else format_date(value, language)


def format_date(value: DateLike, language: str) -> str:
    """2026年12月4日(金) / 4 Dec 2026."""
    day = as_date(value)
    if day is None:
        return ""
    return babel_date(day, DATE_PATTERNS[language], locale=language)


def format_time(value: str | dt.datetime | None, language: str) -> str:
    """The time on Japan's clock: 18:30 / 18:30 JST."""
    moment = as_moment(value)
    if moment is None:
        return ""
    clock = moment.strftime("%H:%M")
    return clock if language == "ja" else f"{clock} {ENGLISH_TIME_ZONE}"


def format_datetime(value: str | dt.datetime | None, language: str) -> str:
    """2026年12月4日(金) 18:30 / 4 Dec 2026, 18:30 JST, in Japan time."""
    moment = as_moment(value)
    if moment is None:
        return ""
    separator = " " if language == "ja" else ", "
    return f"{format_date(moment, language)}{separator}{format_time(moment, language)}"


def format_period(start: str | dt.datetime | None, end: str | dt.datetime | None, language: str) -> str:
    """From one moment to another; the day once when both fall on it (Japan time):
    2026年12月4日(金) 18:30〜20:00 / 4 Dec 2026, 18:30–20:00 JST."""
    first, last = as_moment(start), as_moment(end)
    if first is None or last is None:
        return format_datetime(first or last, language)
    if first.date() != last.date():
        return f"{format_datetime(first, language)} – {format_datetime(last, language)}"
    if language == "ja":
        return f"{format_date(first, language)} {first:%H:%M}〜{last:%H:%M}"
    return f"{format_date(first, language)}, {first:%H:%M}–{last:%H:%M} {ENGLISH_TIME_ZONE}"


def fiscal_year_era(year: int) -> Era:
    """The era a fiscal year is named in: the one in force when it ends, so April 2019 to March
    2020 is 令和元年度 (as the government names it), not 平成31年度."""
    return era_of(dt.date(year + 1, FISCAL_YEAR_FIRST_MONTH, 1) - dt.timedelta(days=1))


def format_fiscal_year(year: int | None, language: str, *, with_era: bool = False) -> str:
    """2026年度 (with the era: 2026年度（令和8年度）) / FY2026."""
    if year is None:
        return ""
    if language != "ja":
        return f"FY{year}"
    if not with_era:
        return f"{year}年度"
    return f"{year}年度（{era_year(fiscal_year_era(year), year)}年度）"


def format_number(value: int | float | None, language: str) -> str:
    """1,234,000 in both languages (Babel's grouping for the language)."""
    return "" if value is None else format_decimal(value, locale=language)
