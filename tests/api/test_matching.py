"""Matching on the seed data: sensible recommendations, each with a score and readable reasons."""

import datetime as dt

from resolvers.calendar import today as japan_today
from tests.api.test_government_pitch import CREATE, PUBLISH, challenge_input

RECOMMENDED = """
query($id: ID!) {
  node(id: $id) { ... on Challenge {
    recommendedOfferings(first: 5) {
      score reasons { kind weight message } offering { title themes { number } } partner { slug }
    }
  } }
}"""
PEERS = """
query($code: String!, $theme: Int) {
  municipality(code: $code) {
    peers(themeNumber: $theme, first: 50) {
      score reasons { kind weight message } municipality { code prefecture { code } }
    }
  }
}"""
SOMA, MURORAN, MOTEGI, TAKAISHI = "072095", "012050", "093432", "272256"
DISASTER = 8
TOHOKU_AND_KANTO = {f"{n:02d}" for n in range(2, 15)}


def disaster_challenge(title: str) -> dict:
    return challenge_input(
        title=title,
        background="沿岸部で津波や地震による災害が想定され、防災と避難の体制づくりが急務となっている。",
        desiredOutcome="災害時の避難を支援し、防災意識を高める。",
        themeNumbers=[DISASTER],
        deadline=(japan_today() + dt.timedelta(days=30)).isoformat(),
    )


async def publish(sign_in, code: str, title: str) -> str:
    city = await sign_in("MUNICIPALITY", municipality=code)
    id = (await city.accepted(CREATE, {"input": disaster_challenge(title)}))["challenge"]["id"]
    await city.accepted(PUBLISH, {"id": id})
    return id


async def test_a_coastal_disaster_challenge_ranks_disaster_offerings_first(gql, sign_in):
    id = await publish(sign_in, SOMA, "津波からの避難と防災")

    matches = (await gql.data(RECOMMENDED, {"id": id}))["node"]["recommendedOfferings"]

    assert len(matches) == 5
    assert all(DISASTER in [t["number"] for t in m["offering"]["themes"]] for m in matches[:3])
    assert [m["score"] for m in matches] == sorted((m["score"] for m in matches), reverse=True)
    for match in matches:
        assert match["reasons"], "every recommendation says why"
        assert abs(sum(r["weight"] for r in match["reasons"]) - match["score"]) < 0.01
    assert "SHARED_THEMES" in [r["kind"] for r in matches[0]["reasons"]]


async def test_disaster_peers_are_far_enough_away_to_help(gql, sign_in):
    await publish(sign_in, SOMA, "津波からの避難と防災")
    await publish(sign_in, MURORAN, "地震と津波に備える避難体制")
    await publish(sign_in, MOTEGI, "豪雨災害の避難と防災")

    peers = (await gql.data(PEERS, {"code": SOMA, "theme": DISASTER}))["municipality"]["peers"]

    codes = [p["municipality"]["code"] for p in peers]
    assert codes[0] == MURORAN, "the far peer with a similar challenge comes first"
    assert MOTEGI not in codes, "Tochigi is too close to Fukushima to help in the same disaster"
    assert all(p["municipality"]["prefecture"]["code"] not in {"07", "04", "06", "09"} for p in peers)
    first = {r["kind"]: r["message"] for r in peers[0]["reasons"]}
    assert set(first) == {"MUTUAL_AID_DISTANCE", "SHARED_THEMES", "SIMILAR_TEXT"}
    assert "km away (Fukushima – Hokkaido)" in first["MUTUAL_AID_DISTANCE"]


async def test_peers_on_other_themes_are_not_limited_by_distance(gql, sign_in):
    await publish(sign_in, SOMA, "津波からの避難と防災")
    await publish(sign_in, MOTEGI, "豪雨災害の避難と防災")

    peers = (await gql.data(PEERS, {"code": SOMA, "theme": None}))["municipality"]["peers"]

    assert peers[0]["municipality"]["code"] == MOTEGI
    assert "MUTUAL_AID_DISTANCE" not in [r["kind"] for p in peers for r in p["reasons"]]


async def test_recommendations_are_bounded(gql, sign_in):
    errors = await gql.errors(PEERS.replace("first: 50", "first: 500"), {"code": SOMA, "theme": None})
    assert errors[0]["extensions"]["code"] == "INVALID_ARGUMENT"
