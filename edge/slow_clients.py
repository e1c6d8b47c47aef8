"""Deadlines for receiving a request, so that slow or silent clients cannot hold connections.

uvicorn bounds the idle time between requests on a kept-alive connection, but not the time a
client takes to send a request: a client that opens a connection and says nothing, or sends its
headers or its body a byte a second, holds the connection (and a file descriptor, and the
request's task) for as long as it likes, and the request timeout (`request_guard`) only starts
once the body is in. `DeadlineHttpToolsProtocol` is uvicorn's httptools protocol with two more
timers: the request head (request line and headers) must arrive within `header_timeout` seconds
of the connection opening or of its first byte, and the body within `body_timeout` seconds of the
head. A request that misses its deadline is answered 408 with a GraphQL-style JSON error when no
response has begun, and its connection closed; other connections are served meanwhile.
`tsunagu serve` uses it; behind a reverse proxy, set the proxy's own timeouts too (README).
"""

from __future__ import annotations

import asyncio
import json
import logging
from functools import cache

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from settings import Settings

LOG = logging.getLogger("tsunagu.access")


@cache
def deadlines() -> tuple[float, float]:
    """Seconds for the request head and for the body, read once per process from the environment."""
    settings = Settings.from_env()
    return settings.header_timeout, settings.body_timeout


def request_timeout_response(message: str) -> bytes:
    """A complete HTTP/1.1 408 response that closes the connection."""
    body = json.dumps({"errors": [{"message": message, "extensions": {"code": "REQUEST_TIMEOUT"}}]}).encode()
    head = (
        "HTTP/1.1 408 Request Timeout\r\n"
        "content-type: application/json\r\n"
        f"content-length: {len(body)}\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


class DeadlineHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with deadlines for the request head and body."""

    head_timer: asyncio.TimerHandle | None = None
    body_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.arm_head_timer()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self.head_timer is None:
            self.arm_head_timer()

    def on_headers_complete(self) -> None:
        self.cancel_timers()
        super().on_headers_complete()
        body_timeout = deadlines()[1]
        self.body_timer = self.loop.call_later(body_timeout, self.expire, "body", body_timeout)

    def on_message_complete(self) -> None:
        self.cancel_timers()
        super().on_message_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self.cancel_timers()
        super().connection_lost(exc)

    def arm_head_timer(self) -> None:
        header_timeout = deadlines()[0]
        self.head_timer = self.loop.call_later(header_timeout, self.expire, "headers", header_timeout)

    def cancel_timers(self) -> None:
        for timer in (self.head_timer, self.body_timer):
            if timer is not None:
                timer.cancel()
        self.head_timer = self.body_timer = None

    def expire(self, part: str, seconds: float) -> None:
        """The client took too long: answer 408 if nothing was answered yet, and hang up.

        A request whose task waits for more body hears that the client disconnected. A head that
        is late behind an earlier request still being answered only stops the connection from
        being kept alive after that answer.
        """
        self.head_timer = self.body_timer = None
        cycle = self.cycle
        in_flight = cycle is not None and not cycle.response_complete
        if self.transport.is_closing():
            return
        if part == "headers" and in_flight:
            cycle.keep_alive = False
            return
        if in_flight:
            cycle.disconnected = True
            cycle.message_event.set()
        if part == "headers" or (in_flight and not cycle.response_started):
            self.transport.write(request_timeout_response(f"The request {part} did not arrive within {seconds:g} seconds."))
        self.transport.close()
        LOG.warning("slow client dropped", extra={"status": 408, "error": f"{part} timeout"})
