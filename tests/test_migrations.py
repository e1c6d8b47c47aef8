"""The schema comes from the migrations in `migrations/`, and they agree with the models."""

from __future__ import annotations

from pathlib import Path

from tortoise import Tortoise, connections

from cli import main, migrate
from models.database import create_schema, open_database, pending_model_changes
from settings import PROJECT_ROOT, Settings
from tests.conftest import IS_POSTGRES, RUN_ID, opened_database, postgres_admin, postgres_url

# Every migration in migrations/, oldest first.
MIGRATIONS = sorted(path.stem for path in (PROJECT_ROOT / "migrations").glob("[0-9]*.py"))


async def applied() -> list[str]:
    rows = await connections.get("default").execute_query_dict("SELECT name FROM tortoise_migrations")
    return [row["name"] for row in rows]


async def test_the_models_and_the_migrations_agree(database_url):
    assert await pending_model_changes() == []


async def test_an_empty_database_is_built_by_the_migrations(tmp_path):
    async with opened_database(tmp_path, None):
        await create_schema()
        assert await applied() == MIGRATIONS
        await create_schema()
        assert await applied() == MIGRATIONS, "applying again changes nothing"


async def test_a_database_made_before_migrations_is_recorded_at_the_initial_one(tmp_path):
    async with opened_database(tmp_path, None):
        await Tortoise.generate_schemas(safe=True)
        # Such a database has the initial migration's tables, not what later migrations add.
        await connections.get("default").execute_script("DROP TABLE search_body_format")
        await connections.get("default").execute_script("DROP TABLE idempotency_key")
        await connections.get("default").execute_script("ALTER TABLE user_account DROP COLUMN language")
        await create_schema()
        assert await applied() == MIGRATIONS, "recorded at the initial migration, then brought up to date"
        tables = await connections.get("default").execute_query_dict("SELECT COUNT(*) AS n FROM alliance")
        assert tables[0]["n"] == 0


def test_the_command_checks_the_models_against_the_migrations(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite://{tmp_path / 'check.sqlite3'}")

    assert main(["migrate", "--check"]) == 0
    assert "models and migrations agree" in capsys.readouterr().err


async def test_the_command_creates_a_missing_database_and_runs_again_on_an_existing_one(tmp_path):
    if IS_POSTGRES:
        name = f"tsunagu_migrate_{RUN_ID}"
        url = postgres_url(name)
    else:
        url = f"sqlite://{tmp_path / 'new.sqlite3'}"
    try:
        assert await migrate(Settings(database_url=url), check=False) == []
        assert await migrate(Settings(database_url=url), check=False) == [], "a second run succeeds"
        await open_database(url)
        try:
            assert await applied() == MIGRATIONS
        finally:
            await Tortoise.close_connections()
    finally:
        if IS_POSTGRES:
            await postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
