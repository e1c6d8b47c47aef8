"""Bearer tokens: who the caller is, and a clear 401 for any token that does not work."""

import datetime as dt
import sqlite3
import subprocess
import sys

import pytest

from models import ApiToken
from resolvers.accounts import digest
from tests.helpers import global_id

VIEWER = "{ viewer { name role scopes municipality { code } partner { slug } } }"
ISSUE = """
mutation($input: IssueTokenInput!) {
  issueToken(input: $input) { token apiToken { id hint scopes } userErrors { field code message } }
}"""
REVOKE = "mutation($id: ID!) { revokeToken(input: {tokenId: $id}) { apiToken { revokedAt } userErrors { code } } }"
TOKENS = "{ apiTokens { totalCount } }"


async def test_anonymous_callers_have_no_viewer(gql):
    assert (await gql.data(VIEWER))["viewer"] is None


async def test_the_viewer_is_the_token_holder(sign_in):
    staff = await sign_in("MUNICIPALITY", municipality="272256", read_only=True)
    partner = await sign_in("PARTNER", partner="sompo-holdings")

    staff_viewer = (await staff.data(VIEWER))["viewer"]
    partner_viewer = (await partner.data(VIEWER))["viewer"]

    assert staff_viewer["role"] == "MUNICIPALITY"
    assert staff_viewer["municipality"] == {"code": "272256"}
    assert staff_viewer["scopes"] == ["READ"]
    assert partner_viewer["partner"] == {"slug": "sompo-holdings"}
    assert partner_viewer["scopes"] == ["READ", "WRITE"]


@pytest.mark.parametrize(
    "header",
    ["Bearer tsu_not-a-real-token", "Bearer", "Basic dXNlcjpwYXNz", "tsu_without_scheme", "Bearer " + "x" * 5000],
)
async def test_a_token_that_does_not_work_gets_a_401_with_a_graphql_error(client, header):
    response = await client.post("/graphql", json={"query": VIEWER}, headers={"Authorization": header})

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_revoked_token_stops_working_at_once(client, sign_in):
    admin = await sign_in("ADMIN")
    staff = await sign_in("MUNICIPALITY", municipality="272256")
    assert (await staff.data(VIEWER))["viewer"]["role"] == "MUNICIPALITY"
    token_row = await ApiToken.get(digest=digest(staff.token))

    payload = await admin.accepted(REVOKE, {"id": global_id("ApiToken", token_row.id)})
    response = await client.post("/graphql", json={"query": VIEWER}, headers=staff.headers)

    assert payload["apiToken"]["revokedAt"] is not None
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"] == "このトークンは登録されていないか、無効化されています。"


async def test_an_expired_token_is_refused(client, sign_in):
    staff = await sign_in("MUNICIPALITY", municipality="272256")
    await ApiToken.filter(digest=digest(staff.token)).update(
        expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    )

    response = await client.post("/graphql", json={"query": VIEWER}, headers=staff.headers)

    assert response.status_code == 401
    assert response.json()["errors"][0]["message"] == "このトークンは有効期限が切れています。"


async def test_an_admin_issues_a_token_that_is_shown_once_and_stored_as_a_hash(client, sign_in):
    admin = await sign_in("ADMIN")

    payload = await admin.accepted(
        ISSUE,
        {"input": {"name": "高石市 企画課", "role": "MUNICIPALITY", "municipalityCode": "272256", "scopes": ["READ"]}},
    )
    token = payload["token"]
    response = await client.post("/graphql", json={"query": VIEWER}, headers={"Authorization": f"Bearer {token}"})

    assert response.json()["data"]["viewer"] == {
        "name": "高石市 企画課",
        "role": "MUNICIPALITY",
        "scopes": ["READ"],
        "municipality": {"code": "272256"},
        "partner": None,
    }
    assert token.startswith(payload["apiToken"]["hint"])
    stored = await ApiToken.all().values_list("digest", flat=True)
    assert token not in stored and digest(token) in stored


