"""The dashboard's charts: SVG drawn on the server, each with its figures as a table, in both
languages: members by tier at each fiscal year's end, event registrations, open challenges."""

import datetime as dt
import re

import pytest

from portals.charts import members_by_tier

CREATE_EVENT = """mutation($starts: DateTime!, $ends: DateTime!) { createEvent(input: {allianceSlug: "expo2025",
  title: "防災DX勉強会", description: "d", kind: SEMINAR, format: ONLINE, audience: ALL_MEMBERS,
  startsAt: $starts, endsAt: $ends, capacity: 1, themeNumbers: [8]}) { event { id } userErrors { code } } }"""
REGISTER = """mutation($event: ID!) { registerForEvent(input: {eventId: $event}) { userErrors { code } } }"""


def table_of(page, name: str) -> list[list[str]]:
    """The rows of a chart's table: the row header, then its figures."""
    figure = re.search(rf'<figure class="chart" aria-labelledby="chart-{name}-title">(.*?)</figure>', page.text, re.S).group(1)
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", figure, re.S)
    return [[re.sub(r"<[^>]+>", "", head), *re.findall(r'<td class="number">([^<]*)</td>', cells)] for head, cells in rows]


def test_members_are_counted_by_tier_as_they_stood_at_each_fiscal_years_end():
    joined_full = [{"tierAfter": "FULL", "statusAfter": "ACTIVE", "effectiveOn": "2024-05-01"}]
    supporting_then_full = [
        {"tierAfter": "SUPPORTING", "statusAfter": "ACTIVE", "effectiveOn": "2024-06-01"},
        {"tierAfter": "FULL", "statusAfter": None, "effectiveOn": "2025-04-10"},
    ]
    withdrew = [
        {"tierAfter": "SUPPORTING", "statusAfter": "APPLIED", "effectiveOn": "2024-07-01"},
        {"tierAfter": None, "statusAfter": "ACTIVE", "effectiveOn": "2024-08-01"},
        {"tierAfter": None, "statusAfter": "WITHDRAWN", "effectiveOn": "2026-01-15"},
    ]

    years, rows = members_by_tier([joined_full, supporting_then_full, withdrew], dt.date(2026, 12, 4))

    assert years == [2024, 2025, 2026]
    assert rows == [[1, 2], [2, 0], [2, 0]]


# Steps aside: an event's registrations and a challenge's status (graphql-core resolves the
# Node interface of `node`).
@pytest.mark.plan_fallback("abstract_type")
async def test_the_dashboard_draws_three_charts_each_with_its_table(signed_in, sign_in):
    admin_api = await sign_in("ADMIN")
    start = (dt.datetime.now(dt.UTC) + dt.timedelta(days=10)).replace(microsecond=0)
    event = (await admin_api.accepted(CREATE_EVENT, {"starts": start.isoformat(), "ends": (start + dt.timedelta(hours=2)).isoformat()}))["event"]
    for code in ("272256", "162108"):
        await (await sign_in("MUNICIPALITY", municipality=code)).accepted(REGISTER, {"event": event["id"]})
    admin = await signed_in("ADMIN")

    japanese = await admin.get("/admin")
    english = await admin.get("/admin?lang=en")

    assert japanese.text.count('<svg viewBox="0 0 400 220" role="img"') == 3
    members = table_of(japanese, "members")
    assert members[-1][0] == "2026年度（令和8年度）"
    full, supporting = (int(value.replace(",", "")) for value in members[-1][1:])
    assert full + supporting == int(re.search(r'<span class="stat-value">(\d+)</span> <span class="stat-label">活動中の会員', japanese.text).group(1))
    assert [row for row in table_of(japanese, "attendance") if "防災DX勉強会" in row[0]][0][1:] == ["1", "1"]
    assert [row[0] for row in table_of(japanese, "challenges")] == ["下書き", "事務局確認中", "公開中"]
    assert table_of(english, "members")[-1][0] == "FY2026" and "Members by tier at each fiscal year" in english.text
