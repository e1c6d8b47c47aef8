"""Model rows become GraphQL objects (schema/node.py): as the dataclass would build them, once a row."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace
from typing import Any

import strawberry
from strawberry.dataloader import DataLoader

from schema.node import from_row
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


async def test_a_loaded_row_is_converted_once_while_the_loader_holds_it():
    rows = {1: SimpleNamespace(code="01", name="北海道")}

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

    rows[1] = SimpleNamespace(code="01", name="北海道庁")
    loader.clear(1)
    renamed = await related(loader, 1, convert)
    assert renamed.name == "北海道庁", "a row loaded afresh is converted afresh"
