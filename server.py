"""The Starlette application: the GraphQL endpoint, the published SDL, and the database opened
for its lifetime (with the trusted operations registered)."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import strawberry
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLRequestData
from strawberry.types import ExecutionResult
from tortoise import Tortoise

from models.database import open_database
from resolvers import contract
from resolvers.accounts import actor_for
from resolvers.errors import Unauthenticated
from schema import schema as tsunagu_schema
from schema.context import Context
from schema.contract import persisted
from schema.contract.documents import trusted_operations
from schema.contract.version import schema_sdl, schema_version
from settings import Settings


class GraphQLEndpoint(GraphQL[Context, None]):
    """Strawberry's ASGI view with Tsunagu's per-request context."""

    def __init__(self, settings: Settings, schema: strawberry.Schema) -> None:
        super().__init__(
            schema,
            graphql_ide=None if settings.is_production else "graphiql",
            allow_queries_via_get=True,
        )
        self.settings = settings

    async def get_context(self, request: Any, response: Any = None) -> Context:
        return Context(settings=self.settings, actor=request.state.actor)

    def should_render_graphql_ide(self, request: Any) -> bool:
        """A GET that names a persisted query is an operation, whatever its Accept header says."""
        return "extensions" not in request.query_params and super().should_render_graphql_ide(request)

    async def execute_single(  # type: ignore[override]
        self, *, request_data: GraphQLRequestData, context: Context, **kwargs: Any
    ) -> ExecutionResult:
        """Run the request's document, after resolving a persisted query and the allow-list."""
        try:
            resolved = await persisted.resolve(
                request_data.query,
                request_data.extensions,
                request_data.operation_name,
                context.actor,
                self.settings,
            )
        except persisted.PersistedQueryError as error:
            return ExecutionResult(
                data=None,
                errors=[error.as_graphql_error()],
                extensions={"schemaVersion": schema_version(self.schema)},
            )
        result = await super().execute_single(
            request_data=dataclasses.replace(request_data, query=resolved.query), context=context, **kwargs
        )
        if resolved.register_as is not None and resolved.query is not None and result.data is not None:
            await contract.register_document(resolved.register_as, resolved.query)
        return result


class Authenticate:
    """Recognise the bearer token before GraphQL runs; a bad token is refused with HTTP 401.

    A request without a token goes on as an anonymous caller. A token that is malformed, unknown,
    revoked or expired is never treated as anonymous: the caller must hear that it failed.
    """

    def __init__(self, app: ASGIApp, schema_version: str) -> None:
        self.app = app
        self.schema_version = schema_version

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope)
        try:
            request.state.actor = await actor_for(request.headers.get("authorization"))
        except Unauthenticated as error:
            response = JSONResponse(
                {
                    "data": None,
                    "errors": [{"message": error.message, "extensions": {"code": error.code}}],
                    "extensions": {"schemaVersion": self.schema_version},
                },
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def sdl_endpoint(schema: strawberry.Schema) -> Any:
    """`/schema.graphql`: the SDL as plain text, with an ETag so clients and caches can revalidate."""
    body = schema_sdl(schema)
    etag = f'"{schema_version(schema)}"'
    headers = {"ETag": etag, "Cache-Control": "public, max-age=300, must-revalidate"}

    async def sdl(request: Request) -> Response:
        if etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        return PlainTextResponse(body, headers=headers)

    return sdl


async def register_trusted_operations(settings: Settings) -> int:
    """Register the operations shipped in the repository; returns how many there are."""
    return await contract.register_trusted(trusted_operations(settings.trusted_operations_dir))


def create_app(
    settings: Settings | None = None,
    *,
    manage_database: bool = True,
    schema: strawberry.Schema = tsunagu_schema,
) -> Starlette:
    """Build the app. Tests that open the database themselves pass `manage_database=False`."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if manage_database:
            await open_database(settings.database_url, global_fallback=True)
            await register_trusted_operations(settings)
        try:
            yield
        finally:
            if manage_database:
                await Tortoise.close_connections()

    endpoint = Authenticate(GraphQLEndpoint(settings, schema), schema_version(schema))
    return Starlette(
        routes=[
            Route("/graphql", endpoint, methods=["GET", "POST"]),
            Route("/schema.graphql", sdl_endpoint(schema), methods=["GET"]),
            Route("/healthz", healthz),
        ],
        lifespan=lifespan,
    )


def app() -> Starlette:
    """The factory uvicorn calls (`uvicorn --factory server:app`)."""
    return create_app()
