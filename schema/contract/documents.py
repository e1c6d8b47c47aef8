"""What the contract needs to know about a GraphQL document: its hash, its normalised form,
which deprecated coordinates it uses and whether it introspects."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator
from pathlib import Path

from graphql import (
    ArgumentNode,
    DocumentNode,
    EnumValueNode,
    ExecutableDefinitionNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    ObjectFieldNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    get_named_type,
    is_enum_type,
    is_input_object_type,
    parse,
    print_ast,
    visit,
)
from graphql.utilities import separate_operations

from schema.engine.per_object import PerObject

INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@functools.lru_cache(maxsize=512)
def normalised_operation(document: str, operation_name: str | None) -> str | None:
    """The chosen operation and the fragments it uses, printed canonically (fragments sorted).

    Two texts of one operation that differ in layout, comments or fragment order normalise to the
    same string, so the allow-list recognises a trusted operation however a client formats it.
    None when the text does not parse or does not name exactly one operation.
    """
    try:
        operations = separate_operations(parse(document))
    except GraphQLError:
        return None
    chosen: DocumentNode | None
    if operation_name is None:
        if len(operations) != 1:
            return None
        (chosen,) = operations.values()
    elif (chosen := operations.get(operation_name)) is None:
        return None
    definitions = sorted(
        chosen.definitions,
        key=lambda d: (
            isinstance(d, FragmentDefinitionNode),
            d.name.value if isinstance(d, ExecutableDefinitionNode) and d.name else "",
        ),
    )
    return print_ast(DocumentNode(definitions=tuple(definitions)))


def trusted_operations(directory: Path) -> Iterator[tuple[str, str, str]]:
    """(hash of the normalised text, operation name, normalised text) of each operation shipped
    in `directory`'s `*.graphql` files, read as one document so fragments may live in any file."""
    document = "\n".join(p.read_text(encoding="utf-8") for p in sorted(directory.glob("*.graphql")))
    for name in separate_operations(parse(document)):
        if not name:
            raise ValueError(f"{directory}: trusted operations must be named.")
        text = normalised_operation(document, name)
        assert text is not None
        yield sha256_hex(text), name, text


def _uses_introspection(document: DocumentNode) -> bool:
    finder = IntrospectionFinder()
    visit(document, finder)
    return finder.found


uses_introspection = PerObject(_uses_introspection)
"""Whether any selection asks for `__schema` or `__type` (`__typename` is not introspection)."""


class IntrospectionFinder(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def enter_field(self, node: FieldNode, *_: object) -> object:
        if node.name.value in INTROSPECTION_FIELDS:
            self.found = True
            return Visitor.BREAK
        return None


@functools.cache
def has_deprecations(schema: GraphQLSchema) -> bool:
    """Whether anything in the schema is deprecated; if not, no document needs to be inspected."""
    for graphql_type in schema.type_map.values():
        for field in getattr(graphql_type, "fields", {}).values():
            if field.deprecation_reason is not None:
                return True
            if any(a.deprecation_reason is not None for a in getattr(field, "args", {}).values()):
                return True
        if is_enum_type(graphql_type) and any(
            v.deprecation_reason is not None for v in graphql_type.values.values()
        ):
            return True
    return False


@functools.lru_cache(maxsize=512)
def deprecated_coordinates(
    schema: GraphQLSchema, document: str, operation_name: str | None
) -> frozenset[str]:
    """The deprecated fields, arguments, input fields and enum values the operation names.

    Enum values and input fields given through variables are not in the document, so they are not
    seen (the same limit as graphql-js's NoDeprecatedCustomRule).
    """
    if not has_deprecations(schema):
        return frozenset()
    operation = normalised_operation(document, operation_name)
    if operation is None:
        return frozenset()
    type_info = TypeInfo(schema)
    finder = DeprecationFinder(type_info)
    visit(parse(operation), TypeInfoVisitor(type_info, finder))
    return frozenset(finder.found)


class DeprecationFinder(Visitor):
    def __init__(self, type_info: TypeInfo) -> None:
        super().__init__()
        self.type_info = type_info
        self.found: set[str] = set()
        self.fields: list[str] = []

    def enter_field(self, node: FieldNode, *_: object) -> None:
        parent = self.type_info.get_parent_type()
        field = self.type_info.get_field_def()
        coordinate = f"{parent.name}.{node.name.value}" if parent else node.name.value
        self.fields.append(coordinate)
        if field is not None and field.deprecation_reason is not None:
            self.found.add(coordinate)

    def leave_field(self, node: FieldNode, *_: object) -> None:
        self.fields.pop()

    def enter_argument(self, node: ArgumentNode, *_: object) -> None:
        argument = self.type_info.get_argument()
        if argument is None or argument.deprecation_reason is None:
            return
        directive = self.type_info.get_directive()
        owner = f"@{directive.name}" if directive else self.fields[-1]
        self.found.add(f"{owner}({node.name.value}:)")

    def enter_object_field(self, node: ObjectFieldNode, *_: object) -> None:
        input_type = get_named_type(self.type_info.get_parent_input_type())
        if is_input_object_type(input_type):
            field = input_type.fields.get(node.name.value)
            if field is not None and field.deprecation_reason is not None:
                self.found.add(f"{input_type.name}.{node.name.value}")

    def enter_enum_value(self, node: EnumValueNode, *_: object) -> None:
        value = self.type_info.get_enum_value()
        enum_type = get_named_type(self.type_info.get_input_type())
        if value is not None and value.deprecation_reason is not None and enum_type is not None:
            self.found.add(f"{enum_type.name}.{node.value}")
