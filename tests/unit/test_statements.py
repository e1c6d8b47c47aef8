"""Statements built once per shape answer what Tortoise answers for every set of arguments."""

from __future__ import annotations

from typing import Any

import pytest
from tortoise.transactions import in_transaction

from models import Membership, MembershipTier, Municipality
from resolvers.db import statements
from resolvers.db.statements import ImpureStatement, Statement


async def values(statement: Statement, *arguments: Any) -> list[dict[str, Any]]:
    """The statement's rows as the dicts Tortoise's `values()` gives."""
    table = await statement.table(*arguments)
    return [dict(zip(table.columns, row, strict=True)) for row in table.rows]


@pytest.fixture(autouse=True)
def build_counts_only_the_statements_own_builds(monkeypatch):
    """These tests count builds; the purity check (on for the rest of the suite) adds its own."""
    monkeypatch.setattr(Statement, "check_purity", False)


def counting(build: Any) -> tuple[Any, list[tuple[Any, ...]]]:
    calls: list[tuple[Any, ...]] = []

    def counted(*arguments: Any) -> Any:
        calls.append(arguments)
        return build(*arguments)

    return counted, calls


def members_of(alliance_id: int, tier: MembershipTier | None, ids: list[int], size: int) -> Any:
    query = Membership.filter(alliance_id=alliance_id, municipality_id__in=ids)
    if tier is not None:
        query = query.filter(tier=tier)
    return query.order_by("id").limit(size).values("id", "tier", "municipality__code")


async def test_a_shape_is_built_once_and_answers_as_tortoise_does_for_new_arguments(database_url):
    build, calls = counting(members_of)
    statement = Statement(Membership, build)
    ids = [m.id for m in await Municipality.all().order_by("id").limit(400)]

    for arguments in [
        (1, None, ids[:200], 50),
        (1, None, ids[200:], 7),
        (2, None, ids[100:300], 500),
    ]:
        assert await values(statement, *arguments) == await members_of(*arguments)

    assert len(calls) == 1  # the first run; the other two reused its SQL
    # Converted as Tortoise converts it: the enum member, not the stored string.
    assert all(type(row["tier"]) is MembershipTier for row in await values(statement, 1, None, ids, 500))


async def test_fixed_arguments_and_list_lengths_are_part_of_the_shape(database_url):
    build, calls = counting(members_of)
    statement = Statement(Membership, build)
    ids = [m.id for m in await Municipality.all().order_by("id").limit(300)]

    for arguments in [
        (1, MembershipTier.FULL, ids, 1000),
        (1, MembershipTier.SUPPORTING, ids, 1000),
        (1, None, ids, 1000),
        (1, None, ids[:3], 1000),
        (1, MembershipTier.FULL, ids, 10),
    ]:
        assert await values(statement, *arguments) == await members_of(*arguments)

    assert len(calls) == 4  # the last reused the first's shape


async def test_a_value_tortoise_rewrites_is_never_reused_and_still_answers_right(database_url):
    def named(fragment: str) -> Any:
        return Municipality.filter(name__contains=fragment).order_by("id").values("id", "name")

    build, calls = counting(named)
    statement = Statement(Municipality, build)

    for fragment in ["市", "町", "村"]:
        rows = await values(statement, fragment)
        assert rows == await named(fragment) and rows
        assert all(fragment in row["name"] for row in rows)

    # "%市%" is not the stand-in: after the one try with it, each run goes through Tortoise.
    assert calls[1:] == [("市",), ("町",), ("村",)]


async def test_a_statement_runs_inside_the_callers_transaction(database_url):
    build, calls = counting(lambda id: Municipality.filter(id=id).values("id", "name"))
    statement = Statement(Municipality, build)
    template = await Municipality.first()
    assert template is not None
    assert await values(statement, template.id) == [{"id": template.id, "name": template.name}]

    with pytest.raises(RuntimeError):
        async with in_transaction():
            await Municipality.filter(id=template.id).update(name="試験市")
            assert await values(statement, template.id) == [{"id": template.id, "name": "試験市"}]
            raise RuntimeError("roll back")
    assert await values(statement, template.id) == [{"id": template.id, "name": template.name}]
    assert len(calls) == 2  # built once for the pooled connections, once for a transaction


async def test_the_oldest_shape_is_forgotten_past_the_limit(database_url, monkeypatch):
    monkeypatch.setattr(statements, "SHAPES_PER_STATEMENT", 2)
    build, calls = counting(lambda ids: Municipality.filter(id__in=ids).order_by("id").values("id"))
    statement = Statement(Municipality, build)

    for ids in ([1], [1, 2], [1, 2, 3], [1, 2], [1]):
        assert [row["id"] for row in await values(statement, ids)] == ids

    assert [len(arguments[0]) for arguments in calls] == [1, 2, 3, 1]


def test_an_enum_column_is_looked_up_as_tortoise_would_convert_it():
    field = Membership._meta.fields_map["tier"]
    lookup = statements.enum_lookup(field.to_python_value)

    assert lookup is not None
    for stored in [*(tier.value for tier in MembershipTier), None]:
        assert lookup(stored) is field.to_python_value(stored)
    with pytest.raises(KeyError):
        lookup("NOT_A_TIER")  # a stored value the enum lacks still fails, as Tortoise's does
    assert statements.enum_lookup(Membership._meta.fields_map["joined_on"].to_python_value) is None


def first_members(alliance_id: int, size: int) -> Any:
    """Impure: it branches on the value of a parameter, so one shape stands for two queries."""
    query = Membership.filter(alliance_id=alliance_id).order_by("id")
    if size > 100:
        query = query.filter(tier=MembershipTier.FULL)
    return query.limit(size).values("id")


async def test_the_purity_check_catches_a_build_that_branches_on_a_parameters_value(database_url, monkeypatch):
    monkeypatch.setattr(Statement, "check_purity", True)
    statement = Statement(Membership, first_members)
    await statement.table(1, 500)

    with pytest.raises(ImpureStatement, match="first_members builds other SQL"):
        await statement.table(1, 50)


async def test_the_purity_check_accepts_a_pure_build_and_the_first_page(database_url, monkeypatch):
    monkeypatch.setattr(Statement, "check_purity", True)
    statement = Statement(Membership, lambda alliance_id, size, offset: Membership.filter(alliance_id=alliance_id)
                          .order_by("id").offset(offset).limit(size).values("id"))

    for arguments in [(1, 10, 20), (1, 10, 0), (2, 5, 3)]:
        await statement.table(*arguments)
