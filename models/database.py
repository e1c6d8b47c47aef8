"""Opening the database and creating what the models alone cannot describe.

`generate_schemas` creates the tables; the text-search index is dialect specific (an FTS5
trigram table on SQLite, a pg_trgm GIN index on PostgreSQL), so it is created here, and so is
the partial unique index that allows one live registration per municipality and event.
"""

from __future__ import annotations

from tortoise import Tortoise, connections

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


def dialect() -> str:
    """`sqlite` or `postgres`: the few places that write raw SQL ask this."""
    return connections.get("default").capabilities.dialect


async def open_database(db_url: str, *, create: bool = False, global_fallback: bool = False) -> None:
    await Tortoise.init(
        config=tortoise_config(db_url),
        _create_db=create,
        _enable_global_fallback=global_fallback,
    )


async def create_schema() -> None:
    """Create every table and index that does not exist yet."""
    await Tortoise.generate_schemas(safe=True)
    connection = connections.get("default")
    await connection.execute_script(LIVE_REGISTRATION_DDL)
    if dialect() == "sqlite":
        await connection.execute_script(SQLITE_SEARCH_DDL)
    else:
        for statement in POSTGRES_SEARCH_DDL:
            await connection.execute_script(statement)
