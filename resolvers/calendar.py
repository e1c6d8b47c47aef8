"""Dates as the alliance counts them: Japan time, and fiscal years from April to March."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

JAPAN = ZoneInfo("Asia/Tokyo")
FISCAL_YEAR_FIRST_MONTH = 4


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def in_japan(moment: dt.datetime) -> dt.datetime:
    """The same moment on Japan's clock; a time without an offset is taken as Japan time."""
    return moment.replace(tzinfo=JAPAN) if moment.tzinfo is None else moment.astimezone(JAPAN)


def today() -> dt.date:
    return dt.datetime.now(JAPAN).date()


def fiscal_year(day: dt.date) -> int:
    """The fiscal year (年度) a day falls in: FY2026 runs from 2026-04-01 to 2027-03-31."""
    return day.year if day.month >= FISCAL_YEAR_FIRST_MONTH else day.year - 1


def fiscal_year_start(year: int) -> dt.date:
    return dt.date(year, FISCAL_YEAR_FIRST_MONTH, 1)
