"""What callers and operators see while the database cannot be reached.

Any request that meets the outage (a token looked up, a query or mutation run, a portal page
read) is answered 503 with `Retry-After`: /graphql and every other API path with a GraphQL-style
JSON error (`SERVICE_UNAVAILABLE`), a portal page with an error page. Nothing a caller sees names
an exception, a host or SQL. `DatabaseHealth` keeps the state operators read: the metrics
`tsunagu_database_up` and `tsunagu_database_errors_total`, one JSON log line when the database is
lost and one when it answers again, and `"database": "unavailable"` on each request it failed.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from tortoise import connections

from database.connection import DatabaseUnavailable, is_unavailable
from edge.observability import Metrics, current_request
from i18n import choose_language
from schema.errors import UNAVAILABLE_CODE, UNAVAILABLE_MESSAGE

RETRY_AFTER_SECONDS = 5
PROBE_TIMEOUT_SECONDS = 2.0
LOG = logging.getLogger("tsunagu.database")
# Paths whose callers are programs: they get JSON; the rest are pages for people.
API_PATHS = ("/graphql", "/schema.graphql", "/healthz", "/readyz", "/metrics")


def unavailable_json(request: Request) -> JSONResponse:
    """The 503 for programs, in the language the caller asks for (the saved preference cannot be
    read without the database)."""
    language = choose_language(request.headers.get("accept-language"))
    return JSONResponse(
        {
            "data": None,
            "errors": [{"message": UNAVAILABLE_MESSAGE.render(language), "extensions": {"code": UNAVAILABLE_CODE}}],
        },
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS), "Content-Language": language},
    )


class DatabaseHealth:
    """Whether the database answered last time it was asked, as metrics and log lines."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics
        self.lost_at: float | None = None
        metrics.database_up.set(1)

    def request_failed(self, error: BaseException) -> None:
        """A request met the outage (and is answered 503)."""
        self.metrics.database_errors.inc()
        self.failed(error)

    def failed(self, error: BaseException) -> None:
        self.metrics.database_up.set(0)
        if self.lost_at is None:
            self.lost_at = time.monotonic()
            LOG.warning("database unavailable", extra={"database": "unavailable", "error": type(error).__name__})

    def answered(self) -> None:
        self.metrics.database_up.set(1)
        if self.lost_at is not None:
            seconds = time.monotonic() - self.lost_at
            self.lost_at = None
            LOG.warning("database available again", extra={"database": "ok", "outage_seconds": round(seconds, 3)})

    async def probe(self) -> bool:
        """Ask the database for `SELECT 1`, within a bound; record what it said."""
        try:
            async with asyncio.timeout(PROBE_TIMEOUT_SECONDS):
                await connections.get("default").execute_query("SELECT 1")
        except Exception as error:  # whatever the kind, the database did not answer
            self.failed(error)
            return False
        self.answered()
        return True


class DatabaseOutage:
    """Answers a request that met the outage with 503, unless its response has begun."""

    def __init__(self, app: ASGIApp, *, health: DatabaseHealth, page: Callable[[Request], Response]) -> None:
        self.app = app
        self.health = health
        self.page = page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as error:
            if not is_unavailable(error):
                raise
            self.health.request_failed(error)
            record = current_request()
            if record is not None:
                record.database = "unavailable"
            if started:
                raise
            await self.answer(scope)(scope, receive, send)
            return
        record = current_request()
        if self.health.lost_at is not None and record is not None and record.statements and record.database is None:
            self.health.answered()

    def answer(self, scope: Scope) -> Response:
        if scope["path"].startswith(API_PATHS):
            return unavailable_json(Request(scope))
        response = self.page(Request(scope))
        response.status_code = 503
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


def raise_if_unavailable(codes: set[object]) -> None:
    """After GraphQL ran: if any error was the database's absence, the whole answer is a 503."""
    if UNAVAILABLE_CODE in codes:
        raise DatabaseUnavailable(str(UNAVAILABLE_MESSAGE))
