"""`search(query:)` finds Japanese substrings across the catalogue, folding notation variants."""

import pytest

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


SEARCH_EDGES = """
query ($query: String!, $kinds: [SearchKind!], $first: Int) {
  search(query: $query, kinds: $kinds, first: $first) {
    totalCount
    edges {
      matchedBy
      matchedTerms
      node {
        __typename
        ... on Municipality { code }
        ... on Theme { number }
        ... on Partner { slug }
        ... on Offering { slug }
        ... on CaseStudy { slug }
      }
    }
  }
}
"""


async def search(gql, query, kinds=None, first=20):
    data = await gql.data(SEARCH, {"query": query, "kinds": kinds, "first": first})
    return data["search"]


async def search_edges(gql, query, kinds=None, first=20):
    data = await gql.data(SEARCH_EDGES, {"query": query, "kinds": kinds, "first": first})
    return data["search"]


# Steps aside: `search` returns the SearchResult union (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_two_character_japanese_word_finds_the_theme_first(gql):
    result = await search(gql, "防災")

    assert result["nodes"][0] == {"__typename": "Theme", "number": 8}
    assert result["totalCount"] > 1
    assert {"CaseStudy"} <= {n["__typename"] for n in result["nodes"]}


# Steps aside: `search` returns the SearchResult union (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_notation_variants_and_kana_find_the_same_municipality(gql):
    for query in ("龍ヶ崎", "龍ケ崎", "りゅうがさき", "ﾘｭｳｶﾞｻｷ", "Ryugasaki"):
        result = await search(gql, query, kinds=["MUNICIPALITY"])
        assert [n["code"] for n in result["nodes"]] == ["082082"], query


# Steps aside: `search` returns the SearchResult union (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_substring_inside_a_long_text_is_found(gql):
    result = await search(gql, "ワーケーション", kinds=["CASE_STUDY"])

    assert "shirahama-workation-innovation-hub" in [n["slug"] for n in result["nodes"]]


# Steps aside: `search` returns the SearchResult union (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_kinds_restrict_the_results(gql):
    result = await search(gql, "DX", kinds=["OFFERING", "PARTNER"], first=100)

    assert result["nodes"]
    assert {n["__typename"] for n in result["nodes"]} <= {"Offering", "Partner"}


# Steps aside: `search` returns the SearchResult union (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_nothing_found_is_an_empty_connection(gql):
    assert await search(gql, "存在しない語句xyz") == {"totalCount": 0, "nodes": []}


# Steps aside: `search` returns the SearchResult union (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_empty_and_over_long_queries_get_a_clear_error(gql):
    for query, fragment in (("   ", "を空にはできません"), ("あ" * 101, "は100文字までです")):
        errors = await gql.errors(SEARCH, {"query": query})
        assert fragment in errors[0]["message"]
        assert errors[0]["extensions"]["code"] == "INVALID_ARGUMENT"


# Steps aside: `search` returns the SearchResult union (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_like_wildcards_in_the_query_are_taken_literally(gql):
    assert (await search(gql, "防%"))["totalCount"] == 0
    assert (await search(gql, "防_"))["totalCount"] == 0
    assert (await search(gql, "防%災"))["totalCount"] == 0


def key(node):
    return (node["__typename"], node.get("number") or node.get("slug") or node.get("code"))


# Steps aside: `search` returns the SearchResult union (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_kana_in_any_width_finds_what_is_written_in_kanji_title_first(gql):
    written = await search_edges(gql, "防災", first=100)
    containing = [e["node"] for e in written["edges"] if not e["matchedBy"].startswith("RELATED")]

    for query in ("ぼうさい", "ボウサイ", "ﾎﾞｳｻｲ"):
        result = await search(gql, query, first=100)
        assert result["nodes"][0] == {"__typename": "Theme", "number": 8}, query
        assert {key(n) for n in containing} <= {key(n) for n in result["nodes"]}, query


# Steps aside: `search` returns the SearchResult union (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_half_width_kana_finds_a_partner_named_in_kanji(gql):
    for query in ("かんこうよほう", "ｶﾝｺｳﾖﾎｳ"):
        result = await search(gql, query, kinds=["PARTNER"])
        assert [n["slug"] for n in result["nodes"]] == ["kanko-yoho-platform"], query


