"""Each enum the models declare has its twin in the schema, with the same values.

The models (`models/`) and the API (`schema/`) declare their enums apart: the models' are what
the database stores, the schema's carry the descriptions clients read. Resolvers convert one into
the other by value (`models.EventKind(input.kind.value)`), so a value added to one side only
fails at run time, for the rows or inputs that carry it. This test finds every model enum, pairs
it with the schema enum of the same name (or the one `SCHEMA_NAMES` gives), and compares values.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from enum import Enum, StrEnum

import pytest
from graphql import GraphQLEnumType
from strawberry.schema.schema_converter import GraphQLCoreConverter

import models
from schema import schema

# Model enums whose schema twin has another name.
SCHEMA_NAMES = {"OrganiserKind": "EventOrganiserKind"}
# Model enums the schema does not publish, and why.
UNPUBLISHED = {
    "MembershipNoteKind": "a history note's kind, rendered into MembershipChange.note in the reader's language",
    "EventUpdateField": "what updateEvent changed, rendered into Notification.message in the reader's language",
}


def model_enums() -> list[type[StrEnum]]:
    found: dict[str, type[StrEnum]] = {}
    for module_info in pkgutil.iter_modules(models.__path__, f"{models.__name__}."):
        module = importlib.import_module(module_info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, Enum) and value.__module__ == module.__name__:
                found[value.__name__] = value
    return sorted(found.values(), key=lambda enum: enum.__name__)


def schema_enum(name: str) -> type[Enum] | None:
    """The Strawberry enum the schema publishes as `name`, if any."""
    graphql_type = schema._schema.get_type(name)
    if not isinstance(graphql_type, GraphQLEnumType):
        return None
    return graphql_type.extensions[GraphQLCoreConverter.DEFINITION_BACKREF].wrapped_cls


def value_mismatch(model_enum: type[Enum], api_enum: type[Enum]) -> str | None:
    """What differs between the two enums' values, in words; None if nothing does."""
    stored = {member.value for member in model_enum}
    published = {member.value for member in api_enum}
    if stored == published:
        return None
    return (
        f"{model_enum.__module__}.{model_enum.__name__} and {api_enum.__module__}.{api_enum.__name__}"
        f" differ: only in the model {sorted(stored - published)},"
        f" only in the schema {sorted(published - stored)}"
    )


def test_the_models_declare_their_enums():
    assert len(model_enums()) >= 28


@pytest.mark.parametrize(
    "model_enum",
    [enum for enum in model_enums() if enum.__name__ not in UNPUBLISHED],
    ids=lambda enum: enum.__name__,
)
def test_each_model_enum_has_a_schema_twin_with_the_same_values(model_enum: type[Enum]):
    name = SCHEMA_NAMES.get(model_enum.__name__, model_enum.__name__)
    api_enum = schema_enum(name)

    assert api_enum is not None, (
        f"{model_enum.__name__} has no enum named {name} in the schema: add the schema's, or name "
        "its twin in SCHEMA_NAMES"
    )
    assert value_mismatch(model_enum, api_enum) is None, value_mismatch(model_enum, api_enum)


def test_a_difference_names_the_enum_and_the_values():
    class Stored(StrEnum):
        SEMINAR = "SEMINAR"
        WORKSHOP = "WORKSHOP"

    class Published(Enum):
        SEMINAR = "SEMINAR"
        CONFERENCE = "CONFERENCE"

    message = value_mismatch(Stored, Published)

    assert message is not None
    assert "Stored" in message and "Published" in message
    assert "only in the model ['WORKSHOP']" in message
    assert "only in the schema ['CONFERENCE']" in message
