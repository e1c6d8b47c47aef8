"""Challenge lists and recommendations cost the same SQL statements for one item as for many."""

import pytest

from tests.api.test_government_pitch import CREATE, PUBLISH, SUBMIT, challenge_input
from tests.test_query_counts import statements_for

pytestmark = pytest.mark.usefixtures("uneven_statement_latency")

CHALLENGES = """
query($first: Int!) {
  challenges(first: $first) {
    nodes { title proposalCount themes { number } municipality { name prefecture { name } }
            proposals(first: 10) { nodes { title partner { name } offering { title } challenge { title } } }
            recommendedOfferings(first: 3) { score offering { title } partner { slug } } }
  }
}"""
CITIES = ("272256", "162108", "012050")
PARTNERS = ("sompo-holdings", "kanko-yoho-platform", "mori-building")


async def test_a_page_of_challenges_with_their_proposals_is_bounded(sign_in, sql_statements):
    partners = [await sign_in("PARTNER", partner=slug) for slug in PARTNERS]
    for code in CITIES:
        city = await sign_in("MUNICIPALITY", municipality=code)
        id = (await city.accepted(CREATE, {"input": challenge_input(title=f"{code}の課題")}))["challenge"]["id"]
        await city.accepted(PUBLISH, {"id": id})
        for partner in partners:
            await partner.accepted(SUBMIT, {"id": id, "title": "提案"})
    admin = await sign_in("ADMIN")

    one = await statements_for(admin, sql_statements, CHALLENGES, {"first": 1})
    three = await statements_for(admin, sql_statements, CHALLENGES, {"first": 3})

    print(f"challenges: {one} statements for 1, {three} for 3")
    assert one == three
    data = await admin.data(CHALLENGES, {"first": 3})
    assert [c["proposalCount"] for c in data["challenges"]["nodes"]] == [3, 3, 3]


PEERS = """
query($first: Int!) {
  alliance(slug: "expo2025") {
    members(first: $first) { nodes { municipality { peers(themeNumber: 8, first: 3) { score municipality { name } } } } }
  }
}"""


async def test_peers_of_a_page_of_members_are_bounded(gql, sql_statements):
    await gql.data(PEERS, {"first": 1})  # the first request of a test pays a one-off statement
    ten = await statements_for(gql, sql_statements, PEERS, {"first": 10})
    fifty = await statements_for(gql, sql_statements, PEERS, {"first": 50})

    print(f"peers: {ten} statements for 10 members, {fifty} for 50")
    assert ten == fifty
