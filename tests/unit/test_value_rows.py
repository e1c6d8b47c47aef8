"""A page read as values builds the same GraphQL objects as the same page read as models."""

from models import Membership
from resolvers.rows import value_columns, value_rows
from resolvers.statements import Table
from schema.alliance.types import Membership as MembershipType
from schema.registry.types import Municipality as MunicipalityType
from schema.registry.types import Prefecture as PrefectureType

PLACE = "municipality__prefecture"


async def test_value_rows_build_the_objects_the_joined_models_build(database_url):
    members = Membership.all().order_by("id").limit(40)
    models = await members.select_related(PLACE)
    columns = value_columns(Membership, PLACE)
    rows = value_rows(Table.of(columns, await members.values(*columns)), Membership, PLACE)

    assert [MembershipType.from_model(r) for r in rows] == [MembershipType.from_model(m) for m in models]
    assert [MunicipalityType.from_model(r.municipality) for r in rows] == [
        MunicipalityType.from_model(m.municipality) for m in models
    ]
    assert [PrefectureType.from_model(r.municipality.prefecture) for r in rows] == [
        PrefectureType.from_model(m.municipality.prefecture) for m in models
    ]
    assert [r.pk for r in rows] == [m.pk for m in models]


def test_a_missing_joined_row_is_none_as_select_related_leaves_it():
    columns = value_columns(Membership, "municipality")
    rows = value_rows(
        Table.of(columns, [{name: None for name in columns} | {"id": 1}]), Membership, "municipality"
    )
    assert rows[0].pk == 1 and rows[0].municipality is None
