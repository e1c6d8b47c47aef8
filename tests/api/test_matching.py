"""Matching on the seed data: sensible recommendations, each with a score and readable reasons."""

import datetime as dt

import pytest

from resolvers.calendar import today as japan_today
from tests.api.test_government_pitch import CREATE, PUBLISH, SELECT, SUBMIT, challenge_input
from tests.api.test_offerings import REQUEST, RESPOND, offering_id

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
AOMORI, AIZUWAKAMATSU, NIIGATA, SHIZUOKA = "022012", "072028", "151009", "221007"
DISASTER = 8
TOHOKU = {f"{n:02d}" for n in range(2, 8)}


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


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
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
    assert "（福島県–北海道）" in first["MUTUAL_AID_DISTANCE"], "Japanese unless English is asked for"
    assert "（東北地方–北海道地方）" in first["MUTUAL_AID_DISTANCE"]


async def test_match_reasons_read_in_english_with_english_names(gql, sign_in):
    await publish(sign_in, SOMA, "津波からの避難と防災")
    await publish(sign_in, MURORAN, "地震と津波に備える避難体制")

    peers = (await gql.reading("en").data(PEERS, {"code": SOMA, "theme": DISASTER}))["municipality"]["peers"]

    reasons = {r["kind"]: r["message"] for r in peers[0]["reasons"]}
    assert "km away (Fukushima – Hokkaido)" in reasons["MUTUAL_AID_DISTANCE"]
    assert "another region (Tohoku – Hokkaido)" in reasons["MUTUAL_AID_DISTANCE"]
    assert reasons["SHARED_THEMES"] == "Works on the same theme: Disaster prevention."
    assert reasons["SIMILAR_TEXT"].startswith("Its public challenges are ")


async def test_disaster_peers_are_in_another_region_as_well_as_far_away(gql, sign_in):
    for code, title in ((AOMORI, "津波と地震への備え"), (SOMA, "津波からの避難と防災"), (AIZUWAKAMATSU, "地震災害の避難と防災")):
        await publish(sign_in, code, title)

    peers = (await gql.reading("en").data(PEERS, {"code": AOMORI, "theme": DISASTER}))["municipality"]["peers"]

    assert peers, "Aomori has peers outside Tohoku"
    assert not [p["municipality"]["code"] for p in peers if p["municipality"]["prefecture"]["code"] in TOHOKU], (
        "Fukushima is 343 km from Aomori, but the 2011 earthquake struck both: Tohoku cannot help Tohoku"
    )
    for peer in peers:
        (reason,) = [r["message"] for r in peer["reasons"] if r["kind"] == "MUTUAL_AID_DISTANCE"]
        assert "km away (Aomori – " in reason
        assert "another region (Tohoku – " in reason
        assert "another prefecture" in reason


async def test_a_disaster_peer_across_a_region_border_must_still_be_far(gql, sign_in):
    for code, title in ((NIIGATA, "地震と津波に備える避難体制"), (AOMORI, "津波と地震への備え"),
                        (AIZUWAKAMATSU, "地震災害の避難と防災"), (SHIZUOKA, "地震と津波に備える防災")):
        await publish(sign_in, code, title)

    peers = (await gql.reading("en").data(PEERS, {"code": NIIGATA, "theme": DISASTER}))["municipality"]["peers"]

    codes = [p["municipality"]["code"] for p in peers]
    assert AOMORI in codes, "Tohoku, 357 km away, may help Niigata (Chubu)"
    assert AIZUWAKAMATSU not in codes, "Tohoku too, but only 128 km away"
    assert SHIZUOKA not in codes, "330 km away, but in Chubu like Niigata"
    (aomori,) = [p for p in peers if p["municipality"]["code"] == AOMORI]
    reason = next(r["message"] for r in aomori["reasons"] if r["kind"] == "MUTUAL_AID_DISTANCE")
    assert reason.startswith("About 357 km away (Niigata – Aomori), in another prefecture and another region "
                             "(Chubu – Tohoku)")


async def test_peers_on_other_themes_are_not_limited_by_distance(gql, sign_in):
    await publish(sign_in, SOMA, "津波からの避難と防災")
    await publish(sign_in, MOTEGI, "豪雨災害の避難と防災")

    peers = (await gql.data(PEERS, {"code": SOMA, "theme": None}))["municipality"]["peers"]

    assert peers[0]["municipality"]["code"] == MOTEGI
    assert "MUTUAL_AID_DISTANCE" not in [r["kind"] for p in peers for r in p["reasons"]]


