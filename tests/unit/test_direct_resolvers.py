"""Direct resolvers (schema/engine/direct.py) answer as Strawberry's would, and stand aside when the
schema needs Strawberry's per-field machinery."""

from __future__ import annotations

from enum import Enum
from typing import ClassVar

import strawberry
from strawberry.extensions import SchemaExtension

from schema.engine.direct import context_only, use_direct_resolvers
from schema.engine.executor import CompiledExecutor


@strawberry.type
class Book:
    title: str

    @strawberry.field
    def shout(self) -> str:
        return self.title.upper()

    @strawberry.field
    def with_info(self, info: strawberry.Info) -> str:
        return f"{info.field_name}:{self.title}"


@strawberry.type
class Query:
    @strawberry.field
    def books(self) -> list[Book]:
        return [Book(title="tsunagu"), Book(title="expo")]


QUERY = "{ books { title shout withInfo } }"


class SeesEveryField(SchemaExtension):
    seen: ClassVar[list[str]] = []

    def resolve(self, _next, root, info, *args, **kwargs):  # type: ignore[no-untyped-def]
        SeesEveryField.seen.append(info.field_name)
        return _next(root, info, *args, **kwargs)


def test_direct_resolvers_give_the_same_answers():
    plain = strawberry.Schema(query=Query)
    direct = strawberry.Schema(query=Query)

    assert use_direct_resolvers(direct) > 0
    assert direct.execute_sync(QUERY).data == plain.execute_sync(QUERY).data == {
        "books": [
            {"title": "tsunagu", "shout": "TSUNAGU", "withInfo": "withInfo:tsunagu"},
            {"title": "expo", "shout": "EXPO", "withInfo": "withInfo:expo"},
        ]
    }


def test_an_extension_that_wraps_each_field_keeps_strawberrys_resolvers():
    schema = strawberry.Schema(query=Query, extensions=[SeesEveryField])
    SeesEveryField.seen = []

    assert use_direct_resolvers(schema) == 0
    schema.execute_sync(QUERY)
    assert SeesEveryField.seen.count("title") == 2


@strawberry.type
class Shelf:
    label: str

    @strawberry.field
    @context_only
    def owner(self, info: strawberry.Info) -> str:
        return f"{info.context['owner']}:{type(info).__name__}"


@strawberry.type
class Shelves:
    @strawberry.field
    def shelves(self) -> list[Shelf]:
        return [Shelf(label="a"), Shelf(label="b")]


async def test_a_context_only_resolver_gets_the_context_alone_from_the_compiled_executor():
    compiled = strawberry.Schema(query=Shelves, execution_context_class=CompiledExecutor)
    core = strawberry.Schema(query=Shelves)
    for schema in (compiled, core):
        use_direct_resolvers(schema)
    query, context = "{ shelves { label owner } }", {"owner": "secretariat"}

    assert (await compiled.execute(query, context_value=context)).data == {
        "shelves": [
            {"label": "a", "owner": "secretariat:ContextOnly"},
            {"label": "b", "owner": "secretariat:ContextOnly"},
        ]
    }
    assert (await core.execute(query, context_value=context)).data == {
        "shelves": [{"label": "a", "owner": "secretariat:Info"}, {"label": "b", "owner": "secretariat:Info"}]
    }


@strawberry.enum
class Case(Enum):
    UPPER = "upper"
    LOWER = "lower"


@strawberry.type
class Label:
    text: str

    @strawberry.field
    @context_only
    def padded(self, info: strawberry.Info, min_width: int, fill: str | None = None) -> str:
        return f"{info.context['prefix']}{self.text.ljust(min_width, fill or '.')}"

    @strawberry.field
    def cased(self, case: Case) -> str:
        return self.text.upper() if case is Case.UPPER else self.text.lower()


@strawberry.type
class Labels:
    @strawberry.field
    def labels(self) -> list[Label]:
        return [Label(text="Expo"), Label(text="Osaka")]


LABELS_QUERY = """query ($width: Int!) {
  labels { dots: padded(minWidth: $width) dashes: padded(minWidth: 7, fill: "-") cased(case: UPPER) }
}"""


async def test_a_resolver_with_scalar_arguments_gets_them_under_their_python_names():
    plain = strawberry.Schema(query=Labels)
    compiled = strawberry.Schema(query=Labels, execution_context_class=CompiledExecutor)
    core = strawberry.Schema(query=Labels)
    use_direct_resolvers(compiled)
    use_direct_resolvers(core)
    fields = compiled._schema.type_map["Label"].fields  # type: ignore[attr-defined]

    assert hasattr(fields["padded"].resolve, "context_only")
    assert not hasattr(fields["cased"].resolve, "context_only")  # an enum argument: Strawberry's
    answers = [
        (await schema.execute(LABELS_QUERY, variable_values={"width": 6}, context_value={"prefix": ">"})).data
        for schema in (plain, compiled, core)
    ]
    assert answers[0] == answers[1] == answers[2] == {
        "labels": [
            {"dots": ">Expo..", "dashes": ">Expo---", "cased": "EXPO"},
            {"dots": ">Osaka.", "dashes": ">Osaka--", "cased": "OSAKA"},
        ]
    }
