"""`tsunagu backup` and `tsunagu restore` round-trip every table, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json

from tortoise import connections

from cli import main
from database.connection import dialect
from tests.api.test_government_pitch import CREATE, challenge_input

TABLES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    "postgres": "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'",
}


async def fingerprint() -> dict[str, str]:
    """Every table's rows (models, many-to-many links, the search index), hashed."""
    connection = connections.get("default")
    prints = {}
    for row in await connection.execute_query_dict(TABLES[dialect()]):
        table = row["name"]
        rows = await connection.execute_query_dict(f'SELECT * FROM "{table}"')
        canonical = sorted(json.dumps(row, sort_keys=True, default=str) for row in rows)
        prints[table] = hashlib.sha256("\n".join(canonical).encode()).hexdigest()
    return prints


async def test_a_backup_restores_every_table_as_it_was(database_url, sign_in, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    city = await sign_in("MUNICIPALITY", municipality="272256")
    await city.accepted(CREATE, {"input": challenge_input(title="バックアップ前の課題")})
    before = await fingerprint()

    assert await asyncio_main(["backup", str(tmp_path / "tsunagu.backup")]) == 0
    await city.accepted(CREATE, {"input": challenge_input(title="バックアップ後の課題")})
    changed = await fingerprint()
    assert await asyncio_main(["restore", str(tmp_path / "tsunagu.backup")]) == 0
    after = await fingerprint()

    assert {"challenge", "challenge_theme", "offering_theme", "search_entry"} <= before.keys()
    assert changed["challenge"] != before["challenge"]
    assert after == before


async def test_restoring_a_missing_backup_changes_nothing(database_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", database_url)
    before = await fingerprint()

    assert await asyncio_main(["restore", str(tmp_path / "missing.backup")]) == 1

    assert "There is no backup" in capsys.readouterr().err
    assert await fingerprint() == before


async def asyncio_main(argv: list[str]) -> int:
    """The CLI's synchronous command, run in a thread so this test's event loop keeps serving."""
    import asyncio

    return await asyncio.to_thread(main, argv)
