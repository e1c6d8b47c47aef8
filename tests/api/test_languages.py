"""The API answers in the caller's language: Accept-Language, then the saved preference, then
Japanese; `Content-Language` says which. Codes never change with it."""

import pytest

from tests.api.test_government_pitch import CREATE as CREATE_CHALLENGE
from tests.api.test_government_pitch import challenge_input
from tests.conftest import GraphQLClient

APPLY = """
mutation { applyForMembership(input: {allianceSlug: "expo2025", tier: FULL}) {
  userErrors { code message } } }"""
PREFER = """
mutation($language: Language) { updateMyPreferences(input: {language: $language}) {
  language userErrors { code message } } }"""
VIEWER = "{ viewer { language } }"
THEMES = "{ themes { number title } }"
END_TERM = """
mutation($input: EndOfficerTermInput!) { endOfficerTerm(input: $input) { userErrors { code field message } } }"""
TAKAISHI = "272256"  # a full member of expo2025: applying again is refused, naming the city

JAPANESE = "高石市はこの連合ですでに「活動中」です。"
ENGLISH = "Takaishi City is already Active in this alliance."


async def post(client: GraphQLClient, query: str, accept_language: str | None = None, variables: dict | None = None):
    headers = dict(client.headers)
    if accept_language is not None:
        headers["Accept-Language"] = accept_language
    return await client.http.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)


def refusal(response) -> tuple[str, str]:
    (error,) = response.json()["data"]["applyForMembership"]["userErrors"]
    return error["code"], error["message"]


@pytest.mark.parametrize(
    ("accept_language", "message", "language"),
    [
        ("en", ENGLISH, "en"),
        ("ja", JAPANESE, "ja"),
        ("en-US,en;q=0.9,ja;q=0.8", ENGLISH, "en"),
        ("ja-JP,ja;q=0.9,en;q=0.8", JAPANESE, "ja"),
        ("fr-FR,fr;q=0.9", JAPANESE, "ja"),
        (None, JAPANESE, "ja"),
    ],
)
async def test_a_refusal_is_in_the_language_asked_for(sign_in, accept_language, message, language):
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)

    response = await post(staff, APPLY, accept_language)

    assert refusal(response) == ("ALREADY_MEMBER", message)
    assert response.headers["content-language"] == language


async def test_a_saved_preference_applies_when_no_header_names_a_language(sign_in):
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)

    saved = (await post(staff, PREFER, variables={"language": "EN"})).json()["data"]["updateMyPreferences"]
    without_header = await post(staff, APPLY)
    asking_japanese = await post(staff, APPLY, "ja")
    viewer = (await post(staff, VIEWER)).json()["data"]["viewer"]

    assert saved == {"language": "EN", "userErrors": []}
    assert viewer == {"language": "EN"}
    assert refusal(without_header) == ("ALREADY_MEMBER", ENGLISH)
    assert without_header.headers["content-language"] == "en"
    assert refusal(asking_japanese) == ("ALREADY_MEMBER", JAPANESE)
    assert asking_japanese.headers["content-language"] == "ja"


async def test_clearing_the_preference_returns_to_japanese(sign_in):
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    await post(staff, PREFER, variables={"language": "EN"})

    cleared = (await post(staff, PREFER, variables={"language": None})).json()["data"]["updateMyPreferences"]

    assert cleared == {"language": None, "userErrors": []}
    assert refusal(await post(staff, APPLY)) == ("ALREADY_MEMBER", JAPANESE)


async def test_anonymous_callers_cannot_save_a_preference(gql):
    refused = (await post(gql, PREFER, "en", {"language": "EN"})).json()["data"]["updateMyPreferences"]

    assert refused == {
        "language": None,
        "userErrors": [{"code": "UNAUTHENTICATED", "message": "Sign in: send `Authorization: Bearer <token>`."}],
    }


# Steps aside: an error in Query.municipalities, as the test means (graphql-core reports it with
# its path).
@pytest.mark.plan_fallback("field_error")
async def test_top_level_errors_and_masked_faults_are_in_the_language_asked_for(gql):
    query = '{ municipalities(first: 5000) { totalCount } }'

    japanese = await post(gql, query, "ja")
    english = await post(gql, query, "en")

    assert japanese.json()["errors"][0]["message"] == "`first` は0から100の間で指定してください（指定値: 5000）。"
    assert english.json()["errors"][0]["message"] == "`first` must be between 0 and 100, got 5000."
    assert (japanese.headers["content-language"], english.headers["content-language"]) == ("ja", "en")


