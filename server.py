"""The Starlette application: the GraphQL endpoint, and the database opened for its lifetime."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.asgi import GraphQL
from tortoise import Tortoise

from models.database import open_database
from portals.app import portal_routes
from resolvers.accounts import actor_for
from resolvers.errors import Unauthenticated
from schema import schema
from schema.context import Context
from settings import Settings


class GraphQLEndpoint(GraphQL[Context, None]):
    """Strawberry's ASGI view with Tsunagu's per-request context."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(
            schema,
            graphql_ide=None if settings.is_production else "graphiql",
            allow_queries_via_get=True,
        )
        self.settings = settings

    async def get_context(self, request: Any, response: Any = None) -> Context:
        return Context(settings=self.settings, actor=request.state.actor)


class Authenticate:
    """Recognise the bearer token before GraphQL runs; a bad token is refused with HTTP 401.

    A request without a token goes on as an anonymous caller. A token that is malformed, unknown,
    revoked or expired is never treated as anonymous: the caller must hear that it failed.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
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
            Route("/healthz", healthz),
            *portal_routes(settings),
        ],
        lifespan=lifespan,
    )


def app() -> Starlette:
    """The factory uvicorn calls (`uvicorn --factory server:app`)."""
    return create_app()
