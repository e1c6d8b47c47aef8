"""The response cache: answers to read operations, served again without running GraphQL.

It sits behind `server.Authenticate` (so it knows the caller) and in front of the GraphQL view.
An answer is kept when the schema says the operation may be (`schema.caching`: a query without
errors), keyed by SHA-256 over
- what the caller may see: "anonymous", or the user, token, role, organisation and scopes of the
  token (two tokens never share answers, so nothing private crosses from one account to another);
- the language of the answer (`server.Authenticate` chose it), since messages and names are in it;
- the query text (or persisted-query hash), `operationName`, the variables and extensions, as
  canonical JSON.
GET and POST share entries. Each entry remembers the data version (`resolvers.cluster.data_version`)
read before its operation ran, and is served only while that is still the current version, and
for at most `TSUNAGU_RESPONSE_CACHE_TTL` seconds (which bounds answers that change with time, such
as upcoming events). A hit charges the operation's cost to the caller's budget as running it
would, and reports the budget in `extensions.cost`; a caller over budget is answered by the
GraphQL view (HTTP 429). The `X-Cache` header says HIT, MISS (run and kept) or BYPASS.

While the data version cannot be read (Redis, which holds it, is away) nothing is served from
the cache or kept in it, and what it held is dropped: another worker may have written meanwhile.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import MutableHeaders, QueryParams
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from edge.observability import Metrics, name_operation
from edge.request_guard import GRAPHQL_RESPONSE, replaying
from i18n import language_in_use
from resolvers.access import Actor
from resolvers.cluster.budget import CostBudget, caller_of
from resolvers.cluster.data_version import data_version
from schema.caching import noting
from schema.cost import cost_report
from settings import Settings

DATA_PREFIX = b'{"data":'
EXTENSIONS_INFIX = b',"extensions":'


@dataclass(frozen=True)
class Entry:
    version: int
    expires_at: float
    cost: int
    data: bytes
    """The answer's `data` as JSON."""


class ResponseStore:
    """A least-recently-used store bounded by entry count and by bytes of data."""

    def __init__(self, *, max_entries: int, max_bytes: int, clock: Any = time.monotonic) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.clock = clock
        self.entries: OrderedDict[bytes, Entry] = OrderedDict()
        self.size = 0

    def get(self, key: bytes, version: int) -> Entry | None:
        entry = self.entries.get(key)
        if entry is None or entry.version != version or entry.expires_at <= self.clock():
            return None
        self.entries.move_to_end(key)
        return entry

    def put(self, key: bytes, version: int, ttl: float, cost: int, data: bytes) -> None:
        """Keep `data`, unless an entry of a newer version is there already."""
        if len(data) > self.max_bytes:
            return
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= len(old.data)
            if old.version > version:
                self.entries[key] = old
                self.size += len(old.data)
                return
        self.entries[key] = Entry(version, self.clock() + ttl, cost, data)
        self.size += len(data)
        while len(self.entries) > self.max_entries or self.size > self.max_bytes:
            _, evicted = self.entries.popitem(last=False)
            self.size -= len(evicted.data)

    def clear(self) -> None:
        self.entries.clear()
        self.size = 0


def visibility(actor: Actor) -> str:
    """What decides what the caller may see; equal only for the same token of the same user."""
    if not actor.is_authenticated:
        return "anonymous"
    role = actor.role.value if actor.role is not None else ""
    scopes = ",".join(sorted(scope.value for scope in actor.scopes))
    return f"user:{actor.user_id}:token:{actor.token_id}:{role}:{actor.municipality_id}:{actor.partner_id}:{scopes}"


def request_of(scope: Scope, body: bytes) -> dict[str, Any] | None:
    """The GraphQL request's fields, or None when the view must answer it as it is."""
    if scope["method"] == "POST":
        try:
            payload = json.loads(body)
        except ValueError:
            return None
        return payload if isinstance(payload, dict) else None
    params = QueryParams(scope.get("query_string", b""))
    if "text/html" in accept_of(scope) and "extensions" not in params:
        return None  # GraphiQL, not an operation
    request: dict[str, Any] = {
        "query": params.get("query"),
        "operationName": params.get("operationName"),
    }
    try:
        for name in ("variables", "extensions"):
            if name in params:
                request[name] = json.loads(params[name])
    except ValueError:
        return None
    return request