@pytest.mark.parametrize(
    ("token_input", "code", "field"),
    [
        ({"role": "MUNICIPALITY"}, "INVALID", ["input"]),
        ({"role": "MUNICIPALITY", "municipalityCode": "999999"}, "NOT_FOUND", ["input", "municipalityCode"]),
        ({"role": "PARTNER", "partnerSlug": "no-such-partner"}, "NOT_FOUND", ["input", "partnerSlug"]),
        ({"role": "ADMIN", "partnerSlug": "sompo-holdings"}, "INVALID", ["input"]),
        ({"role": "ADMIN", "scopes": []}, "INVALID", ["input", "scopes"]),
        ({"role": "ADMIN", "expiresAt": "2001-01-01T00:00:00+09:00"}, "INVALID", ["input", "expiresAt"]),
    ],
)
async def test_bad_token_requests_are_refused_with_the_field_at_fault(sign_in, token_input, code, field):
    admin = await sign_in("ADMIN")

    payload = await admin.mutate(ISSUE, {"input": {"name": "someone", **token_input}})

    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, field)]
    assert payload["token"] is None


# Steps aside: an error in Query.apiTokens, as the test means (graphql-core reports it with its
# path).
@pytest.mark.plan_fallback("field_error")
async def test_only_the_secretariat_issues_and_lists_tokens(gql, sign_in):
    staff = await sign_in("MUNICIPALITY", municipality="272256")
    partner = await sign_in("PARTNER", partner="sompo-holdings")
    admin = await sign_in("ADMIN")

    assert await staff.refused(ISSUE, {"input": {"name": "me", "role": "ADMIN"}}) == ["FORBIDDEN"]
    assert await gql.refused(ISSUE, {"input": {"name": "me", "role": "ADMIN"}}) == ["UNAUTHENTICATED"]
    assert (await partner.errors(TOKENS))[0]["extensions"]["code"] == "FORBIDDEN"
    assert (await gql.errors(TOKENS))[0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await admin.data(TOKENS))["apiTokens"]["totalCount"] == 3


async def test_a_read_only_token_reads_but_cannot_change_anything(sign_in):
    admin = await sign_in("ADMIN", read_only=True)

    assert (await admin.data(TOKENS))["apiTokens"]["totalCount"] == 1
    assert await admin.refused(ISSUE, {"input": {"name": "x", "role": "ADMIN"}}) == ["READ_ONLY_TOKEN"]
    assert await ApiToken.all().count() == 1


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_tokens_are_private_nodes(gql, sign_in):
    staff = await sign_in("MUNICIPALITY", municipality="272256")
    other = await sign_in("MUNICIPALITY", municipality="162108")
    token_id = global_id("ApiToken", (await ApiToken.get(digest=digest(staff.token))).id)
    query = "query($id: ID!) { node(id: $id) { ... on ApiToken { hint } } }"

    assert (await staff.data(query, {"id": token_id}))["node"] is not None
    assert (await other.data(query, {"id": token_id}))["node"] is None
    assert (await gql.data(query, {"id": token_id}))["node"] is None


def test_the_token_command_creates_a_user_and_prints_its_token(tmp_path, template):
    if not template.endswith(".sqlite3"):
        pytest.skip("the command is exercised on the SQLite copy; the database code is shared")
    database = tmp_path / "cli.sqlite3"
    database.write_bytes(open(template, "rb").read())
    environment = {"DATABASE_URL": f"sqlite://{database}", "PATH": ""}

    made = subprocess.run(
        [sys.executable, "cli.py", "token", "--role", "MUNICIPALITY", "--municipality", "272256"],
        capture_output=True, text=True, env=environment, check=True,
    )
    refused = subprocess.run(
        [sys.executable, "cli.py", "token", "--role", "PARTNER", "--partner", "nobody"],
        capture_output=True, text=True, env=environment,
    )

    token = made.stdout.strip()
    with sqlite3.connect(database) as connection:
        (role,) = connection.execute(
            "SELECT u.role FROM api_token t JOIN user_account u ON u.id = t.user_id WHERE t.digest = ?",
            (digest(token),),
        ).fetchone()
    assert role == "MUNICIPALITY"
    assert refused.returncode == 1 and "nobody" in refused.stderr
