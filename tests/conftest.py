"""Test databases and clients.

The seed dataset is loaded once per test session into a template; every test then gets its own
copy (a copied SQLite file, or `CREATE DATABASE … TEMPLATE` on PostgreSQL), so tests never see
each other's writes. `DATABASE_URL` chooses the backend, as it does for the service.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import random
import shutil
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import pytest
from tortoise import Tortoise
from tortoise.backends.asyncpg.client import AsyncpgDBClient
from tortoise.backends.sqlite.client import SqliteClient

from database.connection import create_schema, open_database
from models import Role, TokenScope
from resolvers import audit
from resolvers.accounts import create_user_with_token
from resolvers.db.statements import Statement
from schema.engine.executor import FallbackReason, step_asides
from seed.dataset import read_dataset
from seed.loader import load_dataset
from server import create_app
from settings import DATA_DIR, Settings, normalise_database_url

BASE_URL = normalise_database_url(os.environ.get("DATABASE_URL", "sqlite://:memory:"))
IS_POSTGRES = BASE_URL.startswith("postgres://")
RUN_ID = uuid.uuid4().hex[:8]
_counter = itertools.count()


def postgres_url(database: str) -> str:
    parts = urlsplit(BASE_URL)
    return urlunsplit(parts._replace(path=f"/{database}"))


async def postgres_admin(*statements: str) -> None:
    connection = await asyncpg.connect(BASE_URL.replace("postgres://", "postgresql://", 1))
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


async def seed_into(url: str) -> None:
    await open_database(url)
    try:
        await create_schema()
        await load_dataset(read_dataset(DATA_DIR))
    finally:
        await Tortoise.close_connections()


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Where the seeded template lives: a SQLite file path or a PostgreSQL database name."""
    if IS_POSTGRES:
        name = f"tsunagu_template_{RUN_ID}"
        asyncio.run(postgres_admin(f'CREATE DATABASE "{name}"'))
        asyncio.run(seed_into(postgres_url(name)))
        yield name
        asyncio.run(postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    else:
        path = tmp_path_factory.mktemp("template") / "seeded.sqlite3"
        asyncio.run(seed_into(f"sqlite://{path}"))
        yield str(path)


@asynccontextmanager
async def opened_database(tmp_path: Path, template: str | None) -> AsyncIterator[str]:
    """A database of the test's own, copied from `template` (or empty), open for the ORM."""
    name = f"tsunagu_test_{RUN_ID}_{next(_counter)}"
    if IS_POSTGRES:
        source = f' TEMPLATE "{template}"' if template else ""
        await postgres_admin(f'CREATE DATABASE "{name}"{source}')
        url = postgres_url(name)
    else:
        path = tmp_path / f"{name}.sqlite3"
        if template:
            shutil.copyfile(template, path)
        url = f"sqlite://{path}"
    await open_database(url, global_fallback=True)
    try:
        yield url
    finally:
        await Tortoise.close_connections()
        if IS_POSTGRES:
            await postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
async def database_url(template: str, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh copy of the seeded database for one test, opened for the ORM."""
    async with opened_database(tmp_path, template) as url:
        yield url


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url)


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


class GraphQLClient:
    """Posts operations to /graphql the way a portal does, with a bearer token if it has one."""

    def __init__(self, http: httpx.AsyncClient, token: str | None = None, language: str | None = None) -> None:
        self.http = http
        self.token = token
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        if language:
            self.headers["Accept-Language"] = language

    def reading(self, language: str) -> GraphQLClient:
        """The same caller, asking for answers in `language` (`Accept-Language`)."""
        return GraphQLClient(self.http, self.token, language)

    async def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=self.headers
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def mutate(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The payload of a one-field mutation, whatever its userErrors say."""
        data = await self.data(query, variables)
        (payload,) = data.values()
        return payload

    async def accepted(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The payload of a one-field mutation that must have succeeded."""
        payload = await self.mutate(query, variables)
        assert payload["userErrors"] == [], payload["userErrors"]
        return payload

    async def refused(self, query: str, variables: dict[str, Any] | None = None) -> list[str]:
        """The userError codes of a one-field mutation that must have been refused."""
        payload = await self.mutate(query, variables)
        assert payload["userErrors"], f"expected userErrors, got {payload}"
        return [error["code"] for error in payload["userErrors"]]

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = await self.execute(query, variables)
        assert "errors" not in body, body["errors"]
        return body["data"]

    async def errors(self, query: str, variables: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        body = await self.execute(query, variables)
        assert body.get("errors"), f"expected errors, got {body}"
        return body["errors"]


@pytest.fixture
def gql(client: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(client)


SignIn = Callable[..., Awaitable[GraphQLClient]]


@pytest.fixture
def sign_in(client: httpx.AsyncClient) -> SignIn:
    """`await sign_in("MUNICIPALITY", municipality="272256")`: a client calling as a new user."""

    async def sign_in(
        role: str, *, municipality: str | None = None, partner: str | None = None, read_only: bool = False
    ) -> GraphQLClient:
        _, token = await create_user_with_token(
            name=f"{role.title()} test user",
            role=Role(role),
            municipality_code=municipality,
            partner_slug=partner,
            scopes=frozenset({TokenScope.READ} if read_only else TokenScope),
        )
        return GraphQLClient(client, token)

    return sign_in


class StatementCounter(logging.Handler):
    """Counts the SQL statements Tortoise sends, whatever the backend."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@pytest.fixture
def sql_statements() -> Iterator[StatementCounter]:
    logger = logging.getLogger("tortoise.db_client")
    counter = StatementCounter()
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(counter)
    yield counter
    logger.removeHandler(counter)
    logger.setLevel(previous)


@pytest.fixture
def uneven_statement_latency(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every read waits a random 0-5 ms before it is sent, so the batches of one level finish in
    an order that changes from statement to statement, as they may under load. A statement count
    that holds with this does not depend on which batch happens to answer first."""
    draw = random.Random(17).random

    def delayed(send: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def send_later(self: Any, *args: Any, **kwargs: Any) -> Any:
            await asyncio.sleep(draw() * 0.005)
            return await send(self, *args, **kwargs)

        return send_later

    for client_class in (SqliteClient, AsyncpgDBClient):
        for name in ("execute_query", "execute_query_dict"):
            monkeypatch.setattr(client_class, name, delayed(getattr(client_class, name)))


class OpenTransactions:
    """Counts the mutation transactions open at once inside `racing()`: `resolvers.audit.perform`
    runs each change inside one, and the fixture wraps the change.

    SQLite cannot race: Tortoise lets one transaction at a time in (a lock per connection), so
    there a concurrency test checks only that the outcome is right, and `racing` that the
    transactions took turns. On PostgreSQL each transaction has a connection of its own; inside
    `racing` the first to open waits (before its first statement, holding no row lock, at most
    `START_TIMEOUT` seconds) until a second is open too, and `racing` fails unless two or more
    were open at once: the calls really overlapped in time.
    """

    START_TIMEOUT = 5.0

    def __init__(self) -> None:
        self.armed = False
        self.open = 0
        self.most = 0
        self.second_opened = asyncio.Event()

    @contextlib.contextmanager
    def racing(self) -> Iterator[None]:
        self.armed, self.most, self.second_opened = True, 0, asyncio.Event()
        try:
            yield
        finally:
            self.armed = False
        if IS_POSTGRES:
            assert self.most >= 2, f"the calls never overlapped: at most {self.most} transaction open"
        else:
            assert self.most == 1, f"{self.most} transactions open at once on SQLite"

    async def around(self, change: Callable[[], Awaitable[Any]]) -> Any:
        self.open += 1
        self.most = max(self.most, self.open)
        try:
            if self.open >= 2:
                self.second_opened.set()
            elif self.armed and IS_POSTGRES:
                self.armed = False  # only the first waits
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.second_opened.wait(), self.START_TIMEOUT)
            return await change()
        finally:
            self.open -= 1


@pytest.fixture
def open_transactions(monkeypatch: pytest.MonkeyPatch) -> OpenTransactions:
    transactions = OpenTransactions()
    change_checked = audit.refusing_constraint_errors

    async def counted(change: Callable[[], Awaitable[Any]]) -> Any:
        return await transactions.around(lambda: change_checked(change))

    monkeypatch.setattr(audit, "refusing_constraint_errors", counted)
    return transactions


@pytest.fixture
async def empty_database_url(tmp_path: Path) -> AsyncIterator[str]:
    """A database with the schema and no data, opened for the ORM."""
    async with opened_database(tmp_path, None) as url:
        await create_schema()
        yield url


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of data/ that a test may edit."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


StepAside = tuple[str, FallbackReason, str]


class StepAsideRecorder:
    """The queries that stepped aside from their compiled plan while one test ran."""

    def __init__(self) -> None:
        self.seen: list[StepAside] = []

    def record(self, operation: str, reason: FallbackReason, where: str) -> None:
        self.seen.append((operation, reason, where))


def step_aside_complaints(seen: list[StepAside], expected: set[FallbackReason]) -> list[str]:
    """The step asides `seen` during a test that declares the `expected` reasons, which it did not
    declare."""
    return [
        f"{operation} stepped aside ({reason}: {where})"
        for operation, reason, where in seen
        if reason not in expected
    ]


def expected_step_asides(node: pytest.Item) -> set[FallbackReason]:
    """The reasons the test declares with `@pytest.mark.plan_fallback(reason, ...)`."""
    markers = node.iter_markers("plan_fallback")
    return {FallbackReason(reason) for marker in markers for reason in marker.args}


@pytest.fixture(autouse=True)
def pure_statements(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every statement that reuses a built shape is built once more with the real values and must
    give the same SQL (`resolvers.db.statements`): a `build` that branches on a parameter's value
    would answer wrong data, and here it fails the test instead."""
    monkeypatch.setattr(Statement, "check_purity", True)


@pytest.fixture(autouse=True)
def plan_step_asides(request: pytest.FixtureRequest) -> Iterator[StepAsideRecorder]:
    """Fails a test during which a query ran on graphql-core instead of its compiled plan, unless
    the test declares why with `@pytest.mark.plan_fallback("abstract_type", ...)` (the reasons are
    `schema.engine.executor.FallbackReason`). A step aside nobody expects is a query that quietly lost
    its fast path."""
    expected = expected_step_asides(request.node)
    recorder = StepAsideRecorder()
    step_asides.watch(recorder.record)
    yield recorder
    complaints = step_aside_complaints(recorder.seen, expected)
    if complaints:
        pytest.fail("; ".join(complaints), pytrace=False)
