"""Relation fields (schema/relation.py): one way to write them, and a clear error for a resolver
that asks its info for more than the context."""

from __future__ import annotations

from typing import Any

import pytest
import strawberry

from schema.engine.direct import ContextOnly, InfoNotCarried, use_direct_resolvers
from schema.engine.executor import CompiledExecutor, FallbackReason, step_asides
from schema.relation import Loaded, relation


def test_a_relation_that_reads_more_of_its_info_than_the_context_is_refused_at_import():
    with pytest.raises(TypeError, match=r"owner is a relation: .* reads info.field_name, info.path"):

        @relation(str, description="Who keeps it.")
        def owner(self: Any, info: strawberry.Info) -> Loaded[str]:
            return f"{info.path}{info.field_name}{info.context}"


def describe(info: Any) -> str:
    return f"{info.context['owner']} at {info.path.key}"


@strawberry.type
class Shelf:
    label: str

    @relation(str, description="Who keeps it, where the answer puts it.")
    def owner(self, info: strawberry.Info) -> Loaded[str]:
        return describe(info)


@strawberry.type
class Shelves:
    @strawberry.field
    def shelves(self) -> list[Shelf]:
        return [Shelf(label="a")]


class Recorder:
    def __init__(self) -> None:
        self.seen: list[tuple[str, FallbackReason, str]] = []

    def record(self, operation: str, reason: FallbackReason, where: str) -> None:
        self.seen.append((operation, reason, where))


@pytest.mark.plan_fallback("field_error")
async def test_a_relation_that_asks_its_info_for_more_steps_aside_naming_the_field_and_the_attribute():
    schema = strawberry.Schema(query=Shelves, execution_context_class=CompiledExecutor)
    use_direct_resolvers(schema)
    recorder = Recorder()
    step_asides.watch(recorder.record)

    result = await schema.execute("query Shelf { shelves { owner } }", context_value={"owner": "事務局"})

    assert result.data == {"shelves": [{"owner": "事務局 at owner"}]}, "graphql-core answers in its place"
    ((operation, reason, where),) = recorder.seen
    assert (operation, reason) == ("Shelf", FallbackReason.FIELD_ERROR)
    assert where.startswith("Shelf.owner, info.path: a context-only resolver")


def test_the_light_info_carries_the_context_and_says_what_it_does_not_carry():
    info = ContextOnly({"owner": "事務局"})

    assert info.context == {"owner": "事務局"}
    with pytest.raises(InfoNotCarried, match=r"info\.variable_values: a context-only resolver"):
        info.variable_values  # noqa: B018
