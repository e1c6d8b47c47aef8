"""The Starlette application: the GraphQL endpoint, the published SDL, and the database opened
for its lifetime (with the trusted operations registered).

/graphql answers HTTP (queries and mutations) and WebSocket with the graphql-transport-ws
protocol (subscriptions; queries and mutations too). An HTTP request is authenticated by
`Authenticate` before GraphQL runs; a WebSocket connection once its `connection_init` arrives
(`GraphQLEndpoint.on_ws_connect`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import orjson
import strawberry
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLRequestData
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType
from tortoise import Tortoise
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from database.connection import open_database
from edge.calendar_feed import calendar_feed_endpoint
from edge.observability import Metrics, Observe, configure_logging, name_operation
from edge.outage import DatabaseHealth, DatabaseOutage, raise_if_unavailable
from edge.request_guard import RequestGuard
from edge.response_cache import ResponseCache
from graphiql import graphiql_page, graphiql_routes
from i18n import choose_language, speaking
from portals.app import portal_routes, unavailable_page
from resolvers import contract
from resolvers.accounts import actor_for
from resolvers.bulletin import run_publisher
from resolvers.cluster.broker import broker
from resolvers.cluster.budget import CostBudget, InProcessBudget, RedisBudget, caller_of
from resolvers.cluster.data_version import data_version
from resolvers.cluster.redis_link import RedisLink, RedisUnavailable
from resolvers.errors import Unauthenticated
from resolvers.notification import published_since
from resolvers.text import reading_tokenizer
from schema import schema as tsunagu_schema
from schema.context import ConnectionContext, Context
from schema.contract import persisted
from schema.contract.documents import trusted_operations
from schema.contract.version import schema_sdl, schema_version
from schema.cost import cost_report
from schema.engine.executor import step_asides
from settings import Settings

# A client that connects and stays silent is dropped (close code 4408) after this long.
CONNECTION_INIT_TIMEOUT = timedelta(seconds=10)
# Operations in flight at once on one connection; one more gets an `error` message.
MAX_OPERATIONS_PER_CONNECTION = 20


class GraphQLEndpoint(GraphQL[Context, None]):
    """Strawberry's ASGI view with Tsunagu's per-request context."""

    schema: strawberry.Schema

    def __init__(self, settings: Settings, schema: strawberry.Schema, budget: CostBudget) -> None:
        super().__init__(
            schema,
            graphql_ide=None if settings.is_production else "graphiql",
            allow_queries_via_get=True,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=CONNECTION_INIT_TIMEOUT,
            max_subscriptions_per_connection=MAX_OPERATIONS_PER_CONNECTION,
        )
        self.settings = settings
        self.budget = budget

    async def get_context(self, request: Any, response: Any = None) -> Context:
        address = request.client.host if request.client else ""
        if isinstance(request, WebSocket):
            return ConnectionContext(
                settings=self.settings,
                budget=self.budget,
                client_address=address,
                upgrade_authorization=request.headers.get("authorization"),
                upgrade_accept_language=request.headers.get("accept-language"),
            )
        return Context(
            settings=self.settings,
            actor=request.state.actor,
            budget=self.budget,
            client_address=address,
            response=response,
            idempotency_key=request.headers.get("idempotency-key"),
            language=request.state.language,
        )

    async def on_ws_connect(self, context: Context) -> UnsetType:
        """Recognise the connection's caller from its `connection_init` payload or upgrade header.

        No token leaves the connection anonymous. A token that does not work closes the socket
        with 4403 (Forbidden), as the graphql-transport-ws protocol asks. The connection's
        operations are answered in the language of the upgrade request's `Accept-Language`, else
        the user's saved one, else Japanese.
        """
        assert isinstance(context, ConnectionContext), "`get_context` makes one for every WebSocket"
        try:
            context.actor = await actor_for(context.authorization)
        except Unauthenticated as error:
            with speaking(choose_language(context.upgrade_accept_language)):
                raise ConnectionRejectionError({"message": error.message}) from error
        context.language = choose_language(context.upgrade_accept_language, context.actor.language)
        return UNSET

    def encode_json(self, data: object) -> str:
        """orjson, several times faster than `json` on a page of members; text, as WebSocket
        messages must be (graphql-transport-ws sends text frames)."""
        return orjson.dumps(data).decode()

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        """GraphiQL from the app's own files, not Strawberry's page (which loads them from a CDN)."""
        return graphiql_page()

    def should_render_graphql_ide(self, request: Any) -> bool:
        """A GET that names a persisted query is an operation, whatever its Accept header says."""
        return "extensions" not in request.query_params and super().should_render_graphql_ide(request)

    async def execute_single(  # type: ignore[override]
        self, *, request_data: GraphQLRequestData, context: Context, **kwargs: Any
    ) -> ExecutionResult:
        """Run the request's document, after resolving a persisted query and the allow-list."""
        name_operation(request_data.operation_name)
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
                extensions={
                    "schemaVersion": schema_version(self.schema),
                    "cost": cost_report(0, await self.budget.spend(caller_of(context.actor, context.client_address, self.settings), 0)),
                },
            )
        result = await super().execute_single(
            request_data=dataclasses.replace(request_data, query=resolved.query), context=context, **kwargs
        )
        raise_if_unavailable({(error.extensions or {}).get("code") for error in result.errors or ()})
        if resolved.register_as is not None and resolved.query is not None and result.data is not None:
            await contract.register_document(resolved.register_as, resolved.query)
        return result


