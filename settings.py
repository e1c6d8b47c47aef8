"""Runtime settings, read once from the environment.

Every knob the service has lives here, so that `server.py`, the CLI and the tests agree on
what the defaults are.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent
DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_DATABASE_URL = f"sqlite://{PROJECT_ROOT / 'tsunagu.sqlite3'}"
TRUSTED_OPERATIONS_DIR = PROJECT_ROOT / "clients" / "python" / "operations"
TOKEN_POINTS_PER_MINUTE = 50_000
ANONYMOUS_POINTS_PER_MINUTE = 10_000
CALLER_KINDS = frozenset({"anonymous", "admin", "municipality", "partner"})
DEFAULT_ALLIANCE_SLUG = "expo2025"
RESPONSE_CACHE_TTL = 60.0
RESPONSE_CACHE_ENTRIES = 10_000
RESPONSE_CACHE_MB = 64
FORWARDED_ALLOW_IPS = "127.0.0.1"
REDIS_TIMEOUT = 0.25
REDIS_RETRY_INTERVAL = 1.0
IDEMPOTENCY_KEY_HOURS = 24.0
DEFAULT_MAIL_FROM = "Tsunagu <no-reply@tsunagu.localhost>"
MAIL_RATE = 60.0
DEFAULT_ORIGIN = "http://localhost:8000"


@dataclass(frozen=True, kw_only=True)
class Settings:
    """What the service needs to know about where it runs."""

    database_url: str = DEFAULT_DATABASE_URL
    environment: str = "development"
    data_dir: Path = field(default=DATA_DIR)
    persisted_only: frozenset[str] = frozenset()
    """Kinds of caller (`anonymous`, `partner`, …) that may run trusted operations only."""
    anonymous_introspection: bool = False
    """Whether anonymous callers may introspect in production (development always allows it)."""
    trusted_operations_dir: Path = field(default=TRUSTED_OPERATIONS_DIR)
    redis_url: str | None = None
    """Shared state across workers and hosts (subscription fan-out, budgets, the data version of the
    response cache); in-process when unset."""
    redis_timeout: float = REDIS_TIMEOUT
    """Seconds to wait for Redis to connect or answer before the request goes on without it."""
    redis_retry_interval: float = REDIS_RETRY_INTERVAL
    """Seconds between attempts to reach Redis again while it is away (`resolvers.cluster.redis_link`)."""
    token_points_per_minute: int = TOKEN_POINTS_PER_MINUTE
    """The query-cost budget of each token per clock minute."""
    anonymous_points_per_minute: int = ANONYMOUS_POINTS_PER_MINUTE
    """The query-cost budget of each anonymous IP address per clock minute."""
    request_timeout: float = 30.0
    """Seconds a /graphql request may run before it is stopped (and its transaction rolled back)."""
    header_timeout: float = 10.0
    """Seconds a client has to send a request's line and headers (`slow_clients`); 408 after."""
    body_timeout: float = 30.0
    """Seconds a client has to send a request's body once its headers are in; 408 after."""
    alliance_slug: str = DEFAULT_ALLIANCE_SLUG
    response_cache_ttl: float = RESPONSE_CACHE_TTL
    """Seconds a cached answer to a query may be served (until a write makes it stale); 0 turns
    the response cache off."""
    response_cache_entries: int = RESPONSE_CACHE_ENTRIES
    """The most answers one process keeps in its response cache."""
    response_cache_bytes: int = RESPONSE_CACHE_MB * 1_000_000
    """The most bytes of answers one process keeps in its response cache."""
    forwarded_allow_ips: str = FORWARDED_ALLOW_IPS
    """The proxies whose `X-Forwarded-Proto` and `X-Forwarded-For` are believed: comma-separated
    addresses or networks (`10.0.0.0/8`), or `*` for any (only when nothing else can reach the
    service). From anyone else those headers are ignored, so a client cannot claim HTTPS (and the
    Secure cookie decisions that follow) or another address (and its query-cost budget)."""
    public_origin: str | None = None
    """The origin browsers reach the portals at, e.g. `https://tsunagu.example.jp`: a form is
    accepted only from it, and login links point to it. Unset, a form must come from the host the
    request names (its `Host` header), and login links use that host."""
    idempotency_key_hours: float = IDEMPOTENCY_KEY_HOURS
    """Hours a mutation's Idempotency-Key and first answer are kept; a retry after that runs again."""
    smtp_url: str | None = None
    """Where the outbox is delivered: `smtp://user:pass@host:port`, `smtps://…` (TLS from the start)
    or `smtp://…?starttls=1`. Unset, messages are written to `maildir` instead."""
    maildir: Path | None = None
    """The maildir messages are written to without `smtp_url`; None: `mail/` beside the database."""
    mail_from: str = DEFAULT_MAIL_FROM
    """The From header of every message."""
    mail_sender: bool = True
    """Whether `tsunagu serve` runs the outbox's sender beside itself (`tsunagu send-mail --parent`)."""
    mail_rate: float = MAIL_RATE
    """The most messages one sender delivers a second, spread evenly; 0 for no limit."""

    @property
    def mail_directory(self) -> Path:
        """The maildir used without `smtp_url`: `maildir`, else `mail/` beside a SQLite database,
        else `mail/` in the working directory."""
        if self.maildir is not None:
            return self.maildir
        if self.database_url.startswith("sqlite://") and ":memory:" not in self.database_url:
            return Path(self.database_url.removeprefix("sqlite://")).resolve().parent / "mail"
        return Path("mail").resolve()

    @property
    def link_origin(self) -> str:
        """The origin links in emails point to (`public_origin`, else the development server's)."""
        return self.public_origin or DEFAULT_ORIGIN

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            database_url=normalise_database_url(env.get("DATABASE_URL", DEFAULT_DATABASE_URL)),
            environment=env.get("TSUNAGU_ENV", "development"),
            persisted_only=caller_kinds(env.get("TSUNAGU_PERSISTED_ONLY", "")),
            anonymous_introspection=env.get("TSUNAGU_ANONYMOUS_INTROSPECTION", "") in {"1", "true", "yes"},
            redis_url=env.get("REDIS_URL") or None,
            redis_timeout=float(env.get("TSUNAGU_REDIS_TIMEOUT", REDIS_TIMEOUT)),
            redis_retry_interval=float(env.get("TSUNAGU_REDIS_RETRY_INTERVAL", REDIS_RETRY_INTERVAL)),
            token_points_per_minute=int(env.get("TSUNAGU_TOKEN_POINTS_PER_MINUTE", TOKEN_POINTS_PER_MINUTE)),
            anonymous_points_per_minute=int(
                env.get("TSUNAGU_ANONYMOUS_POINTS_PER_MINUTE", ANONYMOUS_POINTS_PER_MINUTE)
            ),
            request_timeout=float(env.get("TSUNAGU_REQUEST_TIMEOUT", "30")),
            header_timeout=float(env.get("TSUNAGU_HEADER_TIMEOUT", "10")),
            body_timeout=float(env.get("TSUNAGU_BODY_TIMEOUT", "30")),
            alliance_slug=env.get("TSUNAGU_ALLIANCE", DEFAULT_ALLIANCE_SLUG),
            response_cache_ttl=float(env.get("TSUNAGU_RESPONSE_CACHE_TTL", RESPONSE_CACHE_TTL)),
            response_cache_entries=int(env.get("TSUNAGU_RESPONSE_CACHE_ENTRIES", RESPONSE_CACHE_ENTRIES)),
            response_cache_bytes=int(float(env.get("TSUNAGU_RESPONSE_CACHE_MB", RESPONSE_CACHE_MB)) * 1_000_000),
            forwarded_allow_ips=env.get("TSUNAGU_FORWARDED_ALLOW_IPS", FORWARDED_ALLOW_IPS),
            public_origin=origin(env.get("TSUNAGU_PUBLIC_ORIGIN", "")),
            idempotency_key_hours=float(env.get("TSUNAGU_IDEMPOTENCY_KEY_HOURS", IDEMPOTENCY_KEY_HOURS)),
            smtp_url=env.get("SMTP_URL") or None,
            maildir=Path(env["TSUNAGU_MAILDIR"]) if env.get("TSUNAGU_MAILDIR") else None,
            mail_from=env.get("TSUNAGU_MAIL_FROM") or DEFAULT_MAIL_FROM,
            mail_sender=env.get("TSUNAGU_MAIL_SENDER", "1") not in {"0", "false", "no"},
            mail_rate=float(env.get("TSUNAGU_MAIL_RATE", MAIL_RATE)),
        )


