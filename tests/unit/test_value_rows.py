"""A page read as values gives the same GraphQL objects as the same page read as models."""

import dataclasses
from typing import Any

from models import Membership
from resolvers.db.rows import value_columns, value_rows
from resolvers.db.statements import Table
from schema.alliance.types import Membership as MembershipType
from schema.registry.types import Municipality as MunicipalityType
from schema.registry.types import Prefecture as PrefectureType

PLACE = "municipality__prefecture"


def shown(graphql_type: type, rows: list[Any]) -> list[tuple[bool, dict[str, Any]]]:
    """What the GraphQL objects of `rows` show: their type and their fields' values. (A value
    row is its own object, of a subclass; dataclass equality would ask for the same class.)"""
    names = [field.name for field in dataclasses.fields(graphql_type) if field.init]
    objects = [graphql_type.from_model(row) for row in rows]
    return [(isinstance(o, graphql_type), {name: getattr(o, name) for name in names}) for o in objects]


async def test_value_rows_build_the_objects_the_joined_models_build(database_url):
    members = Membership.all().order_by("id").limit(40)
    models = await members.select_related(PLACE)
    columns = value_columns(Membership, PLACE)
    rows = value_rows(Table.of(columns, await members.values(*columns)), Membership, PLACE)

    assert shown(MembershipType, rows) == shown(MembershipType, models)
    assert shown(MunicipalityType, [r.joined for r in rows]) == shown(
        MunicipalityType, [m.municipality for m in models]
    )
    places = [r.joined.joined for r in rows]
    assert shown(PrefectureType, places) == shown(PrefectureType, [m.municipality.prefecture for m in models])
    assert [r.pk for r in rows] == [m.pk for m in models]


def test_a_missing_joined_row_is_none_as_select_related_leaves_it():
    columns = value_columns(Membership, "municipality")
    rows = value_rows(
        Table.of(columns, [{name: None for name in columns} | {"id": 1}]), Membership, "municipality"
    )
    assert rows[0].pk == 1 and rows[0].joined is None
