"""A page of procurement groups with their totals and participants costs a bounded number of statements."""

import datetime as dt

import pytest

from models import (
    Alliance,
    Membership,
    MembershipTier,
    ProcurementGroup,
    ProcurementParticipation,
    Theme,
)

pytestmark = pytest.mark.usefixtures("uneven_statement_latency")

GROUPS = """
query ($first: Int!) {
  procurementGroups(first: $first) {
    totalCount
    nodes {
      item combinedQuantity participantCount acceptsChanges
      theme { number } organiser { name } alliance { slug }
      participants(first: 10) { totalCount nodes { quantity municipality { code name } } }
    }
  }
}
"""


async def form_groups(count: int, participants_each: int) -> None:
    """`count` groups, each with a different run of full members taking part."""
    alliance = await Alliance.get(slug="expo2025")
    theme = await Theme.get(number=8)
    members = await Membership.filter(alliance=alliance, tier=MembershipTier.FULL).order_by("id")
    await ProcurementGroup.bulk_create(
        ProcurementGroup(
            alliance=alliance,
            theme=theme,
            item=f"備蓄品 {index}",
            unit="個",
            description="",
            organiser_id=members[index].municipality_id,
            closes_on=dt.date(2099, 3, 31),
        )
        for index in range(count)
    )
    groups = await ProcurementGroup.all().order_by("id")
    await ProcurementParticipation.bulk_create(
        ProcurementParticipation(
            group_id=group.id,
            municipality_id=members[(index + offset) % len(members)].municipality_id,
            quantity=10 * (offset + 1),
        )
        for index, group in enumerate(groups)
        for offset in range(participants_each)
    )


async def statements_for(client, sql_statements, variables) -> tuple[int, dict]:
    before = sql_statements.count
    data = await client.data(GROUPS, variables)
    return sql_statements.count - before, data


async def test_a_page_of_groups_costs_the_same_statements_for_5_and_50_groups(sign_in, sql_statements):
    await form_groups(50, participants_each=6)
    admin = await sign_in("ADMIN")

    five, _ = await statements_for(admin, sql_statements, {"first": 5})
    fifty, data = await statements_for(admin, sql_statements, {"first": 50})

    print(f"procurement groups: {five} statements for 5 groups, {fifty} for 50")
    assert fifty == five
    assert fifty <= 12
    nodes = data["procurementGroups"]["nodes"]
    assert len(nodes) == 50
    assert all(n["combinedQuantity"] == 210 and n["participantCount"] == 6 for n in nodes)
    assert all(n["participants"]["totalCount"] == 6 and len(n["participants"]["nodes"]) == 6 for n in nodes)


async def test_a_members_page_of_groups_loads_its_memberships_once(sign_in, sql_statements):
    await form_groups(50, participants_each=6)
    member = await sign_in("MUNICIPALITY", municipality="162108")

    five, _ = await statements_for(member, sql_statements, {"first": 5})
    fifty, data = await statements_for(member, sql_statements, {"first": 50})

    assert fifty == five
    assert fifty <= 13
    assert all(n["participants"]["totalCount"] == 6 for n in data["procurementGroups"]["nodes"])
