"""Bad input gets a clear GraphQL error with a code, never a fault."""

import base64

import pytest

MEMBERS = '{ alliance(slug: "expo2025") { members(%s) { totalCount } } }'


@pytest.mark.parametrize(
    ("arguments", "fragment"),
    [
        ("first: -1", "`first` must be between 0 and 1000"),
        ("first: 1001", "`first` must be between 0 and 1000"),
        ("last: 100000", "`last` must be between 0 and 1000"),
        ('first: 5, after: "not-a-cursor"', "`after` is not a cursor"),
        (f'first: 5, before: "{base64.b64encode(b"cursor:-3").decode()}"', "`before` is not a cursor"),
        ('first: 5, filter: {prefectureCode: "48"}', "prefecture code is 01 to 47"),
        (f'first: 5, filter: {{search: "{"x" * 101}"}}', "limited to 100 characters"),
    ],
)
async def test_bad_page_arguments_are_refused_with_a_reason(gql, arguments, fragment):
    errors = await gql.errors(MEMBERS % arguments)

    assert fragment in errors[0]["message"]
    assert errors[0]["extensions"]["code"] == "INVALID_ARGUMENT"


async def test_other_connections_take_pages_of_at_most_100(gql):
    errors = await gql.errors('{ alliances(first: 101) { totalCount } }')

    assert "`first` must be between 0 and 100," in errors[0]["message"]
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

    assert "exceeds maximum operation depth" in errors[0]["message"]


async def test_too_many_aliases_are_refused(gql):
    aliases = " ".join(f"a{i}: themes {{ number }}" for i in range(40))
    errors = await gql.errors("{ %s }" % aliases)

    assert "aliases" in errors[0]["message"]