async def test_the_http_edge_answers_in_the_language_asked_for(client):
    japanese = await client.post("/graphql", content=b"[1]", headers={"Content-Type": "application/json"})
    english = await client.post(
        "/graphql", content=b"[1]", headers={"Content-Type": "application/json", "Accept-Language": "en"}
    )
    bad_token = await client.post(
        "/graphql", json={"query": "{ viewer { name } }"}, headers={"Authorization": "Basic x", "Accept-Language": "en"}
    )

    assert japanese.status_code == english.status_code == 400
    assert japanese.json()["errors"][0]["message"] == "一括リクエストには対応していません。1回のリクエストで1つのオペレーションを送ってください。"
    assert english.json()["errors"][0]["message"] == "Batched requests are not supported: send one operation per request."
    assert (japanese.headers["content-language"], english.headers["content-language"]) == ("ja", "en")
    assert bad_token.status_code == 401
    assert bad_token.json()["errors"][0]["message"].startswith("The Authorization header must be")
    assert bad_token.headers["content-language"] == "en"


async def test_the_response_cache_keeps_an_answer_per_language(gql):
    first_japanese = await post(gql, THEMES, "ja")
    first_english = await post(gql, THEMES, "en")
    japanese_again = await post(gql, THEMES, "ja")
    english_again = await post(gql, THEMES, "en-GB")

    assert [r.headers["x-cache"] for r in (first_japanese, first_english, japanese_again, english_again)] == [
        "MISS",
        "MISS",
        "HIT",
        "HIT",
    ]
    assert [r.headers["content-language"] for r in (japanese_again, english_again)] == ["ja", "en"]


async def test_a_limit_kept_by_the_validation_cache_is_told_to_each_caller_in_their_language(gql):
    too_deep = '{ municipality(code: "082082") { %s } }' % ("memberships { alliance { " * 7 + "slug" + " } }" * 7)
    aliases = "{ %s }" % " ".join(f"a{i}: themes {{ number }}" for i in range(40))

    deep = [(await post(gql, too_deep, language)).json()["errors"][0]["message"] for language in ("ja", "en", "ja")]
    aliased = [(await post(gql, aliases, language)).json()["errors"][0]["message"] for language in ("en", "ja")]

    assert deep == [
        "オペレーション「anonymous」の入れ子は上限の14段を超えています。",
        "The operation “anonymous” nests deeper than the limit of 14 levels.",
        "オペレーション「anonymous」の入れ子は上限の14段を超えています。",
    ]
    assert aliased == ["40 aliases found; at most 30 are allowed.", "エイリアスが40個あります。上限は30個です。"]


async def test_graphql_validation_errors_stay_in_english_for_programmers(gql):
    response = await post(gql, "{ nosuchfield }", "ja")

    assert response.json()["errors"][0]["message"].startswith("Cannot query field 'nosuchfield'")
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


@pytest.mark.parametrize(
    ("accept_language", "missing", "unknown_officer"),
    [
        ("ja", "地域課題の「求める成果」を入力してください。", "指定された役員が見つかりません。"),
        ("en", "Enter the challenge's desired outcome.", "The officer given was not found."),
    ],
)
async def test_refusals_name_fields_and_records_in_words_not_api_names(sign_in, accept_language, missing, unknown_officer):
    city = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    admin = await sign_in("ADMIN")

    draft = await post(city, CREATE_CHALLENGE, accept_language, {"input": challenge_input(desiredOutcome=" ")})
    ended = await post(admin, END_TERM, accept_language, {"input": {"officerId": "T2ZmaWNlcjo5OTk5"}})

    (error,) = draft.json()["data"]["createChallenge"]["userErrors"]
    assert (error["field"], error["message"]) == (["input", "desiredOutcome"], missing)
    (error,) = ended.json()["data"]["endOfficerTerm"]["userErrors"]
    assert (error["code"], error["message"]) == ("NOT_FOUND", unknown_officer)
