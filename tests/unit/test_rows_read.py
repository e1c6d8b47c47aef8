"""Tables read into GraphQL objects (schema/rows.py): the objects the models would give, the joined
ones in their declared fields, and a loud refusal for a type that cannot be read so."""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

import pytest
from strawberry.dataloader import DataLoader

import models
from resolvers.db.rows import value_columns
from resolvers.db.statements import Table
from schema.alliance.types import Membership
from schema.registry.types import Municipality, Prefecture
from schema.relation import related
from schema.rows import Unreadable, joined, read_objects
from schema.theme.types import Pillar

PLACE = "municipality__prefecture"


def shown(graphql_type: type, objects: list[Any]) -> list[tuple[bool, dict[str, Any]]]:
    """What `objects` show as `graphql_type`'s: their type and their fields' values. (An object
    read from a table is of a subclass; dataclass equality would ask for the same class.)"""
    names = [field.name for field in dataclasses.fields(graphql_type) if field.init]
    built = [graphql_type.from_model(o) for o in objects]
    return [(isinstance(o, graphql_type), {name: getattr(o, name) for name in names}) for o in built]


async def test_a_table_is_read_into_the_objects_the_joined_models_give(database_url):
    members = models.Membership.all().order_by("id").limit(40)
    rows = await members.select_related(PLACE)
    columns = value_columns(models.Membership, PLACE)

    read = Membership.read(Table.of(columns, await members.values(*columns)))

    assert shown(Membership, read) == shown(Membership, rows)
    places = [member.joined_municipality for member in read]
    assert shown(Municipality, places) == shown(Municipality, [row.municipality for row in rows])
    prefectures = [place.joined_prefecture for place in places]
    assert shown(Prefecture, prefectures) == shown(Prefecture, [row.municipality.prefecture for row in rows])
    assert all(Prefecture.from_model(p) is p for p in prefectures), "an object read is its type's object"


async def test_a_missing_joined_row_is_none_as_select_related_leaves_it(database_url):
    columns = tuple(value_columns(models.Membership, "municipality"))

    (member,) = Membership.read(Table(columns, [[1 if name == "id" else None for name in columns]]))

    assert member.id == 1 and member.joined_municipality is None


async def test_a_relation_answers_with_the_joined_object_and_asks_no_loader():
    asked: list[int] = []

    async def load(keys: list[int]) -> list[Any]:
        asked.extend(keys)
        return [None for _ in keys]

    (place,) = Prefecture.read(Table(("id", "code", "name"), [(13, "13", "東京都")]))

    assert related(DataLoader(load_fn=load), 13, Prefecture.from_model, joined=place) is place
    assert asked == []


def test_a_column_left_unread_is_an_attribute_the_objects_lack():
    (pillar,) = Pillar.read(Table(("id", "name"), [(1, "創る")]))

    assert (pillar.id, pillar.name) == (1, "創る")
    assert repr(pillar) == "PillarRow(id=1, name='創る')", "its repr shows what was read"
    with pytest.raises(AttributeError):
        pillar.tagline  # noqa: B018  # the read itself is what is tested


@dataclasses.dataclass
class Motto:
    model: ClassVar[type] = models.Pillar
    name: str
    motto: str


@dataclasses.dataclass
class Counted:
    model: ClassVar[type] = models.Pillar
    name: str

    def __post_init__(self) -> None:
        self.name = self.name.strip()


@dataclasses.dataclass
class Loose:
    """A theme that declares no field for its pillar."""

    model: ClassVar[type] = models.Theme
    title: str


@dataclasses.dataclass
class Misjoined:
    """A theme whose pillar field names the wrong type."""

    model: ClassVar[type] = models.Theme
    title: str
    joined_pillar: Any = joined("Loose")


@pytest.mark.parametrize(
    ("graphql_type", "columns", "reason"),
    [
        (Motto, ("id", "name"), "Motto cannot be read from a table: motto is no column of Pillar"),
        (Counted, ("id", "name"), "Counted cannot be read from a table: its __init__ does more than assign"),
        (Loose, ("id", "title", "pillar__id"), "Loose is read joined through 'pillar' but declares no field"),
        (Misjoined, ("id", "title", "pillar__id"), "Misjoined.joined_pillar names 'Loose', which is no type of Pillar rows"),
        (Prefecture, ("id", "capital__id", "region__id"), "joined through capital, region"),
        (DataLoader, ("id",), "DataLoader cannot be read from a table: it names no model"),
    ],
    ids=["a field no column", "a __post_init__", "an undeclared join", "a join to the wrong type", "two joins", "no model"],
)
async def test_a_type_that_cannot_be_read_from_a_table_is_refused_with_the_reason(
    database_url, graphql_type: type, columns: tuple[str, ...], reason: str
):
    with pytest.raises(Unreadable) as refused:
        read_objects(graphql_type, Table(columns, [[1 for _ in columns]]))

    assert reason in str(refused.value)