# Steps aside: an error in Municipality.peers, as the test means (graphql-core reports it with its
# path).
@pytest.mark.plan_fallback("field_error")
async def test_recommendations_are_bounded(gql, sign_in):
    errors = await gql.errors(PEERS.replace("first: 50", "first: 500"), {"code": SOMA, "theme": None})
    assert errors[0]["extensions"]["code"] == "INVALID_ARGUMENT"


# --- what a score may know --------------------------------------------------------------------

MATCHING_ANSWERS = """
query($code: String!) {
  challenges(first: 5) { nodes { id recommendedOfferings(first: 50) {
    score reasons { kind weight message } offering { slug } } } }
  municipality(code: $code) {
    peers(first: 50) { score reasons { kind weight message } municipality { code } }
    disasterPeers: peers(themeNumber: 8, first: 50) { score reasons { kind weight message } municipality { code } }
  }
}"""
OWN_RECORD = """
query($id: ID!) {
  node(id: $id) { ... on Challenge { recommendedOfferings(first: 50) {
    reasons { kind message } partner { slug } } } }
}"""
SOMPO, MORI, SOMPO_OFFERING = "sompo-holdings", "mori-building", "sompo-waste-to-energy-smart-city"


async def private_acts(sign_in, challenge: str) -> None:
    """SOMPO proposes for the challenge and is selected; Takaishi asks for one of SOMPO's
    offerings, which SOMPO accepts and delivers: all of it private to the two parties."""
    sompo = await sign_in("PARTNER", partner=SOMPO)
    proposal = await sompo.accepted(SUBMIT, {"id": challenge, "title": "津波からの避難と防災の支援"})
    soma = await sign_in("MUNICIPALITY", municipality=SOMA)
    await soma.accepted(SELECT, {"id": proposal["proposal"]["id"]})
    takaishi = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    asked = await takaishi.accepted(REQUEST, {"id": await offering_id(takaishi, SOMPO, SOMPO_OFFERING)})
    for response in ("ACCEPT", "COMPLETE"):
        await sompo.accepted(RESPOND, {"id": asked["offeringRequest"]["id"], "response": response})


async def test_private_acts_change_no_matching_answer_for_outsiders(gql, sign_in):
    challenge = await publish(sign_in, SOMA, "津波からの避難と防災")
    competitor = await sign_in("PARTNER", partner=MORI)
    outsiders = {"anonymous": gql, "competing partner": competitor}
    before = {who: {code: await caller.data(MATCHING_ANSWERS, {"code": code}) for code in (SOMA, TAKAISHI)}
              for who, caller in outsiders.items()}

    await private_acts(sign_in, challenge)

    for who, caller in outsiders.items():
        for code in (SOMA, TAKAISHI):
            assert await caller.data(MATCHING_ANSWERS, {"code": code}) == before[who][code], who


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_partner_sees_its_own_record_in_its_scores(sign_in):
    challenge = await publish(sign_in, SOMA, "津波からの避難と防災")
    await private_acts(sign_in, challenge)
    other = await publish(sign_in, MURORAN, "地震と津波に備える避難体制")
    sompo = await sign_in("PARTNER", partner=SOMPO)

    matches = (await sompo.data(OWN_RECORD, {"id": other}))["node"]["recommendedOfferings"]
    in_english = (await sompo.reading("en").data(OWN_RECORD, {"id": other}))["node"]["recommendedOfferings"]

    reasons = {r["kind"]: r["message"] for m in matches if m["partner"]["slug"] == SOMPO for r in m["reasons"]}
    assert "採択された提案が1件、完了した依頼が1件" in reasons["TRACK_RECORD"]
    assert reasons["SIMILAR_PAST_PROPOSALS"].startswith("SOMPOホールディングス株式会社は")
    reasons = {r["kind"]: r["message"] for m in in_english if m["partner"]["slug"] == SOMPO for r in m["reasons"]}
    assert "1 selected proposal(s) and 1 completed offering request(s)" in reasons["TRACK_RECORD"]
    assert reasons["SIMILAR_PAST_PROPOSALS"].startswith("Sompo Holdings")


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_challenge_is_not_its_own_similar_past_challenge(sign_in):
    challenge = await publish(sign_in, SOMA, "津波からの避難と防災")
    await private_acts(sign_in, challenge)
    admin = await sign_in("ADMIN")

    matches = (await admin.data(OWN_RECORD, {"id": challenge}))["node"]["recommendedOfferings"]

    kinds = {r["kind"] for m in matches if m["partner"]["slug"] == SOMPO for r in m["reasons"]}
    assert "TRACK_RECORD" in kinds
    assert "SIMILAR_PAST_PROPOSALS" not in kinds
