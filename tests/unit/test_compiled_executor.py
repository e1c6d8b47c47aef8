"""The compiled executor on a schema of its own: what it does when it steps aside."""

from __future__ import annotations

import gc
import warnings

import pytest
import strawberry
from graphql import build_schema, execute, parse
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.engine.direct import use_direct_resolvers
from schema.engine.executor import CompiledExecutor

SCHEMA = build_schema(
    "type Query { slow: String broken: String fine: Int returned: String item: Item }"
    " type Item { name: String }"
)


async def slow(info) -> str:
    return "slow"


def broken(info) -> str:
    raise ValueError("broken on purpose")


# Steps aside: an error in Query.broken, as the test means (graphql-core reports it with its
# path).
@pytest.mark.plan_fallback("field_error")
async def test_stepping_aside_closes_the_coroutines_it_leaves_and_graphql_core_answers():
    document = parse("query Q { slow broken fine }")
    root = {"slow": slow, "broken": broken, "fine": 1}

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = await execute(SCHEMA, document, root_value=root, executor_class=CompiledExecutor)
        answer = result.data, [(error.message, error.path) for error in result.errors]
        del result  # its errors' tracebacks reach the plan's run; the warning comes as it goes
        gc.collect()

    assert [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)] == []
    assert answer == (
        {"slow": "slow", "broken": None, "fine": 1},
        [("broken on purpose", ["broken"])],
    )


async def test_the_happy_path_answers_without_graphql_cores_executor(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise AssertionError("graphql-core's executor ran")

    monkeypatch.setattr(StrawberryGraphQLCoreExecutionContext, "execute_operation", refuse)
    document = parse("query Q { slow fine typename: __typename }")
    root = {"slow": slow, "fine": 1}

    result = await execute(SCHEMA, document, root_value=root, executor_class=CompiledExecutor)

    assert result.data == {"slow": "slow", "fine": 1, "typename": "Query"}
    assert result.errors is None


# Steps aside: an error in Query.returned, as the test means (graphql-core reports it with its
# path).
@pytest.mark.plan_fallback("field_error")
async def test_an_error_returned_as_a_value_is_reported_as_graphql_core_reports_it():
    document = parse("query Q { fine returned item { name } }")
    root = {"fine": 1, "returned": ValueError("returned"), "item": KeyError("item")}

    compiled = await execute(SCHEMA, document, root_value=root, executor_class=CompiledExecutor)
    reference = execute(SCHEMA, document, root_value=root)

    assert compiled == reference
    assert compiled.data == {"fine": 1, "returned": None, "item": None}
    assert [error.path for error in compiled.errors] == [["returned"], ["item"]]


@strawberry.type
class Loose:
    """Attributes holding values of other types than their fields', as rows sometimes do."""

    label: str
    note: str | None
    code: strawberry.ID
    open: bool


@strawberry.type
class LooseQuery:
    @strawberry.field
    def items(self) -> list[Loose]:
        return [
            Loose(label="plain", note=None, code=strawberry.ID("A1"), open=True),
            Loose(label=7, note=8, code=9, open=1),  # type: ignore[arg-type]
        ]

    @strawberry.field
    def refused(self) -> Loose:
        return Loose(label="x", note=None, code=strawberry.ID("B"), open="yes")  # type: ignore[arg-type]


# Steps aside: Loose.open holds a value the plan does not serialize, as the test means.
@pytest.mark.plan_fallback("unexpected_value")
async def test_attributes_serialize_as_graphql_core_serializes_them():
    compiled = strawberry.Schema(query=LooseQuery, execution_context_class=CompiledExecutor)
    core = strawberry.Schema(query=LooseQuery)
    for schema in (compiled, core):
        use_direct_resolvers(schema)

    answers = [(await schema.execute("{ items { label note code open } }")).data for schema in (compiled, core)]
    refusals = [await schema.execute("{ refused { label open } }") for schema in (compiled, core)]

    assert answers[0] == answers[1] == {
        "items": [
            {"label": "plain", "note": None, "code": "A1", "open": True},
            {"label": "7", "note": "8", "code": "9", "open": True},
        ]
    }
    assert [(r.data, [e.message for e in r.errors or []]) for r in refusals] == [
        (None, ["Boolean cannot represent a non boolean value: 'yes'"])
    ] * 2
