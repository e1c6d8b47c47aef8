"""Global IDs: opaque, round-trip through `node`/`nodes`, and refuse what is not one."""

import base64

import pytest


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_node_fetches_each_type_by_its_global_id(gql):
    data = await gql.data(
        """{ alliance(slug: "expo2025") { id workingGroups { id } members(first: 1) { nodes { id } } }
             municipality(code: "082082") { id } theme(number: 1) { id pillar { id } }
             partners(first: 1) { nodes { id offerings { id } } } caseStudies(first: 1) { nodes { id } }
             prefecture(code: "08") { id } }"""
    )
    ids = [
        data["alliance"]["id"],
        data["alliance"]["workingGroups"][0]["id"],
        data["alliance"]["members"]["nodes"][0]["id"],
        data["municipality"]["id"],
        data["theme"]["id"],
        data["theme"]["pillar"]["id"],
        data["partners"]["nodes"][0]["id"],
        data["partners"]["nodes"][0]["offerings"][0]["id"],
        data["caseStudies"]["nodes"][0]["id"],
        data["prefecture"]["id"],
    ]

    fetched = await gql.data("query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }", {"ids": ids})

    assert [n["id"] for n in fetched["nodes"]] == ids
    assert [n["__typename"] for n in fetched["nodes"]] == [
        "Alliance", "WorkingGroup", "Membership", "Municipality", "Theme",
        "Pillar", "Partner", "Offering", "CaseStudy", "Prefecture",
    ]


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_well_formed_id_of_nothing_returns_null(gql):
    missing = base64.b64encode(b"Municipality:999999").decode()

    data = await gql.data("query ($id: ID!) { node(id: $id) { id } }", {"id": missing})

    assert data == {"node": None}


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_malformed_global_ids_get_a_clear_error(gql):
    for bad in ("not base64 at all!", base64.b64encode(b"no-colon").decode()):
        errors = await gql.errors("query ($id: ID!) { node(id: $id) { id } }", {"id": bad})
        assert errors[0]["extensions"]["code"] == "INVALID_ID"
        assert "Unexpected error" not in errors[0]["message"]


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_an_id_naming_an_unknown_type_is_refused_without_a_fault(gql):
    unknown = base64.b64encode(b"Secret:1").decode()

    errors = await gql.errors("query ($id: ID!) { node(id: $id) { id } }", {"id": unknown})

    assert errors[0]["extensions"]["code"] == "INVALID_ID"
    assert "Secret" in errors[0]["message"]


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_nodes_takes_at_most_100_ids(gql):
    ids = [base64.b64encode(f"Theme:{i}".encode()).decode() for i in range(101)]

    errors = await gql.errors("query ($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids})

    assert errors[0]["message"] == "`ids` に指定できる ID は100件までです（101件が指定されました）。"
