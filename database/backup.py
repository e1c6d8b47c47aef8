"""Backups of the whole database, and restoring one.

SQLite uses its online backup API, so a backup can be taken while the service runs. PostgreSQL
uses its own tools: `pg_dump --format=custom` and `pg_restore --clean --if-exists`, which must be
installed beside the service (Debian: postgresql-client); restore with the service stopped.
"""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


class BackupError(Exception):
    """Something the operator must put right; the message says what."""


def sqlite_path(database_url: str) -> Path | None:
    """The file of a `sqlite://` URL; None for other databases."""
    if not database_url.startswith("sqlite://"):
        return None
    path = database_url.removeprefix("sqlite://")
    if path in ("", ":memory:"):
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(path)


def libpq_url(database_url: str) -> str:
    """The URL the PostgreSQL tools understand (`postgresql://…`)."""
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(scheme="postgresql"))


def copy_sqlite(source: Path, target: Path) -> None:
    """Page-by-page copy through SQLite's online backup API (consistent while others write)."""
    reader, writer = sqlite3.connect(source), sqlite3.connect(target)
    try:
        reader.backup(writer)
    finally:
        writer.close()
        reader.close()


def backup(database_url: str, target: Path) -> None:
    path = sqlite_path(database_url)
    if path is not None:
        if not path.exists():
            raise BackupError(f"There is no database at {path}.")
        copy_sqlite(path, target)
        return
    run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", libpq_url(database_url)])


def restore(database_url: str, source: Path) -> None:
    if not source.exists():
        raise BackupError(f"There is no backup at {source}.")
    path = sqlite_path(database_url)
    if path is not None:
        copy_sqlite(source, path)
        return
    run(["pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={libpq_url(database_url)}", str(source)])


def run(command: list[str]) -> None:
    try:
        finished = subprocess.run(command, capture_output=True, text=True, check=False)
    except FileNotFoundError as missing:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client).") from missing
    if finished.returncode != 0:
        raise BackupError(f"{command[0]} failed: {finished.stderr.strip()}")
