"""Notifications pushed over a real WebSocket (graphql-transport-ws) by the app served by uvicorn.

Each test starts the app on a free port of 127.0.0.1 in the test's event loop, subscribes with a
WebSocket client and causes events with HTTP requests to the same server. Every wait is bounded.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from models import ApiToken, Municipality, Partner, Role, User
from resolvers.accounts import create_user_with_token, digest
from resolvers.calendar import now
from resolvers.cluster.broker import broker
from settings import Settings
from tests.conftest import GraphQLClient
from tests.serving import TIMEOUT, serving, wait_until

QUIET = 0.5
PROTOCOL = Subprotocol("graphql-transport-ws")

KANKO, SOMPO = "kanko-yoho-platform", "sompo-holdings"
TAKAISHI, NANTO = "272256", "162108"
DEMO_ACCOUNTS = "kanko-yoho-demo-accounts"

SUBSCRIBE = """
subscription {
  notificationReceived { id kind message readAt subject { id ... on OfferingRequest { status } } }
}"""
OFFERINGS = "query($slug: String!) { partner(slug: $slug) { offerings { id slug } } }"
REQUEST = """
mutation($id: ID!) {
  requestOffering(input: {offeringId: $id}) { offeringRequest { id } userErrors { code } }
}"""
RESPOND = """
mutation($id: ID!, $response: OfferingResponse!) {
  respondToOfferingRequest(input: {requestId: $id, response: $response}) { userErrors { code } }
}"""
REQUEST_STATUS = "query($id: ID!) { node(id: $id) { ... on OfferingRequest { status } } }"


@pytest.fixture
async def address(settings: Settings) -> AsyncIterator[str]:
    async with serving(settings) as address:
        yield address


@pytest.fixture
async def http(address: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"http://{address}", timeout=TIMEOUT) as client:
        yield client


async def token_for(role: str, *, municipality: str | None = None, partner: str | None = None) -> str:
    _, token = await create_user_with_token(
        name=f"{role.title()} subscriber", role=Role(role), municipality_code=municipality, partner_slug=partner
    )
    return token


@asynccontextmanager
async def connected(
    address: str, payload: dict[str, Any] | None = None, headers: dict[str, str] | None = None
) -> AsyncIterator[ClientConnection]:
    """A WebSocket that has sent `connection_init` with `payload`; the answer is still to read."""
    async with connect(
        f"ws://{address}/graphql",
        subprotocols=[PROTOCOL],
        additional_headers=headers,
        open_timeout=TIMEOUT,
        close_timeout=TIMEOUT,
    ) as websocket:
        assert websocket.subprotocol == PROTOCOL
        await websocket.send(json.dumps({"type": "connection_init", "payload": payload or {}}))
        yield websocket


async def receive(websocket: ClientConnection) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(websocket.recv(), TIMEOUT))


async def send(websocket: ClientConnection, id: str, query: str, variables: dict[str, Any] | None = None) -> None:
    payload = {"query": query, "variables": variables or {}}
    await websocket.send(json.dumps({"id": id, "type": "subscribe", "payload": payload}))


async def partner_channel(slug: str) -> str:
    return f"partner:{(await Partner.get(slug=slug)).id}"


async def municipality_channel(code: str) -> str:
    return f"municipality:{(await Municipality.get(code=code)).id}"


async def query_over(websocket: ClientConnection, id: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    """The data of a query sent over the connection, which then completes."""
    await send(websocket, id, query, variables)
    result = await receive(websocket)
    assert await receive(websocket) == {"id": id, "type": "complete"}
    return result["payload"]["data"]


@asynccontextmanager
async def subscribed(address: str, channel: str, **how: Any) -> AsyncIterator[ClientConnection]:
    """A connection subscribed to notificationReceived, listening on `channel` when this yields."""
    listening = broker.subscriber_count(channel)
    async with connected(address, **how) as websocket:
        assert (await receive(websocket))["type"] == "connection_ack"
        await send(websocket, "1", SUBSCRIBE)
        await wait_until(lambda: broker.subscriber_count(channel) == listening + 1)
        yield websocket


async def close_code(address: str, **how: Any) -> int | None:
    """How the server closes a connection after its `connection_init`."""
    async with connected(address, **how) as websocket:
        with pytest.raises(ConnectionClosed) as closed:
            await receive(websocket)
    return closed.value.rcvd.code if closed.value.rcvd else None


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def offering_id(client: GraphQLClient, partner: str, slug: str) -> str:
    offerings = (await client.data(OFFERINGS, {"slug": partner}))["partner"]["offerings"]
    return next(o["id"] for o in offerings if o["slug"] == slug)


async def member(http: httpx.AsyncClient, code: str) -> GraphQLClient:
    return GraphQLClient(http, await token_for("MUNICIPALITY", municipality=code))


async def test_partner_staff_hear_of_a_request_over_the_websocket_and_no_other_partner_does(address, http):
    takaishi = await member(http, TAKAISHI)
    demo_accounts = await offering_id(takaishi, KANKO, DEMO_ACCOUNTS)
    kanko_token = await token_for("PARTNER", partner=KANKO)
    sompo_token = await token_for("PARTNER", partner=SOMPO)
    by_header = {"headers": bearer(kanko_token)}
    by_payload_in_lower_case = {"payload": {"authorization": f"Bearer {sompo_token}"}}

    async with (
        subscribed(address, await partner_channel(KANKO), **by_header) as kanko,
        subscribed(address, await partner_channel(SOMPO), **by_payload_in_lower_case) as sompo,
    ):
        request = await takaishi.accepted(REQUEST, {"id": demo_accounts})

        message = await receive(kanko)
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(sompo.recv(), QUIET)

    assert message["type"] == "next" and message["id"] == "1"
    received = message["payload"]["data"]["notificationReceived"]
    assert received["kind"] == "OFFERING_REQUESTED" and received["readAt"] is None
    assert received["message"] == "高石市から「観光予報プラットフォームのデモアカウント無償提供」の依頼がありました。"
    assert received["subject"] == {"id": request["offeringRequest"]["id"], "status": "REQUESTED"}
    stored = await GraphQLClient(http, kanko_token).data("{ notifications(first: 5) { nodes { id } } }")
    assert stored["notifications"]["nodes"] == [{"id": received["id"]}]


async def test_a_refused_request_publishes_nothing(address, http):
    takaishi, nanto = await member(http, TAKAISHI), await member(http, NANTO)
    demo_accounts = await offering_id(takaishi, KANKO, DEMO_ACCOUNTS)
    await takaishi.accepted(REQUEST, {"id": demo_accounts})
    kanko_token = await token_for("PARTNER", partner=KANKO)

    async with subscribed(address, await partner_channel(KANKO), payload=bearer(kanko_token)) as kanko:
        assert await takaishi.refused(REQUEST, {"id": demo_accounts}) == ["ALREADY_REQUESTED"]
        accepted = await nanto.accepted(REQUEST, {"id": demo_accounts})

        message = await receive(kanko)

    # Messages arrive in the order they were published: had the refusal published, it came first.
    subject = message["payload"]["data"]["notificationReceived"]["subject"]
    assert subject["id"] == accepted["offeringRequest"]["id"]


async def test_each_message_reads_its_subject_afresh(address, http):
    takaishi = await member(http, TAKAISHI)
    partner = GraphQLClient(http, await token_for("PARTNER", partner=KANKO))
    request = await takaishi.accepted(REQUEST, {"id": await offering_id(takaishi, KANKO, DEMO_ACCOUNTS)})
    request_id = request["offeringRequest"]["id"]
    channel = await municipality_channel(TAKAISHI)

    statuses = []
    async with subscribed(address, channel, payload=bearer(takaishi.token)) as websocket:
        for response in ("ACCEPT", "COMPLETE"):
            await partner.accepted(RESPOND, {"id": request_id, "response": response})
            message = await receive(websocket)
            statuses.append(message["payload"]["data"]["notificationReceived"]["subject"]["status"])

    assert statuses == ["ACCEPTED", "COMPLETED"]


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_queries_over_the_websocket_do_not_reuse_an_earlier_ones_rows(address, http):
    takaishi = await member(http, TAKAISHI)
    partner = GraphQLClient(http, await token_for("PARTNER", partner=KANKO))
    request = await takaishi.accepted(REQUEST, {"id": await offering_id(takaishi, KANKO, DEMO_ACCOUNTS)})
    request_id = request["offeringRequest"]["id"]

    async with connected(address, payload=bearer(partner.token)) as websocket:
        assert (await receive(websocket))["type"] == "connection_ack"
        before = await query_over(websocket, "1", REQUEST_STATUS, {"id": request_id})
        await partner.accepted(RESPOND, {"id": request_id, "response": "ACCEPT"})
        after = await query_over(websocket, "2", REQUEST_STATUS, {"id": request_id})

    statuses = [before["node"]["status"], after["node"]["status"]]
    assert statuses == ["REQUESTED", "ACCEPTED"]


@pytest.mark.parametrize(
    "how",
    [
        {"payload": {"Authorization": "Bearer tsu_not-a-real-token"}},
        {"payload": {"AUTHORIZATION": "Basic dXNlcjpwYXNz"}},
        {"payload": {"Authorization": 42}},
        {"headers": {"Authorization": "Bearer tsu_not-a-real-token"}},
    ],
)
async def test_a_token_that_does_not_work_closes_the_socket_with_4403(address, how):
    assert await close_code(address, **how) == 4403


async def test_revoked_and_expired_tokens_close_the_socket_with_4403(address):
    revoked, expired = await token_for("PARTNER", partner=KANKO), await token_for("PARTNER", partner=KANKO)
    await ApiToken.filter(digest=digest(revoked)).update(revoked_at=now())
    await ApiToken.filter(digest=digest(expired)).update(expires_at=now() - dt.timedelta(minutes=1))

    assert [await close_code(address, payload=bearer(token)) for token in (revoked, expired)] == [4403, 4403]


async def test_anonymous_callers_and_the_secretariat_cannot_subscribe(address):
    admin = await token_for("ADMIN")
    for payload, code in ((None, "UNAUTHENTICATED"), (bearer(admin), "FORBIDDEN")):
        async with connected(address, payload=payload) as websocket:
            assert (await receive(websocket))["type"] == "connection_ack"
            await send(websocket, "1", SUBSCRIBE)
            message = await receive(websocket)

        assert message["type"] == "error" and message["id"] == "1"
        assert [error["extensions"]["code"] for error in message["payload"]] == [code]


async def test_revoking_the_token_ends_the_subscription(address, http):
    takaishi = await member(http, TAKAISHI)
    demo_accounts = await offering_id(takaishi, KANKO, DEMO_ACCOUNTS)
    kanko_token = await token_for("PARTNER", partner=KANKO)

    async with subscribed(address, await partner_channel(KANKO), payload=bearer(kanko_token)) as kanko:
        await ApiToken.filter(digest=digest(kanko_token)).update(revoked_at=now())
        await takaishi.accepted(REQUEST, {"id": demo_accounts})
        ended, completed = await receive(kanko), await receive(kanko)

    assert ended["payload"]["data"] is None
    assert [error["extensions"]["code"] for error in ended["payload"]["errors"]] == ["UNAUTHENTICATED"]
    assert completed == {"id": "1", "type": "complete"}


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_subscription_over_http_is_told_to_use_the_websocket(client, method):
    query = {"query": "subscription { notificationReceived { id } }"}
    arguments = {"params": query} if method == "GET" else {"json": query}

    response = await client.request(method, "/graphql", **arguments)

    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST" and "WebSocket" in error["message"]


async def test_the_legacy_graphql_ws_protocol_is_refused_with_4406(address):
    legacy = Subprotocol("graphql-ws")
    async with connect(f"ws://{address}/graphql", subprotocols=[legacy], open_timeout=TIMEOUT) as websocket:
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(websocket.recv(), TIMEOUT)

    assert websocket.subprotocol is None
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4406


MALFORMED_CODE = '{ municipality(code: "12345") { name } }'


async def error_over(websocket: ClientConnection) -> str:
    assert (await receive(websocket))["type"] == "connection_ack"
    await send(websocket, "1", MALFORMED_CODE)
    return (await receive(websocket))["payload"]["errors"][0]["message"]


# Steps aside: an error in Query.municipality, as the test means (graphql-core reports it with its
# path).
@pytest.mark.plan_fallback("field_error")
async def test_operations_over_the_websocket_are_answered_in_the_callers_language(address):
    saved_english = await token_for("MUNICIPALITY", municipality=TAKAISHI)
    await User.filter(tokens__digest=digest(saved_english)).update(language="en")

    async with connected(address, headers={"Accept-Language": "en-US,en;q=0.9"}) as websocket:
        asked_english = await error_over(websocket)
    async with connected(address, payload=bearer(saved_english)) as websocket:
        preferred_english = await error_over(websocket)
    async with connected(address) as websocket:
        neither = await error_over(websocket)

    assert asked_english == preferred_english == "A municipality code has 6 digits, e.g. 082082."
    assert neither == "自治体コードは6桁の数字です（例: 082082）。"
