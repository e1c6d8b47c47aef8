"""The HTTP edge of /graphql: malformed or oversized requests get a 4xx GraphQL-style JSON error.

Strawberry answers some malformed requests with plain text and lets others (invalid UTF-8, a
`null` body, JSON nested deeper than Python's recursion limit) raise, which would be a 500. This
guard reads the body once, checks it, and hands the same bytes on; any 4xx that still comes back
as plain text is rewritten as JSON. Nothing a caller sees names an exception, a path or SQL.

Every answer says its language in `Content-Language`: the guard speaks the one `Accept-Language`
asks for, and `server.Authenticate` narrows it once the caller (and their saved preference) is known.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from i18n import Text, choose_language, language_in_use, message, speaking
from resolvers.text import whole_number

MAX_BODY_BYTES = 1_000_000
# A longer Content-Length is not read as a number; the body is still cut off at MAX_BODY_BYTES.
MAX_CONTENT_LENGTH_DIGITS = 18
MAX_JSON_DEPTH = 32
GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON_TYPES = ("application/json", GRAPHQL_RESPONSE)
# Errors of the request itself (unparsable, invalid, variables that do not fit), not of execution:
# validation errors carry this code, and parse errors none (every execution error has a code).
REQUEST_ERROR_CODES = frozenset({"GRAPHQL_VALIDATION_FAILED", None})
OPTIONAL_STRINGS = ("query", "operationName")
OPTIONAL_OBJECTS = ("variables", "extensions")


class RequestRejected(Exception):
    def __init__(self, status: int, message: Text) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def error_response(
    status: int, message: str | Text, headers: dict[str, str] | None = None, *, code: str = "BAD_REQUEST"
) -> JSONResponse:
    """A GraphQL-style JSON error, its message in the language in use (`i18n.speaking`)."""
    return JSONResponse(
        {"errors": [{"message": str(message), "extensions": {"code": code}}]},
        status_code=status,
        headers=headers,
    )


# A JSON string (skipped whole) or a bracket: the only tokens that matter for nesting depth.
STRING_OR_BRACKET = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def json_depth_exceeds(text: str, limit: int) -> bool:
    """Whether brackets nest deeper than `limit`, counted outside strings, without recursion.

    Fewer opening brackets than the limit, strings included, cannot nest deeper: most bodies are
    answered by two counts, the rest by a scan that lets the regex engine skip over strings.
    """
    if text.count("{") + text.count("[") <= limit:
        return False
    depth = 0
    for token in STRING_OR_BRACKET.finditer(text):
        char = token.group()
        if char in ("{", "["):
            depth += 1
            if depth > limit:
                return True
        elif char in ("}", "]"):
            depth -= 1
    return False


def check_graphql_body(body: bytes) -> None:
    """The body of a POST must be one JSON object with well-typed GraphQL request fields."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RequestRejected(400, message("errors.request.not_utf8")) from error
    if json_depth_exceeds(text, MAX_JSON_DEPTH):
        raise RequestRejected(400, message("errors.request.json_too_deep", limit=MAX_JSON_DEPTH))
    try:
        payload = json.loads(text)
    except ValueError as error:
        raise RequestRejected(400, message("errors.request.not_json")) from error
    if isinstance(payload, list):
        raise RequestRejected(400, message("errors.request.batched"))
    if not isinstance(payload, dict):
        raise RequestRejected(400, message("errors.request.not_an_object"))
    for name in OPTIONAL_STRINGS:
        if payload.get(name) is not None and not isinstance(payload[name], str):
            raise RequestRejected(400, message("errors.request.not_a_string", name=name))
    for name in OPTIONAL_OBJECTS:
        if payload.get(name) is not None and not isinstance(payload[name], dict):
            raise RequestRejected(400, message("errors.request.not_an_object_field", name=name))


