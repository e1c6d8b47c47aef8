"""Nested queries cost a bounded number of SQL statements, whatever the page size (no N+1).

Each comparison runs with uneven statement latency (`uneven_statement_latency`): a count that
holds then does not depend on which batch of a level happens to answer first."""

import pytest

from models import Alliance, Audience, Bulletin, BulletinAttachment, BulletinStatus
from resolvers.mail.outbox import store_file
from tests.factories import give_full_members_private_records, seat_full_members_in_working_groups

pytestmark = pytest.mark.usefixtures("uneven_statement_latency")

DIRECTORY = """
query ($first: Int!) {
  alliance(slug: "expo2025") {
    members(first: $first, filter: {tier: FULL}) {
      totalCount
      edges { node {
        tier joinedOn history { kind }
        municipality { code name prefecture { name } memberships { tier } }
        workingGroups { theme { number title pillar { key } } }
      } }
    }
  }
}
"""

THEMES = """
{ themes { number pillar { name } offerings { title partner { name } themes { number } }
           workingGroups { alliance { slug } participants(first: 5) { totalCount nodes { municipality { name } } } } } }
"""

SECRETARIAT_VIEW = """
query ($first: Int!) {
  alliance(slug: "expo2025") {
    members(first: $first, filter: {tier: FULL}) {
      nodes { duesBalance dues { amount status carriedOver }
              municipality { name contacts { name role workingGroup { theme { number } } } } }
    }
  }
  offeringRequests(first: $first) {
    nodes { status offering { title placesLeft partner { name } themes { number } } municipality { code } }
  }
}
"""


async def statements_for(gql, sql_statements, query, variables=None) -> int:
    before = sql_statements.count
    await gql.data(query, variables)
    return sql_statements.count - before


async def test_member_directory_costs_the_same_statements_for_10_and_100_members(gql, sql_statements):
    await seat_full_members_in_working_groups()

    ten = await statements_for(gql, sql_statements, DIRECTORY, {"first": 10})
    hundred = await statements_for(gql, sql_statements, DIRECTORY, {"first": 100})

    print(f"member directory: {ten} statements for 10 members, {hundred} for 100")
    assert ten == hundred
    assert hundred <= 12


@pytest.mark.parametrize("first", [10, 50, 100])
async def test_directory_pages_show_each_members_working_groups(gql, first):
    await seat_full_members_in_working_groups()

    data = await gql.data(DIRECTORY, {"first": first})

    edges = data["alliance"]["members"]["edges"]
    assert len(edges) == first
    assert all(len(e["node"]["workingGroups"]) == 2 for e in edges)


async def test_theme_overview_is_bounded(gql, sql_statements):
    await seat_full_members_in_working_groups()

    count = await statements_for(gql, sql_statements, THEMES)
    print(f"theme overview: {count} statements")

    assert count <= 14


async def test_secretariat_view_of_private_records_is_bounded(sign_in, sql_statements):
    await give_full_members_private_records()
    admin = await sign_in("ADMIN")

    ten = await statements_for(admin, sql_statements, SECRETARIAT_VIEW, {"first": 10})
    hundred = await statements_for(admin, sql_statements, SECRETARIAT_VIEW, {"first": 100})
    data = await admin.data(SECRETARIAT_VIEW, {"first": 100})

    print(f"secretariat view: {ten} statements for 10 members, {hundred} for 100")
    assert ten == hundred
    assert hundred <= 17
    assert len(data["offeringRequests"]["nodes"]) == 100
    assert all(m["duesBalance"] == 30_000 for m in data["alliance"]["members"]["nodes"])


BULLETINS = """
query ($first: Int!) {
  bulletins(first: $first) { nodes { issue bodyHtml attachments { filename downloadUrl } delivery { sent total } } }
}
"""


async def test_bulletins_with_their_files_and_emails_are_bounded(sign_in, sql_statements):
    alliance = await Alliance.get(slug="expo2025")
    for month in range(1, 13):
        bulletin = await Bulletin.create(
            alliance=alliance, year=2026, month=month, title=f"{month}月号", body="本文", audience=Audience.ALL_MEMBERS,
            status=BulletinStatus.PUBLISHED,
        )
        for _ in range(2):
            file = await store_file("資料.pdf", "application/pdf", b"%PDF-1.7")
            await BulletinAttachment.create(bulletin=bulletin, file=file)
    admin = await sign_in("ADMIN")

    two = await statements_for(admin, sql_statements, BULLETINS, {"first": 2})
    twelve = await statements_for(admin, sql_statements, BULLETINS, {"first": 12})

    print(f"bulletins: {two} statements for 2 issues, {twelve} for 12")
    assert two == twelve
    assert twelve <= 6
