"""Who still uses deprecated parts of the schema.

The live schema deprecates nothing yet, and inventing a deprecation only to test the recorder would
put a false promise into the public contract. So a small schema of this test, with a deprecated
field, argument and enum value, is served through the real endpoint (tokens, context, recorder,
database); the record is then read back through the real schema, as the secretariat would.
"""

from enum import Enum
from typing import Annotated

import httpx
import pytest
import strawberry

from models import ApiToken, DeprecatedUsage
from resolvers.accounts import digest
from schema.contract.extensions import DeprecatedUsageRecorder, SchemaVersion
from server import create_app
from tests.conftest import GraphQLClient

REMOVAL = "Use description instead; removal on 2027-03-01"


@strawberry.enum(description="Sizes.")
class Size(Enum):
    SMALL = strawberry.enum_value("SMALL", description="Small.")
    TINY = strawberry.enum_value("TINY", description="Tiny.", deprecation_reason="Use SMALL instead; removal on 2027-03-01")


@strawberry.type(description="A theme of the test schema.")
class Theme:
    description: str = strawberry.field(description="What it is about.")
    summary: str = strawberry.field(description="The old name of description.", deprecation_reason=REMOVAL)


@strawberry.type(description="The test schema's root.")
class Query:
    @strawberry.field(description="One theme.")
    def theme(
        self,
        size: Annotated[Size | None, strawberry.argument(description="How big.")] = None,
        lang: Annotated[
            str | None,
            strawberry.argument(description="Ignored.", deprecation_reason="Ask for both; removal on 2027-03-01"),
        ] = None,
    ) -> Theme:
        return Theme(description="防災", summary="防災")


TEST_SCHEMA = strawberry.Schema(query=Query, extensions=[SchemaVersion, DeprecatedUsageRecorder])
USAGE = """query($coordinate: String) {
  deprecatedUsage(filter: {coordinate: $coordinate}) {
    totalCount nodes { coordinate count anonymous firstSeenAt lastSeenAt token { hint user { name role } } }
  }
}"""

BY_USER = "query($userId: Int) { deprecatedUsage(filter: {userId: $userId}) { totalCount } }"


@pytest.fixture
async def legacy(settings):
    """The test schema served by the real app."""
    app = create_app(settings, manage_database=False, schema=TEST_SCHEMA)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as http:
        yield http


async def test_deprecated_fields_arguments_and_enum_values_are_counted_per_caller(legacy, sign_in):
    partner = await sign_in("PARTNER", partner="sompo-holdings")
    admin = await sign_in("ADMIN")
    as_partner = GraphQLClient(legacy, partner.token)

    await as_partner.data('{ theme(size: TINY, lang: "ja") { summary description } }')
    await as_partner.data("query Old { theme { summary } }")
    await GraphQLClient(legacy).data("{ theme { summary } }")
    await as_partner.data("{ theme(size: SMALL) { description } }")

    usage = (await admin.data(USAGE))["deprecatedUsage"]
    rows = [(u["coordinate"], u["count"], u["anonymous"], (u["token"] or {}).get("user")) for u in usage["nodes"]]
    partner_user = {"name": "Partner test user", "role": "PARTNER"}
    assert sorted(rows, key=lambda r: (r[0], r[2])) == [
        ("Query.theme(lang:)", 1, False, partner_user),
        ("Size.TINY", 1, False, partner_user),
        ("Theme.summary", 2, False, partner_user),
        ("Theme.summary", 1, True, None),
    ]
    assert await DeprecatedUsage.filter(coordinate="Theme.summary").count() == 2


async def test_the_record_is_filtered_by_coordinate_and_keeps_first_and_last_use(legacy, sign_in):
    partner = await sign_in("PARTNER", partner="sompo-holdings")
    admin = await sign_in("ADMIN")
    for _ in range(3):
        await GraphQLClient(legacy, partner.token).data("{ theme { summary } }")

    usage = (await admin.data(USAGE, {"coordinate": "Theme.summary"}))["deprecatedUsage"]

    (row,) = usage["nodes"]
    assert row["count"] == 3 and row["firstSeenAt"] < row["lastSeenAt"]
    assert (await admin.data(USAGE, {"coordinate": "Size.TINY"}))["deprecatedUsage"]["totalCount"] == 0
    token = await ApiToken.get(digest=digest(partner.token))
    for user_id, expected in ((token.user_id, 1), (token.user_id + 1, 0)):
        by_user = await admin.data(BY_USER, {"userId": user_id})
        assert by_user["deprecatedUsage"]["totalCount"] == expected


async def test_an_operation_that_does_not_validate_is_not_counted(legacy):
    errors = await GraphQLClient(legacy).errors("{ theme { summary nope } }")

    assert errors and not await DeprecatedUsage.exists()


async def test_the_live_schema_records_nothing_for_fields_that_are_not_deprecated(gql):
    await gql.data("{ themes { number title summary } }")

    assert not await DeprecatedUsage.exists()


# Steps aside: an error in Query.deprecatedUsage, as the test means (graphql-core reports it with
# its path).
@pytest.mark.plan_fallback("field_error")
async def test_only_the_secretariat_reads_the_record(sign_in, gql):
    partner = await sign_in("PARTNER", partner="sompo-holdings")

    assert (await partner.errors(USAGE))[0]["extensions"]["code"] == "FORBIDDEN"
    assert (await gql.errors(USAGE))[0]["extensions"]["code"] == "UNAUTHENTICATED"