async def read_body(receive: Receive, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        received = await receive()
        if received["type"] == "http.disconnect":
            raise RequestRejected(400, message("errors.request.disconnected"))
        chunk = received.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise RequestRejected(413, message("errors.request.too_large", limit=limit))
        chunks.append(chunk)
        if not received.get("more_body", False):
            return b"".join(chunks)


def replaying(body: bytes) -> Receive:
    """A `receive` that hands the already-read body on once, then waits for the disconnect."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


def rewriting_plain_text_errors(send: Send) -> Send:
    """Turn a plain-text 4xx from the GraphQL view into the same message as a JSON error."""
    start: dict[str, Any] | None = None
    parts: list[bytes] = []

    async def wrapped(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            headers = Headers(raw=message["headers"])
            if message["status"] >= 400 and headers.get("content-type", "").startswith("text/plain"):
                start = dict(message)
                return
        elif message["type"] == "http.response.body" and start is not None:
            parts.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            text = b"".join(parts).decode("utf-8", errors="replace")
            allow = Headers(raw=start["headers"]).get("allow")
            response = error_response(start["status"], text, {"Allow": allow} if allow else None)
            await response({"type": "http"}, replaying(b""), send)
            return
        await send(message)

    return wrapped


def answering_as_graphql_response(send: Send) -> Send:
    """For clients that accept `application/graphql-response+json` (GraphQL over HTTP): use that
    media type, and answer a request error (nothing executed) with 400 and no `data` entry."""
    start: dict[str, Any] | None = None
    parts: list[bytes] = []

    async def wrapped(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            headers = Headers(raw=message["headers"])
            if headers.get("content-type", "").startswith("application/json"):
                start = dict(message)
                return
        elif message["type"] == "http.response.body" and start is not None:
            parts.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            status, body = start["status"], b"".join(parts)
            result = json.loads(body)
            if status == 200 and is_request_error(result):
                status = 400
                del result["data"]
                body = json.dumps(result, ensure_ascii=False).encode()
            headers = MutableHeaders(raw=list(start["headers"]))
            headers["content-type"] = GRAPHQL_RESPONSE
            headers["content-length"] = str(len(body))
            await send({"type": "http.response.start", "status": status, "headers": headers.raw})
            await send({"type": "http.response.body", "body": body})
            return
        await send(message)

    return wrapped


def saying_language(send: Send) -> Send:
    """Add `Content-Language`: the language in use where the answer starts, i.e. the caller's."""

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), (b"content-language", language_in_use().encode())]}
        await send(message)

    return wrapped


def is_request_error(result: Any) -> bool:
    if not isinstance(result, dict) or result.get("data") is not None or "data" not in result:
        return False
    codes = {(error.get("extensions") or {}).get("code") for error in result.get("errors") or []}
    return bool(codes) and codes <= REQUEST_ERROR_CODES


class RequestGuard:
    """Wraps the /graphql view; WebSocket connections pass through untouched.

    A request still running after `timeout` seconds is cancelled, which rolls back a mutation's
    transaction, and answered with 503 if no part of the response has been sent yet.
    """

    def __init__(self, app: ASGIApp, *, timeout: float, max_body_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with speaking(choose_language(Headers(scope=scope).get("accept-language"))):
            await self.guard(scope, receive, saying_language(send))

    async def guard(self, scope: Scope, receive: Receive, send: Send) -> None:
        if GRAPHQL_RESPONSE in Headers(scope=scope).get("accept", ""):
            send = answering_as_graphql_response(send)
        try:
            receive = await self.checked(scope, receive)
        except RequestRejected as rejected:
            await error_response(rejected.status, rejected.message)(scope, receive, send)
            return
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = True
            await send(message)

        try:
            async with asyncio.timeout(self.timeout):
                await self.app(scope, receive, rewriting_plain_text_errors(sending))
        except TimeoutError:
            if not started:
                with speaking(scope.get("state", {}).get("language") or language_in_use()):
                    await self.timed_out(scope, receive, send)

    async def timed_out(self, scope: Scope, receive: Receive, send: Send) -> None:
        """503 in the caller's language (the one `server.Authenticate` chose, if it got so far)."""
        refusal = message("errors.request.timeout", seconds=self.timeout)
        await error_response(503, refusal, {"Retry-After": "1"}, code="TIMEOUT")(scope, receive, send)

    async def checked(self, scope: Scope, receive: Receive) -> Callable[[], Awaitable[Message]]:
        headers = Headers(scope=scope)
        if scope["method"] != "POST":
            return receive
        declared = whole_number(headers.get("content-length", ""), MAX_CONTENT_LENGTH_DIGITS)
        if declared is not None and declared > self.max_body_bytes:
            raise RequestRejected(413, message("errors.request.too_large", limit=self.max_body_bytes))
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type not in JSON_TYPES:
            raise RequestRejected(415, message("errors.request.send_json"))
        body = await read_body(receive, self.max_body_bytes)
        check_graphql_body(body)
        return replaying(body)
