"""createLoginLink: the secretariat hands a portal sign-in to a token's user, once."""

import json

from tests.portals.conftest import PortalClient

TOKENS = "{ apiTokens(first: 100) { nodes { id user { name } } } }"
CREATE = """mutation($t: ID!) { createLoginLink(input: {tokenId: $t}) {
  path expiresAt userErrors { field code message } } }"""
REVOKE = "mutation($t: ID!) { revokeToken(input: {tokenId: $t}) { userErrors { field code message } } }"


async def token_id_of(admin, name: str) -> str:
    nodes = (await admin.data(TOKENS))["apiTokens"]["nodes"]
    return next(node["id"] for node in nodes if node["user"]["name"] == name)


async def test_the_secretariat_creates_a_link_that_signs_in_once(sign_in, client):
    admin = await sign_in("ADMIN")
    await sign_in("PARTNER", partner="sompo-holdings")
    token_id = await token_id_of(admin, "Partner test user")

    link = await admin.accepted(CREATE, {"t": token_id})
    browser = PortalClient(client)
    await browser.get(link["path"])
    first = await browser.post(link["path"])
    second = await browser.post(link["path"])

    assert link["path"].startswith("/login/link/") and link["expiresAt"]
    assert first.status_code == 303 and first.headers["location"] == "/partner"
    assert second.status_code == 422
    log = await admin.data('{ auditLog(filter: {action: "createLoginLink"}) { nodes { outcome target changes } } }')
    (entry,) = log["auditLog"]["nodes"]
    assert entry["outcome"] == "ACCEPTED" and entry["target"].startswith("ApiToken:")
    assert link["path"].rsplit("/", 1)[1] not in json.dumps(entry)


async def test_only_the_secretariat_creates_links(sign_in):
    admin = await sign_in("ADMIN")
    staff = await sign_in("MUNICIPALITY", municipality="272256")

    codes = await staff.refused(CREATE, {"t": await token_id_of(admin, "Municipality test user")})

    assert codes == ["FORBIDDEN"]


async def test_no_link_for_a_revoked_token(sign_in):
    admin = await sign_in("ADMIN")
    await sign_in("MUNICIPALITY", municipality="272256")
    token_id = await token_id_of(admin, "Municipality test user")
    await admin.accepted(REVOKE, {"t": token_id})

    payload = await admin.mutate(CREATE, {"t": token_id})

    assert payload["path"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [("INVALID_TRANSITION", ["input", "tokenId"])]
