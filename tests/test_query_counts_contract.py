"""The record of deprecated usage costs the same SQL statements for one entry as for many."""

import pytest

from models import ApiToken
from resolvers.access import Actor
from resolvers.accounts import digest
from resolvers.contract import record_deprecated_usage
from tests.test_query_counts import statements_for

pytestmark = pytest.mark.usefixtures("uneven_statement_latency")

USAGE = """
query($first: Int!) {
  deprecatedUsage(first: $first) { nodes { coordinate count token { hint user { name partner { name } } } } }
}"""


async def test_a_page_of_deprecated_usage_with_tokens_and_users_is_bounded(sign_in, sql_statements):
    for slug in ("sompo-holdings", "kanko-yoho-platform", "mori-building"):
        partner = await sign_in("PARTNER", partner=slug)
        token = await ApiToken.get(digest=digest(partner.token))
        await record_deprecated_usage(Actor(user_id=token.user_id, token_id=token.id), ["Theme.summary", "Size.TINY"])
    admin = await sign_in("ADMIN")

    one = await statements_for(admin, sql_statements, USAGE, {"first": 1})
    six = await statements_for(admin, sql_statements, USAGE, {"first": 6})

    print(f"deprecatedUsage: {one} statements for 1 entry, {six} for 6")
    assert one == six
    assert len((await admin.data(USAGE, {"first": 6}))["deprecatedUsage"]["nodes"]) == 6
