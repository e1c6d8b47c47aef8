"""What an operator sees: one JSON log line per request, and Prometheus metrics at /metrics.

Each HTTP request gets a request id (the caller's `X-Request-ID` if it is a sane token, else a new
one), echoed in the response. The GraphQL layer names the operation (`name_operation`), and
every SQL statement Tortoise sends is counted against the request. Metric labels use operation
names only up to `MAX_OPERATION_LABELS` distinct ones, so callers cannot grow the metrics without
limit. With several workers (`tsunagu serve --workers N`) each worker writes its samples to files in
`PROMETHEUS_MULTIPROC_DIR` and /metrics, whichever worker answers, adds up every worker's; with
several hosts, scrape each host. With `REDIS_URL`, /metrics also says whether Redis answers and
whether the link's breaker is open (`resolvers.cluster.redis_link`), and while it is, every access log
line says `"redis": "down"`. Queries that step aside from their compiled plan are counted by
operation and reason (`tsunagu_plan_fallback_total`, watched from `server.create_app`).
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
import uuid
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TextIO

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from resolvers.cluster.broker import broker
from resolvers.cluster.redis_link import RedisLink

REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
MAX_OPERATION_LABELS = 200
ACCESS_LOG = logging.getLogger("tsunagu.access")
SQL_LOGGER = "tortoise.db_client"


@dataclass
class RequestRecord:
    request_id: str
    operation: str | None = None
    statements: int = 0
    database: str | None = None
    """"unavailable" when the request met a database outage (`edge/outage.py`)."""


_current: ContextVar[RequestRecord | None] = ContextVar("request_record", default=None)


def current_request() -> RequestRecord | None:
    """The HTTP request in progress in this task, if any."""
    return _current.get()


def name_operation(name: str | None) -> None:
    """Called by the GraphQL layer once it knows which operation the request runs."""
    record = _current.get()
    if record is not None:
        record.operation = name or "anonymous"


class StatementCounter(logging.Handler):
    """Counts the statements Tortoise logs against the request in progress."""

    def emit(self, record: logging.LogRecord) -> None:
        current = _current.get()
        if current is not None:
            current.statements += 1


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and any `extra` fields."""

    FIELDS = (
        "request_id", "method", "path", "status", "operation", "duration_ms", "statements", "redis",
        "database", "error", "outage_seconds", "reason",
    )

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry |= {name: getattr(record, name) for name in self.FIELDS if hasattr(record, name)}
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


LIBRARY_LOGGERS = ("strawberry", "tortoise", "asyncpg", "aiosqlite")
"""Libraries whose warnings and errors (a masked fault's traceback, a lost connection) belong in
the same JSON log as the service's own lines."""