# Steps aside: `search` returns the SearchResult union (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_kana_finds_a_municipality_and_the_cases_held_there(gql):
    town = await search(gql, "たかいし", kinds=["MUNICIPALITY"])
    cases = await search(gql, "まつやま", kinds=["CASE_STUDY"])

    assert [n["code"] for n in town["nodes"]] == ["272256"]
    assert "hitachi-matsuyama-data-driven-city-planning" in [n["slug"] for n in cases["nodes"]]


MATCH_ORDER = ["EXACT_NAME", "NAME", "RELATED_NAME", "TEXT", "RELATED_TEXT"]


def keys(result):
    return [key(edge["node"]) for edge in result["edges"]]


# Steps aside: `search` returns the SearchResult union (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_separators_fold_so_a_theme_written_with_a_middle_dot_is_found(gql):
    for query in ("カーボンニュートラル", "カーボン・ニュートラル", "ｶｰﾎﾞﾝ･ﾆｭｰﾄﾗﾙ", "カ-ボン ニュ-トラル"):
        result = await search_edges(gql, query)
        assert ("Theme", 7) in keys(result)[:3], query
        assert ("Offering", "sompo-carbon-neutral-services-insurance") in keys(result), query


# Steps aside: `search` returns the SearchResult union (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_the_long_vowel_mark_still_separates_nothing_inside_katakana_words(gql):
    assert keys(await search_edges(gql, "ワーケーション", kinds=["CASE_STUDY"]))[0] == (
        "CaseStudy", "shirahama-workation-innovation-hub"
    )
    assert (await search(gql, "ワケション"))["totalCount"] == 0


# Steps aside: `search` returns the SearchResult union (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_variant_kanji_of_place_names_find_the_official_name(gql):
    for query, code in (("竜ケ崎", "082082"), ("竜ヶ崎市", "082082"), ("四条畷", "272299"),
                        ("桧原村", "133078"), ("飛驒市", "212172"), ("塩竃市", "042030")):
        result = await search(gql, query, kinds=["MUNICIPALITY"])
        assert [n["code"] for n in result["nodes"]] == [code], query


# Steps aside: `search` returns the SearchResult union (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_concept_finds_related_records_and_says_which_term_matched(gql):
    result = await search_edges(gql, "脱炭素", first=50)
    edges = {key(edge["node"]): edge for edge in result["edges"]}

    theme = edges[("Theme", 7)]
    assert theme["matchedBy"] == "RELATED_NAME"
    assert "カーボンニュートラル" in theme["matchedTerms"]
    assert ("Offering", "sompo-carbon-neutral-services-insurance") in edges
    direct = edges[("CaseStudy", "tohoku-electric-aizuwakamatsu-smart-community")]
    assert direct["matchedBy"] == "NAME" and "脱炭素" in direct["matchedTerms"]
    order = [edge["matchedBy"] for edge in result["edges"]]
    assert order == sorted(order, key=MATCH_ORDER.index), "ranked by how they matched"


# Steps aside: `search` returns the SearchResult union (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_short_latin_word_matches_whole_words_not_romaji_inside_names(gql):
    result = await search_edges(gql, "EV", first=50)

    assert keys(result) == [("CaseStudy", "idemitsu-micro-ev-car-sharing")]
    assert (await search(gql, "EV", kinds=["MUNICIPALITY"]))["totalCount"] == 0
    typed_so_far = await search(gql, "Ryuga", kinds=["MUNICIPALITY"])
    assert [n["code"] for n in typed_so_far["nodes"]] == ["082082"], "a longer word matches from its start"


# Steps aside: `search` returns the SearchResult union (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_an_exact_name_comes_first_and_says_so(gql):
    result = await search_edges(gql, "高石市")

    assert result["edges"][0]["node"] == {"__typename": "Municipality", "code": "272256"}
    assert result["edges"][0]["matchedBy"] == "EXACT_NAME"
    assert result["edges"][0]["matchedTerms"] == ["高石市"]


# Steps aside: `search` returns the SearchResult union (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_query_of_separators_only_gets_a_clear_error(gql):
    errors = await gql.errors(SEARCH, {"query": "・ ･ -　「」"})
    assert "nothing to look for" in errors[0]["message"]
    assert errors[0]["extensions"]["code"] == "INVALID_ARGUMENT"
