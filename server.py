"""The Starlette application: the GraphQL endpoint, and the database opened for its lifetime.

/graphql answers HTTP (queries and mutations) and WebSocket with the graphql-transport-ws
protocol (subscriptions; queries and mutations too). An HTTP request is authenticated by
`Authenticate` before GraphQL runs; a WebSocket connection once its `connection_init` arrives
(`GraphQLEndpoint.on_ws_connect`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UNSET, UnsetType
from tortoise import Tortoise

from models.database import open_database
from resolvers.accounts import actor_for
from resolvers.errors import Unauthenticated
from schema import schema
from schema.context import ConnectionContext, Context
from settings import Settings

# A client that connects and stays silent is dropped (close code 4408) after this long.
CONNECTION_INIT_TIMEOUT = timedelta(seconds=10)
# Operations in flight at once on one connection; one more gets an `error` message.
MAX_OPERATIONS_PER_CONNECTION = 20


class GraphQLEndpoint(GraphQL[Context, None]):
    """Strawberry's ASGI view with Tsunagu's per-request context."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(
            schema,
            graphql_ide=None if settings.is_production else "graphiql",
            allow_queries_via_get=True,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=CONNECTION_INIT_TIMEOUT,
            max_subscriptions_per_connection=MAX_OPERATIONS_PER_CONNECTION,
        )
        self.settings = settings

    async def get_context(self, request: Any, response: Any = None) -> Context:
        if isinstance(request, WebSocket):
            return ConnectionContext(
                settings=self.settings, upgrade_authorization=request.headers.get("authorization")
            )
        return Context(settings=self.settings, actor=request.state.actor)

    async def on_ws_connect(self, context: ConnectionContext) -> UnsetType:
        """Recognise the connection's caller from its `connection_init` payload or upgrade header.

        No token leaves the connection anonymous. A token that does not work closes the socket
        with 4403 (Forbidden), as the graphql-transport-ws protocol asks.
        """
        try:
            context.actor = await actor_for(context.authorization)
        except Unauthenticated as error:
            raise ConnectionRejectionError({"message": error.message}) from error
        return UNSET


class Authenticate:
    """Recognise the bearer token before GraphQL runs; a bad token is refused with HTTP 401.

    A request without a token goes on as an anonymous caller. A token that is malformed, unknown,
    revoked or expired is never treated as anonymous: the caller must hear that it failed.
    WebSocket connections pass through: their token may come later, in `connection_init`.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        try:
            request.state.actor = await actor_for(request.headers.get("authorization"))
        except Unauthenticated as error:
            response = JSONResponse(
                {"data": None, "errors": [{"message": error.message, "extensions": {"code": error.code}}]},
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def create_app(settings: Settings | None = None, *, manage_database: bool = True) -> Starlette:
    """Build the app. Tests that open the database themselves pass `manage_database=False`."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if manage_database:
            await open_database(settings.database_url, global_fallback=True)
        try:
            yield
        finally:
            if manage_database:
                await Tortoise.close_connections()

    endpoint = Authenticate(GraphQLEndpoint(settings))
    return Starlette(
        routes=[
            Route("/graphql", endpoint, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", endpoint),
            Route("/healthz", healthz),
        ],
        lifespan=lifespan,
    )


def app() -> Starlette:
    """The factory uvicorn calls (`uvicorn --factory server:app`)."""
    return create_app()
