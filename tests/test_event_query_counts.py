"""A page of events with their themes, places, waiting lists and organisers costs a bounded
number of SQL statements, whatever the page size (no N+1), whichever batch answers first
(`uneven_statement_latency`)."""

import datetime as dt

import pytest

from models import (
    Alliance,
    Audience,
    Event,
    EventFormat,
    EventKind,
    EventRegistration,
    EventRegistrationStatus,
    Membership,
    MembershipTier,
    OrganiserKind,
    Partner,
    Theme,
    WorkingGroup,
)
from resolvers.calendar import JAPAN

pytestmark = pytest.mark.usefixtures("uneven_statement_latency")

EVENTS = """
query ($first: Int!) {
  events(first: $first) {
    totalCount
    nodes {
      title startsAt themes { number title } placesLeft waitlistCount
      organiser { __typename ... on Partner { name } ... on WorkingGroup { theme { number } } ... on Alliance { slug } }
    }
  }
}
"""

SECRETARIAT_VIEW = """
query ($first: Int!) {
  events(first: $first) {
    nodes {
      placesLeft waitlistCount viewerRegistration { status }
      registrations(first: 100) { totalCount nodes { status waitlistPosition municipality { code } } }
    }
  }
}
"""


async def announce_events(count: int) -> None:
    """`count` events taking turns among the three kinds of organiser, each with two themes and
    three registrations (two confirmed, one waiting)."""
    alliance = await Alliance.get(slug="expo2025")
    partners = await Partner.all().order_by("id").limit(3)
    groups = await WorkingGroup.filter(alliance_id=alliance.id).order_by("theme_id")
    themes = await Theme.all().order_by("number")
    members = (
        await Membership.filter(alliance_id=alliance.id, tier=MembershipTier.FULL)
        .order_by("id")
        .limit(3)
    )
    starts = dt.datetime(2030, 4, 1, 14, tzinfo=JAPAN)
    for index in range(count):
        organiser = [OrganiserKind.ALLIANCE, OrganiserKind.WORKING_GROUP, OrganiserKind.PARTNER][
            index % 3
        ]
        event = await Event.create(
            alliance=alliance,
            title=f"イベント {index}",
            description="",
            kind=EventKind.SEMINAR,
            organiser_kind=organiser,
            working_group=groups[index % len(groups)]
            if organiser is OrganiserKind.WORKING_GROUP
            else None,
            partner=partners[index % len(partners)] if organiser is OrganiserKind.PARTNER else None,
            starts_at=starts + dt.timedelta(days=index),
            ends_at=starts + dt.timedelta(days=index, hours=2),
            registration_closes_at=starts + dt.timedelta(days=index),
            format=EventFormat.ONLINE,
            capacity=2,
            audience=Audience.ALL_MEMBERS,
        )
        await event.themes.add(themes[index % 10], themes[(index + 1) % 10])
        await EventRegistration.bulk_create(
            EventRegistration(
                event_id=event.id,
                municipality_id=member.municipality_id,
                status=EventRegistrationStatus.WAITLISTED
                if position == 2
                else EventRegistrationStatus.CONFIRMED,
            )
            for position, member in enumerate(members)
        )


async def statements_for(client, sql_statements, query, variables) -> int:
    before = sql_statements.count
    await client.data(query, variables)
    return sql_statements.count - before


# Steps aside: an event's `organiser` is the EventOrganiser union (graphql-core resolves the
# runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_page_of_events_costs_the_same_statements_for_10_and_30_events(gql, sql_statements):
    await announce_events(30)

    ten = await statements_for(gql, sql_statements, EVENTS, {"first": 10})
    thirty = await statements_for(gql, sql_statements, EVENTS, {"first": 30})
    data = await gql.data(EVENTS, {"first": 30})

    print(f"events: {ten} statements for 10 events, {thirty} for 30")
    assert ten == thirty
    assert thirty <= 10
    nodes = data["events"]["nodes"]
    assert len(nodes) == 30 and all(len(n["themes"]) == 2 for n in nodes)
    assert all((n["placesLeft"], n["waitlistCount"]) == (0, 1) for n in nodes)
    assert [n["organiser"]["__typename"] for n in nodes[:3]] == [
        "Alliance",
        "WorkingGroup",
        "Partner",
    ]


async def test_the_secretariats_view_of_registrations_is_bounded(sign_in, sql_statements):
    await announce_events(30)
    admin = await sign_in("ADMIN")

    ten = await statements_for(admin, sql_statements, SECRETARIAT_VIEW, {"first": 10})
    thirty = await statements_for(admin, sql_statements, SECRETARIAT_VIEW, {"first": 30})
    data = await admin.data(SECRETARIAT_VIEW, {"first": 30})

    print(f"registrations: {ten} statements for 10 events, {thirty} for 30")
    assert ten == thirty
    assert thirty <= 6
    positions = [
        [r["waitlistPosition"] for r in n["registrations"]["nodes"]]
        for n in data["events"]["nodes"]
    ]
    assert positions == [[None, None, 1]] * 30