def accept_of(scope: Scope) -> str:
    """The Accept header, read without building `Headers` (a hit should cost next to nothing)."""
    for name, value in scope["headers"]:
        if name == b"accept":
            return value.decode("latin-1")
    return ""


def cache_key(actor: Actor, request: dict[str, Any], language: str) -> bytes:
    fields = [request.get(name) for name in ("query", "operationName", "variables", "extensions")]
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{visibility(actor)}\n{language}\n{canonical}".encode()).digest()


def data_of(body: bytes) -> bytes | None:
    """The `data` of a response without errors, as the view serialised it: `{"data":…,"extensions":{…}}`.

    `extensions` comes last and holds no nested `extensions` key, so its last mention is the split.
    """
    split = body.rfind(EXTENSIONS_INFIX)
    if not body.startswith(DATA_PREFIX) or split < 0:
        return None
    return body[len(DATA_PREFIX) : split]


class ResponseCache:
    """Wraps the GraphQL view for HTTP; WebSocket connections pass through."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        settings: Settings,
        budget: CostBudget,
        metrics: Metrics,
        schema_version: str,
    ) -> None:
        self.app = app
        self.settings = settings
        self.budget = budget
        self.metrics = metrics
        self.schema_version = schema_version
        self.store = ResponseStore(
            max_entries=settings.response_cache_entries, max_bytes=settings.response_cache_bytes
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.settings.response_cache_ttl <= 0:
            await self.app(scope, receive, send)
            return
        body = await read_all(receive) if scope["method"] == "POST" else b""
        request = request_of(scope, body)
        if request is None:
            await self.run(scope, replaying(body), send, None)
            return
        actor: Actor = scope["state"]["actor"]
        key = cache_key(actor, request, language_in_use())
        version = await data_version.current()
        if version is None:
            self.store.clear()
            await self.run(scope, replaying(body), send, None)
            return
        entry = self.store.get(key, version)
        if entry is not None and await self.serve(scope, send, actor, request, entry):
            return
        await self.run(scope, replaying(body), send, (key, version))

    async def serve(
        self, scope: Scope, send: Send, actor: Actor, request: dict[str, Any], entry: Entry
    ) -> bool:
        """Answer from `entry` if the caller's budget pays for it; False leaves it to the view."""
        client = scope.get("client")
        caller = caller_of(actor, client[0] if client else "", self.settings)
        remaining = await self.budget.spend(caller, entry.cost)
        if not remaining.granted:
            return False
        name_operation(request.get("operationName"))
        extensions = {
            "schemaVersion": self.schema_version,
            "cost": cost_report(entry.cost, remaining),
        }
        body = b"".join(
            (
                DATA_PREFIX,
                entry.data,
                EXTENSIONS_INFIX,
                json.dumps(extensions, separators=(",", ":")).encode(),
                b"}",
            )
        )
        content_type = (
            GRAPHQL_RESPONSE if GRAPHQL_RESPONSE in accept_of(scope) else "application/json"
        )
        headers = [
            (b"content-length", str(len(body)).encode()),
            (b"content-type", content_type.encode()),
            (b"x-cache", b"HIT"),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        self.metrics.response_cache.labels("hit").inc()
        return True

    async def run(
        self, scope: Scope, receive: Receive, send: Send, slot: tuple[bytes, int] | None
    ) -> None:
        """Let the view answer; keep the answer under `slot` (key, version) if the schema allows."""
        status = 0
        parts: list[bytes] = []
        with noting() as note:

            async def sending(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                    kept = slot is not None and note.cacheable and status == 200
                    MutableHeaders(scope=message).append("X-Cache", "MISS" if kept else "BYPASS")
                elif (
                    message["type"] == "http.response.body" and slot is not None and note.cacheable
                ):
                    parts.append(message.get("body", b""))
                await send(message)

            await self.app(scope, receive, sending)
        data = (
            data_of(b"".join(parts))
            if slot is not None and note.cacheable and status == 200
            else None
        )
        if data is None or slot is None:
            self.metrics.response_cache.labels("bypass").inc()
            return
        key, version = slot
        self.store.put(key, version, self.settings.response_cache_ttl, note.cost, data)
        self.metrics.response_cache.labels("miss").inc()


async def read_all(receive: Receive) -> bytes:
    """The body `request_guard.RequestGuard` has read and checked already, replayed in one message."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)
