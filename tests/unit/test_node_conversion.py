"""Rows become GraphQL objects (schema/node.py): as the dataclass would build them, once a row."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
import strawberry
from graphql import parse
from strawberry.dataloader import DataLoader

from models import Pillar, Prefecture
from resolvers.db import rows
from resolvers.db.rows import ValueRow, value_columns, value_rows
from resolvers.db.statements import Table
from schema import schema
from schema.engine.selection import Selection
from schema.node import from_row
from schema.registry.types import Prefecture as PrefectureNode
from schema.relation import related


@strawberry.type
class Place:
    code: str
    name: str


@strawberry.type
class Counted:
    name: str
    seen: list[str] = dataclasses.field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        self.seen.append(self.name)


@dataclasses.dataclass(slots=True)
class Slotted:
    code: str


def test_from_row_builds_what_the_dataclass_would():
    row = SimpleNamespace(code="082082", name="茂木町", kind="TOWN")

    assert from_row(Place, row) == Place(code="082082", name="茂木町")
    assert from_row(Counted, row).seen == ["茂木町"], (
        "a __post_init__ or a non-init field still runs"
    )
    assert from_row(Slotted, row) == Slotted(code="082082"), "a type without __dict__ still builds"


def value_row(**columns: Any) -> ValueRow:
    names = value_columns(Prefecture)
    return value_rows(Table.of(names, [{name: columns.get(name, 1) for name in names}]), Prefecture)[0]


@pytest.mark.parametrize("make_row", [SimpleNamespace, value_row], ids=["model", "value row"])
async def test_a_loaded_row_is_converted_once_while_the_loader_holds_it(make_row: Callable[..., Any]):
    rows = {1: make_row(code="01", name="北海道")}

    async def load(keys: list[int]) -> list[Any]:
        return [rows[key] for key in keys]

    loader = DataLoader(load_fn=load)
    built: list[str] = []

    def convert(row: Any) -> Place:
        built.append(row.name)
        return from_row(Place, row)

    first = await related(loader, 1, convert)
    again = related(loader, 1, convert)
    assert again is first and built == ["北海道"]

    rows[1] = make_row(code="01", name="北海道庁")
    loader.clear(1)
    renamed = await related(loader, 1, convert)
    assert renamed.name == "北海道庁", "a row loaded afresh is converted afresh"


def test_a_value_row_is_its_own_graphql_object():
    row = value_row(code="13", name="東京都")

    assert isinstance(row, PrefectureNode), "rows of a model with a GraphQL type are that type's objects"
    assert PrefectureNode.from_model(row) is row
    assert PrefectureNode.from_models([row]) == [row]
    assert (row.code, row.name) == ("13", "東京都")


@pytest.mark.parametrize(
    ("shown_as", "why"),
    [(Counted, "its __init__ does more than assign"), (Place, "it has a field the model lacks")],
)
def test_rows_are_built_into_objects_of_a_type_they_cannot_be(monkeypatch, shown_as: type, why: str):
    monkeypatch.setitem(rows._shown_as, Pillar, shown_as)

    row_type = rows.row_class.__wrapped__(Pillar, None)  # unremembered: the registry is patched

    assert not issubclass(row_type, shown_as), why
    unshown = Selection(schema._schema, parse("{ themes { pillar { name } } }")).unshown(Pillar)
    assert unshown == frozenset(), "a query leaves out no column the objects built from them need"
