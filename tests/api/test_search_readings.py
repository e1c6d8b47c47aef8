"""Text in kanji is found by its reading in kana, place names read as they are said."""

import pytest

from tests.api.test_offerings import CREATE_OFFERING, offering_input

SEARCH = """
query ($query: String!) {
  search(query: $query, kinds: [OFFERING]) { nodes { ... on Offering { title } } }
}
"""
TITLE = "倶知安町と龍ケ崎市、霞ヶ浦の水辺の防災訓練"


@pytest.mark.parametrize("query", ["くっちゃんちょう", "りゅうがさきし", "かすみがうら", "ﾐｽﾞﾍﾞﾉﾎﾞｳｻｲ"])
# Steps aside: `search` returns the SearchResult union (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_query_in_kana_finds_an_offering_written_in_kanji(gql, sign_in, query):
    partner = await sign_in("PARTNER", partner="sompo-holdings")
    await partner.accepted(CREATE_OFFERING, {"input": offering_input(title=TITLE)})

    found = await gql.data(SEARCH, {"query": query})

    assert found["search"]["nodes"] == [{"title": TITLE}]
