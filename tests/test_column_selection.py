"""Lists read as tables leave unread the columns the query shows nowhere (schema/engine/selection.py)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from graphql import parse

from models import Offering, Theme
from schema import schema
from schema.engine.selection import Selection

TITLES = "{ themes { number offerings { title partner { name } } } }"
SUMMARIES = "{ themes { number offerings { title summary legacyGoals partner { name description } } } }"


class SqlLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.statements.append(record.getMessage())

    def reading(self, table: str) -> list[str]:
        return [sql for sql in self.statements if sql.startswith("SELECT") and f'FROM "{table}"' in sql]


@pytest.fixture
def sql_log() -> Iterator[SqlLog]:
    logger = logging.getLogger("tortoise.db_client")
    log, previous = SqlLog(), logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(log)
    yield log
    logger.removeHandler(log)
    logger.setLevel(previous)


def strip(value: Any, name: str) -> Any:
    """`value`, an answer, without the field `name`, at any depth."""
    if isinstance(value, dict):
        return {key: strip(item, name) for key, item in value.items() if key != name}
    if isinstance(value, list):
        return [strip(item, name) for item in value]
    return value


def offerings_of(data: dict) -> list[dict]:
    return [offering for theme in data["themes"] for offering in theme["offerings"]]


async def test_a_query_of_titles_reads_no_summaries_and_answers_as_a_full_read(gql, sql_log):
    titles = await gql.data(TITLES)
    (lean,) = sql_log.reading("offering")
    full = await gql.data(SUMMARIES)
    (whole,) = sql_log.reading("offering")[1:]

    assert '"summary"' not in lean and '"legacy_goals"' not in lean and '"description"' not in lean
    assert '"summary"' in whole and '"legacy_goals"' in whole and '"description"' in whole
    assert [(o["title"], o["partner"]) for o in offerings_of(titles)] == [
        (o["title"], {"name": o["partner"]["name"]}) for o in offerings_of(full)
    ]
    assert all(o["summary"] and o["partner"]["description"] for o in offerings_of(full))


async def test_a_field_whose_resolver_reads_a_column_has_it_read(gql):
    shown = await gql.data("{ themes { offerings { title capacity placesLeft } } }")
    alone = await gql.data("{ themes { offerings { title placesLeft } } }")

    expected = [(o["title"], o["placesLeft"]) for o in offerings_of(shown)]
    assert [(o["title"], o["placesLeft"]) for o in offerings_of(alone)] == expected
    assert any(o["capacity"] is not None for o in offerings_of(shown)), "the seed has capped offerings"


@pytest.mark.parametrize(
    ("alone", "shown", "column"),
    [
        (
            '{ alliance(slug: "expo2025") { members(first: 20) { nodes { id benefits { benefit included } } } } }',
            '{ alliance(slug: "expo2025") { members(first: 20) { nodes { id tier benefits { benefit included } } } } }',
            "tier",
        ),
        (
            "{ themes { offerings { title audienceByTier { tier admitted } } } }",
            "{ themes { offerings { title audience audienceByTier { tier admitted } } } }",
            "audience",
        ),
    ],
    ids=["a member's benefits without its tier", "an offering's admissions without its audience"],
)
async def test_a_field_answers_alike_whether_or_not_the_query_shows_the_columns_it_reads(gql, alone, shown, column):
    lean, full = await gql.data(alone), await gql.data(shown)

    assert strip(full, column) == lean

async def test_a_field_selected_through_a_fragment_is_read(gql):
    data = await gql.data(
        "{ themes { offerings { ...Shown } } } fragment Shown on Offering { title summary }"
    )

    assert all(o["summary"] for o in offerings_of(data))


def test_the_selection_keeps_keys_selected_fields_and_what_resolvers_read():
    document = parse("{ themes { title offerings { placesLeft ... on Node { id } } } }")
    selection = Selection(schema._schema, document)

    theme_unshown = selection.unshown(Theme)
    assert "title" not in theme_unshown and "summary" in theme_unshown
    assert "pillar_id" not in theme_unshown, "a foreign key is always read"
    offering_unshown = selection.unshown(Offering)
    assert "capacity" not in offering_unshown, "placesLeft reads the capacity"
    assert {"title", "summary", "legacy_goals"} <= offering_unshown
    assert "id" not in offering_unshown and "partner_id" not in offering_unshown


async def test_a_member_page_reads_only_the_columns_it_shows(gql, sql_log):
    page = "{ alliance(slug: \"expo2025\") { members(first: 20) { nodes { tier municipality { code %s } } } } }"
    lean = await gql.data(page % "")
    (lean_sql,) = sql_log.reading("membership")
    full = await gql.data(page % "nameKana prefecture { name latitude }")
    (full_sql,) = sql_log.reading("membership")[1:]

    assert '"name_kana"' not in lean_sql and '"latitude"' not in lean_sql and '"joined_on"' not in lean_sql
    assert '"name_kana"' in full_sql and '"latitude"' in full_sql
    members = full["alliance"]["members"]["nodes"]
    assert lean["alliance"]["members"]["nodes"] == [
        {"tier": m["tier"], "municipality": {"code": m["municipality"]["code"]}} for m in members
    ]
    assert all(m["municipality"]["nameKana"] and m["municipality"]["prefecture"]["latitude"] for m in members)
