"""Runtime settings, read once from the environment.

Every knob the service has lives here, so that `server.py`, the CLI and the tests agree on
what the defaults are.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent
DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_DATABASE_URL = f"sqlite://{PROJECT_ROOT / 'tsunagu.sqlite3'}"
DEFAULT_ALLIANCE_SLUG = "expo2025"


@dataclass(frozen=True, kw_only=True)
class Settings:
    """What the service needs to know about where it runs."""

    database_url: str = DEFAULT_DATABASE_URL
    environment: str = "development"
    data_dir: Path = field(default=DATA_DIR)
    alliance_slug: str = DEFAULT_ALLIANCE_SLUG

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            database_url=normalise_database_url(env.get("DATABASE_URL", DEFAULT_DATABASE_URL)),
            environment=env.get("TSUNAGU_ENV", "development"),
            alliance_slug=env.get("TSUNAGU_ALLIANCE", DEFAULT_ALLIANCE_SLUG),
        )


def normalise_database_url(url: str) -> str:
    """Accept the spellings people use for PostgreSQL URLs; Tortoise knows `postgres://`."""
    for prefix in ("postgresql+asyncpg://", "postgresql://"):
        if url.startswith(prefix):
            return "postgres://" + url[len(prefix):]
    return url
