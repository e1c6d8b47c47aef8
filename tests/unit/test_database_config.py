"""The ORM configuration: PostgreSQL's pool hands connections back without a reset round trip;
SQLite's client is the one several processes can share (`database.sqlite`)."""

from __future__ import annotations

from models import keep_session, tortoise_config


def test_a_postgres_pool_resets_nothing_beyond_asyncpgs_rollback():
    config = tortoise_config("postgres://postgres@127.0.0.1:5432/test?maxsize=10")["connections"]["default"]

    assert config["engine"] == "tortoise.backends.asyncpg"
    assert config["credentials"]["reset"] is keep_session
    assert config["credentials"]["maxsize"] == "10", "the URL's own settings are kept"
    sqlite = tortoise_config("sqlite://tsunagu.sqlite3")["connections"]["default"]
    assert (sqlite["engine"], sqlite["credentials"]["file_path"]) == ("database.sqlite", "tsunagu.sqlite3")
