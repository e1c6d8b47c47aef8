"""The public contract: the checked-in SDL matches the code, and every element is described."""

from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLUnionType,
)

from schema import schema

SDL_PATH = Path(__file__).resolve().parent.parent / "schema.graphql"


def test_checked_in_sdl_matches_the_code():
    checked_in = SDL_PATH.read_text(encoding="utf-8").strip()

    assert checked_in == schema.as_str().strip(), (
        "schema.graphql is out of date: run `tsunagu export-schema > schema.graphql` and review the diff"
    )


def undescribed_elements() -> list[str]:
    missing = []
    for name, graphql_type in schema._schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Boolean", "ID", "Float"}:
            continue
        if not graphql_type.description:
            missing.append(name)
        if isinstance(graphql_type, (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType)):
            for field_name, field in graphql_type.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        missing.append(f"{name}.{field_name}({arg_name})")
        if isinstance(graphql_type, GraphQLEnumType):
            missing += [f"{name}.{v}" for v, value in graphql_type.values.items() if not value.description]
        if isinstance(graphql_type, GraphQLUnionType) and not graphql_type.description:
            missing.append(name)
    return missing


def test_every_type_field_argument_and_enum_value_has_a_description():
    assert undescribed_elements() == []


def test_the_contract_names_of_the_spec_are_present():
    sdl = schema.as_str()
    for fragment in (
        "interface Node",
        "enum MembershipTier",
        "enum MunicipalityKind",
        "enum PillarKey",
        "enum OfficerRole",
        "type MembershipConnection",
        "input MembershipFilter",
        "node(",
        "nodes(",
        "search(",
    ):
        assert fragment in sdl, fragment
