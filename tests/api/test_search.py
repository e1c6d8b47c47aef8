"""`search(query:)` finds Japanese substrings across the catalogue, folding notation variants."""

SEARCH = """
query ($query: String!, $kinds: [SearchKind!], $first: Int) {
  search(query: $query, kinds: $kinds, first: $first) {
    totalCount
    nodes {
      __typename
      ... on Municipality { code name }
      ... on Theme { number }
      ... on Partner { slug }
      ... on Offering { slug }
      ... on CaseStudy { slug organisation }
    }
  }
}
"""


async def search(gql, query, kinds=None, first=20):
    data = await gql.data(SEARCH, {"query": query, "kinds": kinds, "first": first})
    return data["search"]


async def test_a_two_character_japanese_word_finds_the_theme_first(gql):
    result = await search(gql, "防災")

    assert result["nodes"][0] == {"__typename": "Theme", "number": 8}
    assert result["totalCount"] > 1
    assert {"CaseStudy"} <= {n["__typename"] for n in result["nodes"]}


async def test_notation_variants_and_kana_find_the_same_municipality(gql):
    for query in ("龍ヶ崎", "龍ケ崎", "りゅうがさき", "ﾘｭｳｶﾞｻｷ", "Ryugasaki"):
        result = await search(gql, query, kinds=["MUNICIPALITY"])
        assert [n["code"] for n in result["nodes"]] == ["082082"], query


async def test_a_substring_inside_a_long_text_is_found(gql):
    result = await search(gql, "ワーケーション", kinds=["CASE_STUDY"])

    assert "shirahama-workation-innovation-hub" in [n["slug"] for n in result["nodes"]]


async def test_kinds_restrict_the_results(gql):
    result = await search(gql, "DX", kinds=["OFFERING", "PARTNER"], first=100)

    assert result["nodes"]
    assert {n["__typename"] for n in result["nodes"]} <= {"Offering", "Partner"}


async def test_nothing_found_is_an_empty_connection(gql):
    assert await search(gql, "存在しない語句xyz") == {"totalCount": 0, "nodes": []}


async def test_empty_and_over_long_queries_get_a_clear_error(gql):
    for query, fragment in (("   ", "を空にはできません"), ("あ" * 101, "は100文字までです")):
        errors = await gql.errors(SEARCH, {"query": query})
        assert fragment in errors[0]["message"]
        assert errors[0]["extensions"]["code"] == "INVALID_ARGUMENT"


async def test_like_wildcards_in_the_query_are_taken_literally(gql):
    assert (await search(gql, "防%"))["totalCount"] == 0
    assert (await search(gql, "防_"))["totalCount"] == 0
    assert (await search(gql, "防%災"))["totalCount"] == 0


def key(node):
    return (node["__typename"], node.get("number") or node.get("slug") or node.get("code"))


async def test_kana_in_any_width_finds_what_is_written_in_kanji_title_first(gql):
    written = await search(gql, "防災", first=100)

    for query in ("ぼうさい", "ボウサイ", "ﾎﾞｳｻｲ"):
        result = await search(gql, query, first=100)
        assert result["nodes"][0] == {"__typename": "Theme", "number": 8}, query
        assert {key(n) for n in written["nodes"]} <= {key(n) for n in result["nodes"]}, query


async def test_half_width_kana_finds_a_partner_named_in_kanji(gql):
    for query in ("かんこうよほう", "ｶﾝｺｳﾖﾎｳ"):
        result = await search(gql, query, kinds=["PARTNER"])
        assert [n["slug"] for n in result["nodes"]] == ["kanko-yoho-platform"], query


async def test_kana_finds_a_municipality_and_the_cases_held_there(gql):
    town = await search(gql, "たかいし", kinds=["MUNICIPALITY"])
    cases = await search(gql, "まつやま", kinds=["CASE_STUDY"])

    assert [n["code"] for n in town["nodes"]] == ["272256"]
    assert "hitachi-matsuyama-data-driven-city-planning" in [n["slug"] for n in cases["nodes"]]