def configure_logging(level: str = "INFO", stream: TextIO | None = None) -> None:
    """JSON lines on `stream` (stderr) for the service's own logs and the libraries' warnings and
    errors; statements counted, not printed."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    tsunagu = logging.getLogger("tsunagu")
    tsunagu.handlers[:] = [handler]
    tsunagu.setLevel(level.upper())
    tsunagu.propagate = False
    for name in LIBRARY_LOGGERS:
        library = logging.getLogger(name)
        library.handlers[:] = [JsonHandler(handler, logging.WARNING)]
        library.propagate = False


class JsonHandler(logging.Handler):
    """Passes a library's records of `level` and above to the service's JSON handler, leaving the
    library logger's own level alone (the statement counter listens to tortoise's DEBUG records)."""

    def __init__(self, target: logging.Handler, level: int) -> None:
        super().__init__(level)
        self.target = target

    def emit(self, record: logging.LogRecord) -> None:
        self.target.handle(record)


class Metrics:
    """The service's Prometheus metrics, for this process or, in multiprocess mode, every worker's.

    prometheus_client decides at import whether samples go to memory or to per-process files: it
    writes files when `PROMETHEUS_MULTIPROC_DIR` is set, which `tsunagu serve` does for several
    workers. Then the metrics are registered nowhere and /metrics reads them all from the files.
    """

    def __init__(self) -> None:
        self.multiprocess_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        registry = None if self.multiprocess_dir else CollectorRegistry()
        self.registry = registry
        self.requests = Counter(
            "tsunagu_requests", "HTTP requests to /graphql by operation and status.",
            ("operation", "status"), registry=registry,
        )
        self.latency = Histogram(
            "tsunagu_request_duration_seconds", "Time to answer a /graphql request, by operation.",
            ("operation",), registry=registry,
        )
        self.statements = Histogram(
            "tsunagu_sql_statements_per_request", "SQL statements one /graphql request sent, by operation.",
            ("operation",), buckets=(1, 2, 3, 5, 8, 13, 21, 34, 55, 89), registry=registry,
        )
        self.response_cache = Counter(
            "tsunagu_response_cache", "/graphql requests by what the response cache did: hit (served "
            "from it), miss (run and kept) or bypass (run, not kept).", ("result",), registry=registry,
        )
        self.subscriptions = Gauge(
            "tsunagu_subscriptions", "Subscriptions open, in every live worker.",
            registry=registry, multiprocess_mode="livesum",
        )
        broker.watch(self.subscriptions.set)
        self.database_up = Gauge(
            "tsunagu_database_up", "1 while the database answered when last asked, 0 while it cannot be reached.",
            registry=registry, multiprocess_mode="mostrecent",
        )
        self.database_errors = Counter(
            "tsunagu_database_errors", "Requests answered 503 because the database could not be reached.",
            registry=registry,
        )
        self.plan_fallbacks = Counter(
            "tsunagu_plan_fallback", "Queries that ran on graphql-core's executor instead of their "
            "compiled plan (schema.engine.executor), by operation and reason.", ("operation", "reason"),
            registry=registry,
        )
        self.labels: set[str] = set()
        self.redis_down = False

    def watch_redis(self, link: RedisLink) -> None:
        """Report the state of the link to Redis from now on."""
        registry = self.registry
        self.redis_up = Gauge(
            "tsunagu_redis_up", "1 when the last command to Redis was answered, else 0 (the lowest of "
            "the live workers).", registry=registry, multiprocess_mode="livemin",
        )
        self.redis_breaker_open = Gauge(
            "tsunagu_redis_breaker_open", "1 while the service serves without Redis and only probes it "
            "(the highest of the live workers).", registry=registry, multiprocess_mode="livemax",
        )
        self.redis_errors = Counter(
            "tsunagu_redis_errors", "Commands to Redis that failed or timed out.", registry=registry,
        )
        link.watch(self)

    def redis_failed(self) -> None:
        self.redis_errors.inc()

    def redis_state(self, *, reachable: bool, breaker_open: bool) -> None:
        self.redis_up.set(int(reachable))
        self.redis_breaker_open.set(int(breaker_open))
        self.redis_down = breaker_open

    def label(self, operation: str | None) -> str:
        name = operation or "none"
        if name in self.labels or len(self.labels) < MAX_OPERATION_LABELS:
            self.labels.add(name)
            return name
        return "other"

    def plan_fell_back(self, operation: str, reason: str, where: str) -> None:
        """Count one query that stepped aside from its plan (`schema.engine.executor.step_asides`).
        `where` (a field or a type) is left to the debug log: as a label it would be unbounded."""
        self.plan_fallbacks.labels(self.label(operation), reason).inc()

    def observe(self, record: RequestRecord, status: int, seconds: float) -> None:
        label = self.label(record.operation)
        self.requests.labels(label, str(status)).inc()
        self.latency.labels(label).observe(seconds)
        self.statements.labels(label).observe(record.statements)

    def exposition(self) -> bytes:
        if self.multiprocess_dir is None:
            assert self.registry is not None
            return generate_latest(self.registry)
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=self.multiprocess_dir)
        return generate_latest(registry)

    async def endpoint(self, request: Request) -> Response:
        return Response(self.exposition(), media_type=CONTENT_TYPE_LATEST)


class Observe:
    """Wraps /graphql: request id, one access log line, and the request's metrics."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics
        counter = logging.getLogger(SQL_LOGGER)
        if not any(isinstance(h, StatementCounter) for h in counter.handlers):
            counter.addHandler(StatementCounter(level=logging.DEBUG))
            counter.setLevel(logging.DEBUG)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get("x-request-id", "")
        record = RequestRecord(given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex)
        token = _current.set(record)
        status = 500
        started = time.perf_counter()

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message).append("X-Request-ID", record.request_id)
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            seconds = time.perf_counter() - started
            _current.reset(token)
            self.metrics.observe(record, status, seconds)
            ACCESS_LOG.info(
                "request",
                extra={
                    "request_id": record.request_id,
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "operation": record.operation,
                    "duration_ms": round(seconds * 1000, 2),
                    "statements": record.statements,
                    **({"database": record.database} if record.database else {}),
                }
                | ({"redis": "down"} if self.metrics.redis_down else {}),
            )
