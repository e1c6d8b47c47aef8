"""One row per searchable object, holding its normalised text.

The row is what the full-text index covers: an FTS5 trigram table on SQLite and a pg_trgm GIN
index on PostgreSQL (see `models.search_index`), so that Japanese substrings match without a
word splitter.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class SearchKind(StrEnum):
    MUNICIPALITY = "MUNICIPALITY"
    THEME = "THEME"
    PARTNER = "PARTNER"
    OFFERING = "OFFERING"
    CASE_STUDY = "CASE_STUDY"
    CHALLENGE = "CHALLENGE"


class SearchEntry(Model):
    id = fields.IntField(primary_key=True)
    kind = fields.CharEnumField(SearchKind, max_length=16)
    object_id = fields.IntField()
    body = fields.TextField()

    class Meta:
        table = "search_entry"
        unique_together = (("kind", "object_id"),)


class SearchBodyFormat(Model):
    """The format the stored search bodies are written in (one row, see `seed.search_bodies`).

    Bodies written in an older format are rebuilt when the service starts.
    """

    id = fields.IntField(primary_key=True)
    version = fields.IntField()

    class Meta:
        table = "search_body_format"
