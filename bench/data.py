"""The benchmark's database: created afresh, seeded with `tsunagu seed`, then given what the seed
lacks (working-group participants for expo2025) and, with `--scale N`, N-1 copies of expo2025.

The copies hold memberships of the same municipalities, the same ten working groups and the same
participants, so the membership and participation tables grow N times while expo2025's own
answers (Q1, Q3) stay byte for byte the same. Q2 lists every alliance's working groups per
theme, so its answer grows with the copies.
"""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

ROOT = Path(__file__).resolve().parent.parent
ALLIANCE_SLUG = "expo2025"
COPY_SLUG_PREFIX = "bench-copy-"
FALLBACK_JOINED_ON = date(2024, 4, 1)


def without_query(url: str) -> str:
    """asyncpg takes unknown query parameters (e.g. Tortoise's `maxsize`) as server settings."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


async def recreate_postgres_database(url: str) -> None:
    """Drop the URL's database (ending its sessions) and create it empty."""
    parts = urlsplit(without_query(url))
    quoted = '"' + database_name(url).replace('"', '""') + '"'
    last_error: Exception | None = None
    for admin_db in ("postgres", "test"):
        try:
            connection = await asyncpg.connect(
                urlunsplit((parts.scheme, parts.netloc, f"/{admin_db}", "", ""))
            )
        except (OSError, asyncpg.PostgresError) as error:
            last_error = error
            continue
        try:
            await connection.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
            await connection.execute(f"CREATE DATABASE {quoted}")
            return
        finally:
            await connection.close()
    raise RuntimeError(f"cannot reach PostgreSQL at {parts.netloc}: {last_error}")


def seed(tsunagu: Path, database_url: str) -> str:
    """Run `tsunagu seed`; return its last line of output."""
    env = {**os.environ, "DATABASE_URL": database_url}
    done = subprocess.run(
        [str(tsunagu), "seed"], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"tsunagu seed failed ({done.returncode}):\n{done.stderr}{done.stdout}")
    lines = done.stdout.strip().splitlines()
    return lines[-1] if lines else ""


def theme_numbers(code: str) -> list[int]:
    """2 or 3 distinct theme numbers (1-10) derived from a municipality code."""
    value = int(code[:5])  # the sixth digit is a check digit
    count = 2 + (value // 10) % 2
    return [(value + 3 * k) % 10 + 1 for k in range(count)]


async def add_participation(database_url: str) -> int:
    """Replace expo2025's working-group participants: each FULL member joins 2-3 groups."""
    from tortoise import Tortoise
    from tortoise.transactions import in_transaction

    from database.connection import open_database
    from models import Alliance, Membership, MembershipTier, WorkingGroup, WorkingGroupParticipant

    await open_database(database_url)
    try:
        alliance = await Alliance.get(slug=ALLIANCE_SLUG)
        groups = await WorkingGroup.filter(alliance=alliance).select_related("theme")
        by_number = {group.theme.number: group for group in groups}
        members = await Membership.filter(
            alliance=alliance, tier=MembershipTier.FULL
        ).select_related("municipality")
        seats = [
            WorkingGroupParticipant(
                working_group_id=by_number[number].id,
                membership_id=member.id,
                joined_on=member.joined_on or FALLBACK_JOINED_ON,
                left_on=None,
            )
            for member in members
            for number in theme_numbers(member.municipality.code)
        ]
        async with in_transaction():
            group_ids = [group.id for group in groups]
            await WorkingGroupParticipant.filter(working_group_id__in=group_ids).delete()
            await WorkingGroupParticipant.bulk_create(seats)
        return len(seats)
    finally:
        await Tortoise.close_connections()


async def _columns(connection: asyncpg.Connection, table: str, *leave_out: str) -> list[str]:
    """The table's columns except `id` and `leave_out`, in table order (copies keep the rest)."""
    rows = await connection.fetch(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
        table,
    )
    return [row["column_name"] for row in rows if row["column_name"] not in {"id", *leave_out}]


async def scale_alliance(database_url: str, scale: int) -> dict[str, int]:
    """Add `scale - 1` copies of expo2025 (members, working groups, participants); return row counts."""
    connection = await asyncpg.connect(without_query(database_url))
    try:
        async with connection.transaction():
            if scale > 1:
                await _copy_alliance(connection, scale)
        await connection.execute("ANALYZE")
        counts = {}
        for table in ("alliance", "membership", "working_group", "working_group_participant"):
            counts[table] = await connection.fetchval(f"SELECT count(*) FROM {table}")
        return counts
    finally:
        await connection.close()


async def _copy_alliance(connection: asyncpg.Connection, scale: int) -> None:
    source = await connection.fetchval("SELECT id FROM alliance WHERE slug = $1", ALLIANCE_SLUG)
    kept = await _columns(connection, "alliance", "slug", "name", "predecessor_id")
    await connection.execute(
        f"INSERT INTO alliance (slug, name, {', '.join(kept)})"
        f" SELECT '{COPY_SLUG_PREFIX}' || g, a.name || ' (' || g || ')', {', '.join(f'a.{c}' for c in kept)}"
        " FROM alliance a, generate_series(2, $2) g WHERE a.id = $1",
        source,
        scale,
    )
    copies = f"SELECT id FROM alliance WHERE slug LIKE '{COPY_SLUG_PREFIX}%'"
    for table in ("membership", "working_group"):
        kept = await _columns(connection, table, "alliance_id")
        await connection.execute(
            f"INSERT INTO {table} (alliance_id, {', '.join(kept)})"
            f" SELECT c.id, {', '.join(f't.{col}' for col in kept)}"
            f" FROM {table} t CROSS JOIN ({copies}) c WHERE t.alliance_id = $1",
            source,
        )
    kept = await _columns(
        connection, "working_group_participant", "membership_id", "working_group_id"
    )
    await connection.execute(
        f"INSERT INTO working_group_participant (membership_id, working_group_id, {', '.join(kept)})"
        f" SELECT cm.id, cw.id, {', '.join(f'p.{col}' for col in kept)}"
        " FROM working_group_participant p"
        " JOIN membership m ON m.id = p.membership_id AND m.alliance_id = $1"
        " JOIN working_group w ON w.id = p.working_group_id"
        f" JOIN membership cm ON cm.municipality_id = m.municipality_id AND cm.alliance_id IN ({copies})"
        " JOIN working_group cw ON cw.alliance_id = cm.alliance_id AND cw.theme_id = w.theme_id",
        source,
    )
