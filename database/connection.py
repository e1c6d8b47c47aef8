"""Opening the database and creating what the models alone cannot describe.

The migrations in `migrations/` create the tables (`tsunagu migrate`). The text-search index is
dialect specific (an FTS5 trigram table on SQLite, a pg_trgm GIN index on PostgreSQL), so it is
created here, and so is the partial unique index that allows one live registration per
municipality and event, and the indexes that look working-group seats up by group and by member.

Model docstrings become table comments in the migrations. Tortoise 1.1.9 runs SQLite migrations
statement by statement, split at every ";", so a docstring must not contain one (the migration
tests would fail).
"""

from __future__ import annotations

import socket
import sqlite3
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from tortoise import Tortoise, connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.exceptions import DBConnectionError
from tortoise.migrations.autodetector import MigrationAutodetector
from tortoise.migrations.executor import MigrationExecutor, MigrationTarget

from models import tortoise_config

SQLITE_SEARCH_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_entry_fts USING fts5("
    "body, content='search_entry', content_rowid='id', tokenize='trigram');"
    # Keep the index in step with every later write (the external-content pattern of FTS5).
    "CREATE TRIGGER IF NOT EXISTS search_entry_ai AFTER INSERT ON search_entry BEGIN "
    "INSERT INTO search_entry_fts(rowid, body) VALUES (new.id, new.body); END;"
    "CREATE TRIGGER IF NOT EXISTS search_entry_ad AFTER DELETE ON search_entry BEGIN "
    "INSERT INTO search_entry_fts(search_entry_fts, rowid, body) VALUES('delete', old.id, old.body); END;"
    "CREATE TRIGGER IF NOT EXISTS search_entry_au AFTER UPDATE ON search_entry BEGIN "
    "INSERT INTO search_entry_fts(search_entry_fts, rowid, body) VALUES('delete', old.id, old.body); "
    "INSERT INTO search_entry_fts(rowid, body) VALUES (new.id, new.body); END;"
)
POSTGRES_SEARCH_DDL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS search_entry_body_trgm "
    "ON search_entry USING gin (body gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS municipality_name_trgm "
    "ON municipality USING gin (name gin_trgm_ops)",
)

# The same statement on both databases: cancelled registrations are history and may repeat.
LIVE_REGISTRATION_DDL = (
    "CREATE UNIQUE INDEX IF NOT EXISTS event_registration_live "
    "ON event_registration (event_id, municipality_id) WHERE status <> 'CANCELLED'"
)


# A working group's participants are counted, and a page of members' working groups looked up,
# by these columns; without an index each is a scan of every seat of every alliance.
WORKING_GROUP_SEAT_DDL = (
    "CREATE INDEX IF NOT EXISTS working_group_participant_group "
    "ON working_group_participant (working_group_id, left_on);"
    "CREATE INDEX IF NOT EXISTS working_group_participant_membership "
    "ON working_group_participant (membership_id, left_on);"
)


class DatabaseUnavailable(Exception):
    """The database could not be reached while answering a request (see `is_unavailable`)."""


# What a refused, cut or timed-out connection raises, and what PostgreSQL says while it shuts
# down, starts up or has no connection slot left.
UNREACHABLE = (
    DatabaseUnavailable,
    DBConnectionError,
    ConnectionError,
    TimeoutError,
    socket.gaierror,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
)
# SQLite's words for a file it cannot open, or that other processes hold locked past the busy timeout.
SQLITE_UNREACHABLE = ("unable to open database file", "database is locked", "disk I/O error")


def is_unavailable(error: BaseException) -> bool:
    """Whether `error`, or an error it arose from, says the database cannot be reached now, as
    opposed to a fault of one statement (which stays a fault)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, UNREACHABLE):
            return True
        if isinstance(current, sqlite3.OperationalError) and str(current) in SQLITE_UNREACHABLE:
            return True
        current = current.__cause__ or current.__context__
    return False


def dialect() -> str:
    """`sqlite` or `postgres`: the few places that write raw SQL ask this."""
    return connections.get("default").capabilities.dialect


async def open_database(db_url: str, *, create: bool = False, global_fallback: bool = False) -> None:
    await Tortoise.init(
        config=tortoise_config(db_url),
        _create_db=create,
        _enable_global_fallback=global_fallback,
    )
    forget_sql_of_another_backend()


_backend_of_cached_sql: str | None = None


def forget_sql_of_another_backend() -> None:
    """Drop the INSERT and UPDATE statements Tortoise built for another backend.

    Tortoise keeps each model's statements for the life of the process, by connection name and
    table but not by backend, so a process that opens SQLite and then PostgreSQL (or the other way
    round) under the same name would send one's SQL to the other. Only tools and tests do that.
    """
    global _backend_of_cached_sql
    backend = dialect()
    if backend != _backend_of_cached_sql:
        EXECUTOR_CACHE.clear()
        _backend_of_cached_sql = backend


async def create_database_if_missing(db_url: str) -> None:
    """Create a PostgreSQL database that does not exist yet; SQLite makes its file on first use.

    Tortoise's own `_create_db` issues CREATE DATABASE unconditionally, which fails on every run
    after the first.
    """
    if not db_url.startswith("postgres"):
        return
    parts = urlsplit(db_url)
    try:
        connection = await asyncpg.connect(urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")))
    except asyncpg.InvalidCatalogNameError:
        await open_database(db_url, create=True)
        await Tortoise.close_connections()
        return
    await connection.close()


INITIAL_MIGRATION = "0001_initial"


async def apply_migrations(*, fake_initial: bool = True) -> None:
    """Bring the schema up to the newest migration in `migrations/`.

    A database created before migrations existed (its tables made by `generate_schemas`, which
    match the initial migration) is first recorded as being at the initial migration.
    """
    connection = connections.get("default")
    apps = {"models": tortoise_config("")["apps"]["models"]}
    if fake_initial and await has_unrecorded_tables(connection):
        await MigrationExecutor(connection, apps).migrate(
            [MigrationTarget(app_label="models", name=INITIAL_MIGRATION)], fake=True
        )
    await MigrationExecutor(connection, apps).migrate()


async def has_unrecorded_tables(connection: BaseDBAsyncClient) -> bool:
    """Whether the database has Tsunagu's tables but no record of migrations."""
    tables = {
        "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table'",
        "postgres": "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()",
    }[dialect()]
    names = {row["name"] for row in await connection.execute_query_dict(tables)}
    return "alliance" in names and "tortoise_migrations" not in names


async def create_schema() -> None:
    """Apply the migrations, then create the dialect-specific indexes that do not exist yet."""
    await apply_migrations()
    connection = connections.get("default")
    await connection.execute_script(LIVE_REGISTRATION_DDL)
    await connection.execute_script(WORKING_GROUP_SEAT_DDL)
    if dialect() == "sqlite":
        await connection.execute_script(SQLITE_SEARCH_DDL)
    else:
        for statement in POSTGRES_SEARCH_DDL:
            await connection.execute_script(statement)


async def pending_model_changes() -> list[str]:
    """Changes to the models that no migration records yet (empty when they agree)."""
    apps = {"models": tortoise_config("")["apps"]["models"]}
    writers = await MigrationAutodetector(Tortoise.apps, apps).changes()
    return [f"{writer.app_label}.{writer.name}" for writer in writers]