class Authenticate:
    """Recognise the bearer token before GraphQL runs; a bad token is refused with HTTP 401.

    A request without a token goes on as an anonymous caller. A token that is malformed, unknown,
    revoked or expired is never treated as anonymous: the caller must hear that it failed. While
    the database cannot be reached the token cannot be looked up: `edge.outage.DatabaseOutage` answers
    503, as it does for anonymous callers whose operation meets the outage.
    WebSocket connections pass through: their token may come later, in `connection_init`.

    Once the caller is known, so is the language of the answer (`Accept-Language`, then the
    user's saved preference, then Japanese): the rest of the request runs speaking it.
    """

    def __init__(self, app: ASGIApp, schema_version: str) -> None:
        self.app = app
        self.schema_version = schema_version

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        try:
            actor = await actor_for(request.headers.get("authorization"))
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
        request.state.actor = actor
        request.state.language = choose_language(request.headers.get("accept-language"), actor.language)
        with speaking(request.state.language):
            await self.app(scope, receive, send)


async def healthz(request: Request) -> JSONResponse:
    """Alive: the process answers."""
    return JSONResponse({"status": "ok"})


def readiness(health: DatabaseHealth, link: RedisLink | None) -> Any:
    """`/readyz`: whether a load balancer should send this process requests.

    Not without the database (503). Without Redis, yes (200, "degraded"): the process serves
    reads and writes without it (`resolvers.cluster.redis_link`), and since every worker shares one
    Redis, a 503 would take them all out of service at once over what only slows them down.
    """

    async def readyz(request: Request) -> JSONResponse:
        if not await health.probe():
            return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
        if link is None:
            return JSONResponse({"status": "ok", "database": "ok"})
        try:
            await link.run(lambda redis: redis.ping())
        except RedisUnavailable:
            return JSONResponse({"status": "degraded", "database": "ok", "redis": "down"})
        return JSONResponse({"status": "ok", "database": "ok", "redis": "ok"})

    return readyz


def metrics_endpoint(metrics: Metrics, health: DatabaseHealth) -> Any:
    """/metrics, with `tsunagu_database_up` as the database answers now."""

    async def scrape(request: Request) -> Response:
        await health.probe()
        return await metrics.endpoint(request)

    return scrape


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
    budget: CostBudget | None = None,
    freeze_heap: bool = False,
) -> Starlette:
    """Build the app. Tests that open the database themselves pass `manage_database=False`.

    `budget` keeps the callers' points per minute: by default in Redis when `REDIS_URL` is set
    (shared by every worker and host), else in this process. `freeze_heap` is for the server's
    own process (`freeze_startup_heap`).
    """
    settings = settings or Settings.from_env()
    link = RedisLink.of(settings)
    budget = budget or (RedisBudget(link) if link else InProcessBudget())

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if manage_database:
            await open_database(settings.database_url, global_fallback=True)
            await register_trusted_operations(settings)
            if link is not None:
                broker.connect(link, published_since)
                data_version.connect(link)
        reading_tokenizer()
        if freeze_heap:
            freeze_startup_heap()
        stop_publishing = asyncio.Event()
        publishing = asyncio.create_task(run_publisher(settings.link_origin, stop_publishing)) if manage_database else None
        try:
            yield
        finally:
            stop_publishing.set()
            if publishing is not None:
                await publishing
            if manage_database:
                await broker.close()
                data_version.close()
                await Tortoise.close_connections()
            if link is not None:
                await link.close()

    metrics = Metrics()
    step_asides.watch(metrics.plan_fell_back)
    if link is not None:
        metrics.watch_redis(link)
    health = DatabaseHealth(metrics)
    view = GraphQLEndpoint(settings, schema, budget)
    cached = ResponseCache(view, settings=settings, budget=budget, metrics=metrics, schema_version=schema_version(schema))
    endpoint = RequestGuard(Authenticate(cached, schema_version(schema)), timeout=settings.request_timeout)
    return Starlette(
        routes=[
            Route("/graphql", endpoint, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", endpoint),
            Route("/schema.graphql", sdl_endpoint(schema), methods=["GET"]),
            Route("/healthz", healthz),
            Route("/readyz", readiness(health, link)),
            Route("/metrics", metrics_endpoint(metrics, health)),
            Route("/calendar/{token}.ics", calendar_feed_endpoint(settings), methods=["GET"]),
            *portal_routes(settings),
            *([] if settings.is_production else graphiql_routes()),
        ],
        middleware=[
            # First, so that everything after it sees the client's scheme and address, which only
            # a trusted proxy may vouch for.
            Middleware(ProxyHeadersMiddleware, trusted_hosts=settings.forwarded_allow_ips),
            Middleware(Observe, metrics=metrics),
            Middleware(DatabaseOutage, health=health, page=unavailable_page(settings)),
        ],
        lifespan=lifespan,
    )


def freeze_startup_heap() -> None:
    """Keep the garbage collector off what startup built.

    A full collection walks every object the collector tracks: the schema, the ORM's models and
    graphql-core's types are hundreds of thousands of them, never garbage, and a request builds
    enough objects to set off collections. `gc.freeze` moves what lives now out of its sight
    (what that saves per request: `bench/RESULTS.md`).
    """
    gc.collect()
    gc.freeze()


def app() -> Starlette:
    """The factory uvicorn calls (`uvicorn --factory server:app`), once in every worker."""
    configure_logging(os.environ.get("TSUNAGU_LOG_LEVEL", "info"))
    return create_app(freeze_heap=True)
