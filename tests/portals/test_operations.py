"""The portals are clients of the public API: every GraphQL document they keep must be valid
against the schema as it is now, and no portal module reaches the database another way."""

import ast
import re
from pathlib import Path

import pytest
from graphql import OperationDefinitionNode, parse, validate

from portals.api import OPERATIONS_DIR, document, document_names
from schema import schema

PORTALS_DIR = OPERATIONS_DIR.parent
USED_NAME = re.compile(r'"((?:admin|portal|partner|shared)/[a-z_]+)"|f"(admin|portal)/\{[a-z]+\}_([a-z_]+)"')


@pytest.mark.parametrize("name", document_names())
def test_every_document_is_one_valid_operation(name):
    tree = parse(document(name))

    errors = validate(schema._schema, tree)

    assert errors == [], [error.message for error in errors]
    operations = [d for d in tree.definitions if isinstance(d, OperationDefinitionNode)]
    assert len(operations) == 1 and operations[0].name is not None


def test_every_document_is_used_and_every_used_name_exists():
    code = "\n".join(path.read_text() for path in PORTALS_DIR.glob("*.py"))
    named = {match.group(1) for match in USED_NAME.finditer(code) if match.group(1)}
    templated = {(m.group(2), m.group(3)) for m in USED_NAME.finditer(code) if m.group(2)}
    present = set(document_names())

    assert named - present == set()
    unused = {
        name for name in present - named
        if not any(name.startswith(f"{where}/") and name.endswith(f"_{suffix}") for where, suffix in templated)
    }
    assert unused == set()


def test_no_portal_module_touches_the_database_directly():
    for path in PORTALS_DIR.glob("*.py"):
        imported = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
        assert not imported & {"models", "tortoise"}, f"{Path(path).name} imports {imported & {'models', 'tortoise'}}"
