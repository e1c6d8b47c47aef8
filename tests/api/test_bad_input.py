"""Bad input gets a clear GraphQL error with a code, never a fault."""

import base64

import pytest

MEMBERS = '{ alliance(slug: "expo2025") { members(%s) { totalCount } } }'
# Digits that Python's isdigit() or int() take but that are not a number as this API reads one.
UNUSUAL_DIGITS = {
    "superscript": "12345²",
    "Arabic-Indic": "١٢٣٤٥٦",
    "circled": "①②③④⑤⑥",
    "Devanagari": "१२३४५६",
}


def encoded(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    ("arguments", "fragment"),
    [
        ("first: -1", "`first` は0から1000の間で指定してください"),
        ("first: 1001", "`first` は0から1000の間で指定してください"),
        ("last: 100000", "`last` は0から1000の間で指定してください"),
        ('first: 5, after: "not-a-cursor"', "`after` はこの API が発行したカーソルではありません"),
        (f'first: 5, before: "{base64.b64encode(b"cursor:-3").decode()}"', "`before` はこの API が発行したカーソルではありません"),
        ('first: 5, filter: {prefectureCode: "48"}', "都道府県コードは01から47です"),
        ('first: 5, filter: {prefectureCode: "2²"}', "都道府県コードは01から47です"),
        ('first: 5, filter: {prefectureCode: "٢٧"}', "都道府県コードは01から47です"),
        (f'first: 5, after: "{encoded("cursor:²")}"', "`after` はこの API が発行したカーソルではありません"),
        (f'first: 5, after: "{encoded("cursor:" + "9" * 5000)}"', "`after` はこの API が発行したカーソルではありません"),
        (f'first: 5, filter: {{search: "{"x" * 101}"}}', "は100文字までです"),
    ],
)
# Steps aside: an error in Alliance.members, as the test means (graphql-core reports it with its
# path).
@pytest.mark.plan_fallback("field_error")
async def test_bad_page_arguments_are_refused_with_a_reason(gql, arguments, fragment):
    errors = await gql.errors(MEMBERS % arguments)

    assert fragment in errors[0]["message"]
    assert errors[0]["extensions"]["code"] == "INVALID_ARGUMENT"


# Steps aside: an error in Query.alliances, as the test means (graphql-core reports it with its
# path).
@pytest.mark.plan_fallback("field_error")
async def test_other_connections_take_pages_of_at_most_100(gql):
    errors = await gql.errors('{ alliances(first: 101) { totalCount } }')

    assert "`first` は0から100の間で指定してください" in errors[0]["message"]
    assert errors[0]["extensions"]["code"] == "INVALID_ARGUMENT"


async def test_whole_roster_comes_in_one_page(gql):
    data = await gql.data('{ alliance(slug: "expo2025") { members(first: 1000) { totalCount nodes { tier } pageInfo { hasNextPage } } } }')

    members = data["alliance"]["members"]
    assert members["totalCount"] == len(members["nodes"]) == 581
    assert members["pageInfo"]["hasNextPage"] is False


async def test_first_zero_returns_only_the_count(gql):
    data = await gql.data('{ alliance(slug: "expo2025") { members(first: 0) { totalCount edges { cursor } } } }')

    assert data["alliance"]["members"] == {"totalCount": 581, "edges": []}


async def test_no_page_size_defaults_to_twenty(gql):
    data = await gql.data('{ alliance(slug: "expo2025") { members { edges { cursor } pageInfo { hasNextPage } } } }')

    assert len(data["alliance"]["members"]["edges"]) == 20
    assert data["alliance"]["members"]["pageInfo"]["hasNextPage"] is True


async def test_unknown_slugs_return_null(gql):
    data = await gql.data('{ alliance(slug: "nope") { name } caseStudy(slug: "nope") { title } }')

    assert data == {"alliance": None, "caseStudy": None}


async def test_a_type_error_in_the_query_is_a_validation_error(gql):
    errors = await gql.errors("{ theme(number: \"eight\") { title } }")

    assert errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_too_deep_queries_are_refused(gql):
    nested = "memberships { alliance { " * 7 + "slug" + " } }" * 7
    errors = await gql.errors('{ municipality(code: "082082") { %s } }' % nested)

    assert errors[0]["message"] == "オペレーション「anonymous」の入れ子は上限の14段を超えています。"


async def test_too_many_aliases_are_refused(gql):
    aliases = " ".join(f"a{i}: themes {{ number }}" for i in range(40))
    errors = await gql.errors("{ %s }" % aliases)

    assert errors[0]["message"] == "エイリアスが40個あります。上限は30個です。"


@pytest.mark.parametrize("code", UNUSUAL_DIGITS.values(), ids=UNUSUAL_DIGITS.keys())
# Steps aside: an error in Query.municipality, as the test means (graphql-core reports it with its
# path).
@pytest.mark.plan_fallback("field_error")
async def test_a_code_in_unusual_digits_is_refused_with_a_reason(gql, code):
    errors = await gql.errors(
        "query ($code: String!) { municipality(code: $code) { name } }", {"code": code}
    )

    assert errors[0]["message"] == "自治体コードは6桁の数字です（例: 082082）。"
    assert errors[0]["extensions"]["code"] == "INVALID_ARGUMENT"


@pytest.mark.parametrize("code", UNUSUAL_DIGITS.values(), ids=UNUSUAL_DIGITS.keys())
# Steps aside: an error in Query.caseStudies, as the test means (graphql-core reports it with its
# path).
@pytest.mark.plan_fallback("field_error")
async def test_a_filter_code_in_unusual_digits_is_refused_with_a_reason(gql, code):
    errors = await gql.errors(
        "query ($code: String!) { caseStudies(filter: {municipalityCode: $code}) { totalCount } }", {"code": code}
    )

    assert errors[0]["extensions"]["code"] == "INVALID_ARGUMENT"


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_global_id_with_unusual_digits_names_no_object(gql):
    data = await gql.data(
        "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        {"ids": [encoded("Municipality:1²"), encoded("Municipality:١"), encoded("Municipality:" + "1" * 5000)]},
    )

    assert data == {"nodes": [None, None, None]}


@pytest.mark.parametrize("code", UNUSUAL_DIGITS.values(), ids=UNUSUAL_DIGITS.keys())
async def test_a_mutation_naming_a_code_in_unusual_digits_is_refused_on_that_field(sign_in, code):
    admin = await sign_in("ADMIN")

    payload = await admin.mutate(
        """mutation ($input: AddContactInput!) { addContact(input: $input) { userErrors { code field } contact { id } } }""",
        {"input": {"municipalityCode": code, "role": "MAIN", "name": "大阪 花子"}},
    )

    assert payload == {"userErrors": [{"code": "INVALID", "field": ["input", "municipalityCode"]}], "contact": None}


async def test_a_mutation_naming_an_id_with_unusual_digits_is_refused_on_that_field(sign_in):
    staff = await sign_in("MUNICIPALITY", municipality="272256")

    payload = await staff.mutate(
        "mutation ($g: ID!) { joinWorkingGroup(input: {workingGroupId: $g}) { userErrors { code field } } }",
        {"g": encoded("WorkingGroup:1²")},
    )

    assert payload == {"userErrors": [{"code": "NOT_FOUND", "field": ["input", "workingGroupId"]}]}
