"""The member directory: walking, filtering, ordering and counting an alliance's members."""

from tests.helpers import deck_counts_by_prefecture_name

MEMBERS_PAGE = """
query ($after: String, $filter: MembershipFilter, $orderBy: MembershipOrder) {
  alliance(slug: "expo2025") {
    members(first: 100, after: $after, filter: $filter, orderBy: $orderBy) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage endCursor }
      edges { cursor node { id tier status municipality { code name kind prefecture { code name } } } }
    }
  }
}
"""


async def walk_members(gql, **variables) -> list[dict]:
    nodes, after, pages = [], None, 0
    while True:
        data = await gql.data(MEMBERS_PAGE, {**variables, "after": after})
        connection = data["alliance"]["members"]
        nodes += [edge["node"] for edge in connection["edges"]]
        pages += 1
        assert pages <= 10, "pagination does not terminate"
        if not connection["pageInfo"]["hasNextPage"]:
            return nodes
        after = connection["pageInfo"]["endCursor"]


async def test_walking_the_expo_roster_by_cursor_yields_all_581_members_once(gql):
    members = await walk_members(gql)

    assert len(members) == 581
    assert len({m["id"] for m in members}) == 581
    codes = [m["municipality"]["code"] for m in members]
    assert codes == sorted(codes)


async def test_members_by_prefecture_match_the_figures_printed_in_the_deck(gql):
    members = await walk_members(gql)
    counted: dict[str, int] = {}
    for member in members:
        name = member["municipality"]["prefecture"]["name"]
        counted[name] = counted.get(name, 0) + 1

    assert counted == deck_counts_by_prefecture_name()


async def test_statistics_count_members_by_tier_kind_and_prefecture(gql):
    data = await gql.data(
        """{ alliance(slug: "expo2025") { statistics {
              memberCount byTier { key count } byKind { key count } byPrefecture { key count } } } }"""
    )
    stats = data["alliance"]["statistics"]

    assert stats["memberCount"] == 581
    assert {t["key"]: t["count"] for t in stats["byTier"]} == {"FULL": 123, "SUPPORTING": 458}
    # The official registry classifies the deck's 581 names as 422 cities, 137 towns and 22
    # villages; the deck's headline says 421/138/22 (see data/README.md).
    assert {t["key"]: t["count"] for t in stats["byKind"]} == {"CITY": 422, "TOWN": 137, "VILLAGE": 22}
    assert len(stats["byPrefecture"]) == 47
    assert sum(t["count"] for t in stats["byPrefecture"]) == 581


async def test_roster_misprints_resolve_to_the_official_municipalities(gql):
    for search, official in (("龍ヶ崎", "龍ケ崎市"), ("嬬恋", "嬬恋村")):
        members = await walk_members(gql, filter={"search": search})
        assert [m["municipality"]["name"] for m in members] == [official]


async def test_member_search_matches_kana_romaji_and_written_names(gql):
    for search in ("りゅうがさき", "ﾘｭｳｶﾞｻｷ", "ryugasaki", "龍ケ崎"):
        members = await walk_members(gql, filter={"search": search})
        assert [m["municipality"]["code"] for m in members] == ["082082"], search


async def test_filters_combine_tier_prefecture_and_kind(gql):
    members = await walk_members(
        gql, filter={"tier": "FULL", "prefectureCode": "15", "kind": "VILLAGE"}
    )

    assert [m["municipality"]["name"] for m in members] == ["弥彦村"]
    assert members[0]["tier"] == "FULL"


async def test_order_by_code_descending_reverses_the_directory(gql):
    data = await gql.data(MEMBERS_PAGE, {"orderBy": {"field": "CODE", "direction": "DESC"}})
    codes = [e["node"]["municipality"]["code"] for e in data["alliance"]["members"]["edges"]]

    assert codes == sorted(codes, reverse=True)
    assert codes[0].startswith("47")


async def test_paging_backwards_with_last_and_before(gql):
    first_page = await gql.data(
        '{ alliance(slug: "expo2025") { members(first: 5) { edges { cursor node { id } } } } }'
    )
    edges = first_page["alliance"]["members"]["edges"]
    data = await gql.data(
        """query ($before: String) { alliance(slug: "expo2025") {
             members(last: 2, before: $before) { edges { node { id } } pageInfo { hasPreviousPage hasNextPage } } } }""",
        {"before": edges[4]["cursor"]},
    )
    members = data["alliance"]["members"]

    assert [e["node"]["id"] for e in members["edges"]] == [edges[2]["node"]["id"], edges[3]["node"]["id"]]
    assert members["pageInfo"] == {"hasPreviousPage": True, "hasNextPage": True}


async def test_the_predecessor_keeps_its_581_memberships_as_transferred_history(gql):
    data = await gql.data(
        """{ alliance(slug: "olympic-paralympic") {
              successor { slug }
              statistics { memberCount byStatus { key count } }
              members(first: 1, filter: {search: "高石"}) { nodes { status tier history { kind effectiveOn } } } } }"""
    )
    alliance = data["alliance"]

    assert alliance["successor"] == {"slug": "expo2025"}
    assert alliance["statistics"]["byStatus"] == [{"key": "TRANSFERRED", "count": 581}]
    takaishi = alliance["members"]["nodes"][0]
    assert takaishi["tier"] == "FULL"
    assert [h["kind"] for h in takaishi["history"]] == ["JOINED", "STATUS_CHANGED"]
    assert takaishi["history"][1]["effectiveOn"] == "2021-11-08"


async def test_officers_and_secretariat_are_full_members_of_the_expo_alliance(gql):
    data = await gql.data(
        """{ alliance(slug: "expo2025") {
              officers { role personName municipality { code memberships { tier alliance { slug } } } }
              secretariat { name } } }"""
    )
    alliance = data["alliance"]
    roles = [o["role"] for o in alliance["officers"]]

    assert roles.count("CHAIR") == 1 and roles.count("VICE_CHAIR") == 10 and roles.count("ADVISER") == 3
    assert alliance["officers"][0]["personName"] == "阪口 伸六"
    assert [s["name"] for s in alliance["secretariat"]] == ["三条市", "泉佐野市", "松原市", "高石市", "加西市"]
    for officer in alliance["officers"]:
        if officer["municipality"] is None:
            assert officer["role"] == "ADVISER"
            continue
        tiers = {m["alliance"]["slug"]: m["tier"] for m in officer["municipality"]["memberships"]}
        assert tiers == {"olympic-paralympic": "FULL", "expo2025": "FULL"}
