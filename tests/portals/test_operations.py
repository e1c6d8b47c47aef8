"""The portals are clients of the public API: every GraphQL document they keep must be valid
against the schema as it is now, and their pages reach the database only through that API (and,
to know who is signed in, the session store of `resolvers.portal_session`)."""

import ast
import logging
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import pytest
from graphql import OperationDefinitionNode, parse, validate

from portals import admin, member, partner
from portals.api import OPERATIONS_DIR, document, document_names
from resolvers import portal_session
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


def test_no_portal_module_imports_the_orm():
    for path in PORTALS_DIR.glob("*.py"):
        imported = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
        assert not imported & {"models", "tortoise"}, f"{Path(path).name} imports {imported & {'models', 'tortoise'}}"


_through_the_api: ContextVar[bool] = ContextVar("through_the_api", default=False)


class StatementsOutsideTheApi(logging.Handler):
    """Keeps every SQL statement sent neither while the schema executes an operation (a context
    variable the tasks it starts inherit) nor from the session store (a frame on the stack)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.stray: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if _through_the_api.get() or from_the_session_store():
            return
        self.stray.append(record.getMessage()[:160])


def from_the_session_store() -> bool:
    frame = sys._getframe()
    while frame is not None:
        if frame.f_code.co_filename == portal_session.__file__:
            return True
        frame = frame.f_back
    return False


@contextmanager
def statements_outside_the_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The statements sent in the block neither through the schema nor by the session store."""
    execute = schema.execute

    async def execute_through_the_api(*args: Any, **kwargs: Any) -> Any:
        marked = _through_the_api.set(True)
        try:
            return await execute(*args, **kwargs)
        finally:
            _through_the_api.reset(marked)

    monkeypatch.setattr(schema, "execute", execute_through_the_api)
    logger = logging.getLogger("tortoise.db_client")
    handler = StatementsOutsideTheApi()
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield handler.stray
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
        monkeypatch.undo()


def plain_pages(pages: Any) -> list[str]:
    """The paths of a portal's GET pages that take no path parameter."""
    return [pages.portal.prefix + path for path, _, method in pages.entries if method == "GET" and "{" not in path]


@pytest.mark.parametrize(
    ("role", "sign_in_as", "pages"),
    [
        ("ADMIN", {}, admin.pages),
        ("MUNICIPALITY", {"municipality_code": "272256"}, member.pages),
        ("PARTNER", {"partner_slug": "sompo-holdings"}, partner.pages),
    ],
)
# Steps aside: an event's `organiser` is the EventOrganiser union (graphql-core resolves the
# runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_every_page_of_a_portal_reads_the_database_only_through_the_api(
    signed_in, monkeypatch, role, sign_in_as, pages
):
    browser = await signed_in(role, **sign_in_as)

    with statements_outside_the_api(monkeypatch) as stray:
        statuses = {path: (await browser.get(path)).status_code for path in plain_pages(pages)}

    assert set(statuses.values()) == {200}, statuses
    assert stray == [], "\n".join(stray)
