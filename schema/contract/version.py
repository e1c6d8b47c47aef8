"""The schema version every response carries in `extensions.schemaVersion`.

`<date of the newest API changelog entry>.<first 12 hex digits of the SDL's SHA-256>`: the date
tells a person roughly which contract it is, the hash tells a machine exactly. It is computed once
per process, so every response of one build carries the same value.
"""

from __future__ import annotations

import functools
import hashlib

import strawberry

from schema.contract.changelog import latest_date, read_entries


@functools.cache
def schema_sdl(schema: strawberry.Schema) -> str:
    """The SDL as `tsunagu export-schema` prints it and `/schema.graphql` serves it."""
    return schema.as_str() + "\n"


@functools.cache
def schema_version(schema: strawberry.Schema) -> str:
    digest = hashlib.sha256(schema_sdl(schema).encode()).hexdigest()[:12]
    released = latest_date(read_entries())
    return f"{released.isoformat()}.{digest}" if released else digest
