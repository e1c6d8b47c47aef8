"""Extensions' hooks planned once per class run as Strawberry runs them: every kind of hook, in
every stage, in order, and an extension's results reach the answer."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import strawberry
from strawberry.extensions import SchemaExtension

from schema import TsunaguSchema

CALLS: list[str] = []


@strawberry.type
class Query:
    @strawberry.field(description="A greeting.")
    def hello(self) -> str:
        CALLS.append("resolve")
        return "こんにちは"


class Generators(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        CALLS.append("operation:start")
        yield
        CALLS.append("operation:end")

    async def on_execute(self) -> AsyncIterator[None]:
        CALLS.append("execute:start")
        yield
        CALLS.append("execute:end")

    def get_results(self) -> dict[str, str]:
        return {"seen": "yes"}


class Callables(SchemaExtension):
    async def on_parse(self) -> None:  # type: ignore[override]
        CALLS.append("parse")

    def on_validate(self) -> None:  # type: ignore[override]
        CALLS.append("validate")


async def test_every_kind_of_hook_runs_in_its_stage_and_results_reach_the_answer() -> None:
    schema = TsunaguSchema(query=Query, extensions=[Generators, Callables])
    for _ in range(2):  # the second operation runs from the hooks planned by the first
        CALLS.clear()
        result = await schema.execute("{ hello }")

        assert result.errors is None and result.data == {"hello": "こんにちは"}
        assert result.extensions == {"seen": "yes"}
        assert CALLS == [
            "operation:start", "parse", "validate", "execute:start", "resolve", "execute:end", "operation:end",
        ]  # fmt: skip


async def test_an_extension_without_hooks_is_left_out_of_every_stage() -> None:
    schema = TsunaguSchema(query=Query, extensions=[SchemaExtension])
    CALLS.clear()

    result = await schema.execute("{ hello }")

    assert result.data == {"hello": "こんにちは"} and not result.extensions
    assert CALLS == ["resolve"]