def caller_kinds(value: str) -> frozenset[str]:
    """`"anonymous,partner"` → the set; an unknown kind stops the service rather than being ignored."""
    kinds = frozenset(part.strip().lower() for part in value.split(",") if part.strip())
    if unknown := kinds - CALLER_KINDS:
        raise ValueError(f"TSUNAGU_PERSISTED_ONLY: unknown caller kinds {sorted(unknown)}; use {sorted(CALLER_KINDS)}.")
    return kinds


def origin(value: str) -> str | None:
    """`"https://Tsunagu.example.jp/"` → `"https://tsunagu.example.jp"`; None for ""; anything but
    a bare http(s) origin stops the service rather than being half-used."""
    if not value.strip():
        return None
    parts = urlsplit(value.strip().lower())
    bare = parts.path in {"", "/"} and not (parts.query or parts.fragment)
    if parts.scheme not in {"http", "https"} or not parts.netloc or not bare:
        raise ValueError(
            f"TSUNAGU_PUBLIC_ORIGIN: {value!r} is not an origin such as https://tsunagu.example.jp."
        )
    return f"{parts.scheme}://{parts.netloc}"


def normalise_database_url(url: str) -> str:
    """Accept the spellings people use for PostgreSQL URLs; Tortoise knows `postgres://`."""
    for prefix in ("postgresql+asyncpg://", "postgresql://"):
        if url.startswith(prefix):
            return "postgres://" + url[len(prefix):]
    return url
