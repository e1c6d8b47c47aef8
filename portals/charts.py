"""The dashboard's charts, drawn on the server as SVG bars (no script: they show under the
portals' Content-Security-Policy and in print), each with the same figures as a table for those
who do not see the picture: members over time by tier, event attendance, open challenges by phase."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any, ClassVar

from i18n.dates import as_date, format_date, format_fiscal_year
from portals.web import Visit
from resolvers.calendar import fiscal_year, today

TIERS = ("FULL", "SUPPORTING")
OPEN_PHASES = (("DRAFT", "draft"), ("IN_REVIEW", "inReview"), ("PUBLISHED", "published"))
ATTENDANCE = ("CONFIRMED", "WAITLISTED")
EVENTS_SINCE_DAYS, EVENTS_UNTIL_DAYS = 365, 90
WIDTH, HEIGHT = 400, 220
MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP = 40, 26, 10
GRIDLINES = 4


@dataclass(frozen=True)
class Bar:
    """One stacked piece of a bar: its series (for its colour), value and place."""

    series: int
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    """Stacked bars, one per label (short, under the bar), with their series' values; the table
    alternative names each bar in full (`names`) with the same figures."""

    labels: list[str]
    names: list[str]
    series: list[str]
    rows: list[list[int]]
    width: ClassVar[int] = WIDTH
    height: ClassVar[int] = HEIGHT
    left: ClassVar[int] = MARGIN_LEFT

    @property
    def highest(self) -> int:
        return max([sum(row) for row in self.rows] + [1])

    @property
    def scale(self) -> int:
        """A round top for the axis, at or above the highest bar."""
        step = max(1, -(-self.highest // GRIDLINES))
        magnitude = 10 ** (len(str(step)) - 1)
        return GRIDLINES * (-(-step // magnitude) * magnitude)

    @property
    def gridlines(self) -> list[tuple[int, float]]:
        plot = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
        return [
            (self.scale * i // GRIDLINES, HEIGHT - MARGIN_BOTTOM - plot * i / GRIDLINES)
            for i in range(GRIDLINES + 1)
        ]

    @property
    def slot(self) -> float:
        return (WIDTH - MARGIN_LEFT) / max(1, len(self.labels))

    @property
    def bars(self) -> list[Bar]:
        plot = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
        bars = []
        for index, row in enumerate(self.rows):
            base: float = HEIGHT - MARGIN_BOTTOM
            for series, value in enumerate(row):
                height = plot * value / self.scale
                base -= height
                x = MARGIN_LEFT + self.slot * index + self.slot * 0.15
                bars.append(Bar(series, value, x, base, self.slot * 0.7, height))
        return bars

    def label_x(self, index: int) -> float:
        return MARGIN_LEFT + self.slot * (index + 0.5)


def state_on(history: list[dict[str, Any]], day: dt.date) -> tuple[str | None, str | None]:
    """A membership's tier and status on `day`, replaying its changes in order."""
    tier = status = None
    for change in history:
        if change["effectiveOn"] is None or dt.date.fromisoformat(change["effectiveOn"]) > day:
            continue
        tier = change["tierAfter"] or tier
        status = change["statusAfter"] or status
    return tier, status


def members_by_tier(histories: list[list[dict[str, Any]]], until: dt.date) -> tuple[list[int], list[list[int]]]:
    """Active members by tier at the end of each fiscal year (today for the current one), from
    the first year any change took effect."""
    dates = [dt.date.fromisoformat(c["effectiveOn"]) for h in histories for c in h if c["effectiveOn"]]
    if not dates:
        return [], []
    years = list(range(fiscal_year(min(dates)), fiscal_year(until) + 1))
    ordered = [sorted(h, key=lambda c: c["effectiveOn"] or "") for h in histories]
    rows = []
    for year in years:
        day = min(dt.date(year + 1, 3, 31), until)
        counts = Counter(tier for tier, status in (state_on(h, day) for h in ordered) if status == "ACTIVE")
        rows.append([counts[tier] for tier in TIERS])
    return years, rows


async def member_histories(visit: Visit, slug: str) -> list[list[dict[str, Any]]]:
    histories: list[list[dict[str, Any]]] = []
    after = None
    while True:
        data = await visit.query("admin/member_history", slug=slug, after=after)
        page = data["alliance"]["members"]
        histories += [member["history"] for member in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            return histories
        after = page["pageInfo"]["endCursor"]


async def every_registration(visit: Visit, event_id: str) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """An event and all its registrations, every page of them."""
    registrations: list[dict[str, Any]] = []
    after = None
    while True:
        event = (await visit.query("admin/event_registrants", id=event_id, after=after))["node"]
        if not event:
            return None, []
        page = event["registrations"]
        registrations += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return event, registrations
        after = page["pageInfo"]["endCursor"]


async def attendance(visit: Visit, event: dict[str, Any]) -> list[int]:
    """How many places an event has confirmed and how many wait."""
    registrations = event["registrations"]["nodes"]
    if event["registrations"]["pageInfo"]["hasNextPage"]:
        registrations = (await every_registration(visit, event["id"]))[1]
    counts = Counter(registration["status"] for registration in registrations)
    return [counts[status] for status in ATTENDANCE]


def short_date(moment: str, language: str) -> str:
    """An event's day under its bar: 12/4, or 4 Dec."""
    day = as_date(moment)
    assert day is not None
    return f"{day.month}/{day.day}" if language == "ja" else f"{day.day} {day:%b}"


async def dashboard_charts(visit: Visit, slug: str) -> dict[str, Chart]:
    t, day, language = visit.t, today(), visit.t.language
    years, rows = members_by_tier(await member_histories(visit, slug), day)
    moment = dt.datetime.combine(day, dt.time(), dt.UTC)
    activity = await visit.query(
        "admin/dashboard_activity",
        **{"from": (moment - dt.timedelta(days=EVENTS_SINCE_DAYS)).isoformat(),
           "until": (moment + dt.timedelta(days=EVENTS_UNTIL_DAYS)).isoformat()},
    )
    events = [event for event in activity["events"]["nodes"] if event["status"] != "CANCELLED"]
    return {
        "members": Chart(
            [str(year) for year in years], [format_fiscal_year(year, language, with_era=True) for year in years],
            [t.enum("MembershipTier", tier) for tier in TIERS], rows,
        ),
        "attendance": Chart(
            [short_date(event["startsAt"], language) for event in events],
            [f"{format_date(event['startsAt'], language)} {event['title']}" for event in events],
            [t.enum("EventRegistrationStatus", status) for status in ATTENDANCE],
            [await attendance(visit, event) for event in events],
        ),
        "challenges": Chart(
            [t.enum("ChallengeStatus", status) for status, _ in OPEN_PHASES],
            [t.enum("ChallengeStatus", status) for status, _ in OPEN_PHASES],
            [t("charts.count")],
            [[activity[alias]["totalCount"]] for _, alias in OPEN_PHASES],
        ),
    }
