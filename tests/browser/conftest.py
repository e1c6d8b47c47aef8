"""Browser tests: the real app under uvicorn on 127.0.0.1, driven by Debian's Chromium through
Playwright, with axe-core (from npm, see package.json) injected for accessibility checks.

One server on a seeded copy of the database and one browser serve the whole session; each test
gets a fresh browser context (its own cookies). Without Chromium or axe-core the tests are
skipped with the reason, except under CI, where they must run.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import async_playwright
from tortoise import Tortoise

from database.connection import open_database
from models import Role
from resolvers.accounts import create_user_with_token
from settings import PROJECT_ROOT
from tests.conftest import IS_POSTGRES, RUN_ID, postgres_admin, postgres_url

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = PROJECT_ROOT / "docs" / "screenshots"
SERVER_START_SECONDS = 30
USERS = {
    "admin": ("ADMIN", {}),
    "applicant": ("MUNICIPALITY", {"municipality_code": "011002"}),  # 札幌市, not a member yet
    "newcomer": ("MUNICIPALITY", {"municipality_code": "041009"}),  # 仙台市, not a member, applies in the portal
    "newcomer_en": ("MUNICIPALITY", {"municipality_code": "141003"}),  # 横浜市, the same in English
    "full_member": ("MUNICIPALITY", {"municipality_code": "162108"}),  # 南砺市, FULL
    "supporting_member": ("MUNICIPALITY", {"municipality_code": "104256"}),  # 嬬恋村, SUPPORTING
    "challenger": ("MUNICIPALITY", {"municipality_code": "272256"}),  # 高石市, FULL
    "partner": ("PARTNER", {"partner_slug": "sompo-holdings"}),
    "second_partner": ("PARTNER", {"partner_slug": "mori-building"}),
}


def require(condition: bool, reason: str) -> None:
    """Skip when a browser tool is missing on a developer's machine; CI must have it."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI installs it: see .ci/run)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    database_url: str
    tokens: dict[str, str]

    async def api(self, who: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Call /graphql as one of `USERS`; the data, which must carry no errors."""
        async with httpx.AsyncClient(base_url=self.url) as http:
            response = await http.post(
                "/graphql",
                json={"query": query, "variables": variables or {}},
                headers={"Authorization": f"Bearer {self.tokens[who]}"},
            )
        body = response.json()
        assert "errors" not in body, body
        return body["data"]

    async def accepted(self, who: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        (payload,) = (await self.api(who, query, variables)).values()
        assert payload["userErrors"] == [], payload
        return payload

    def login_link(self, who: str) -> str:
        """A one-time link made by the `tsunagu login-link` command, as an operator would."""
        result = subprocess.run(
            [sys.executable, "-m", "cli", "login-link", "--token", self.tokens[who], "--base-url", self.url],
            cwd=PROJECT_ROOT, env={**os.environ, "DATABASE_URL": self.database_url},
            capture_output=True, text=True, check=True,
        )
        return result.stdout.strip()


async def copy_of(template: str, directory: Path) -> str:
    if IS_POSTGRES:
        name = f"tsunagu_browser_{RUN_ID}"
        await postgres_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return postgres_url(name)
    path = directory / "browser.sqlite3"
    shutil.copyfile(template, path)
    return f"sqlite://{path}"


async def make_tokens(database_url: str) -> dict[str, str]:
    await open_database(database_url)
    try:
        tokens = {}
        for who, (role, target) in USERS.items():
            _, tokens[who] = await create_user_with_token(name=f"Browser {who}", role=Role(role), **target)
        return tokens
    finally:
        await Tortoise.close_connections()


async def wait_until_up(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = asyncio.get_running_loop().time() + SERVER_START_SECONDS
    async with httpx.AsyncClient() as http:
        while asyncio.get_running_loop().time() < deadline:
            if server.poll() is not None:
                pytest.fail(f"the server stopped: {log.read_text()}")
            try:
                if (await http.get(f"{url}/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    pytest.fail(f"the server did not start in {SERVER_START_SECONDS}s: {log.read_text()}")


@pytest.fixture(scope="session")
async def live_server(template: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[LiveServer]:
    require(CHROMIUM.exists(), f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)")
    require(AXE.exists(), "axe-core is not installed (npm ci --prefix tests/browser)")
    directory = tmp_path_factory.mktemp("live")
    database_url = await copy_of(template, directory)
    tokens = await make_tokens(database_url)
    port = free_port()
    log = directory / "server.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "server:app", "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "warning"],
            cwd=PROJECT_ROOT, env={**os.environ, "DATABASE_URL": database_url}, stdout=output, stderr=output,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        await wait_until_up(url, server, log)
        yield LiveServer(url, database_url, tokens)
    finally:
        server.terminate()
        server.wait(timeout=10)
        if IS_POSTGRES:
            await postgres_admin(f'DROP DATABASE IF EXISTS "{database_url.rsplit("/", 1)[1]}" WITH (FORCE)')


@pytest.fixture(scope="session")
async def chromium(live_server: LiveServer) -> AsyncIterator[Any]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        await browser.close()


@pytest.fixture
async def new_page(chromium: Any, live_server: LiveServer) -> AsyncIterator[Any]:
    """`page = await new_page()`: a page in a fresh browser context (no cookies). Nothing the
    pages load may be refused by their Content-Security-Policy."""
    contexts = []
    refused: list[str] = []

    async def open_page() -> Any:
        context = await chromium.new_context(base_url=live_server.url, viewport={"width": 1200, "height": 860})
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = await context.new_page()
        page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
        return page

    yield open_page
    for context in contexts:
        await context.close()
    assert refused == []


async def sign_in(page: Any, token: str) -> None:
    """Paste a token into the sign-in form, as a person would."""
    await page.goto("/login")
    await page.get_by_label("アクセストークン").fill(token)
    await page.get_by_role("button", name="サインイン").click()
    await page.wait_for_load_state()


def menu(page: Any, name: str) -> Any:
    """A link of the portal's menu."""
    return page.get_by_role("navigation", name="ポータルのメニュー").get_by_role("link", name=name, exact=True)


async def assert_accessible(page: Any) -> None:
    """axe-core finds no serious or critical violation on the page as it is now."""
    # Evaluated through the DevTools protocol, which the pages' Content-Security-Policy does not govern.
    await page.evaluate(AXE.read_text(encoding="utf-8"))
    result = await page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"{page.url}: {serious}"


async def screenshot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def in_a_month() -> tuple[str, str]:
    """Two hours from 10:00 Japan time, thirty days from today: on one day whenever the tests run
    (from now, an evening run's event crossed midnight and was written as two dates)."""
    japan = dt.timezone(dt.timedelta(hours=9))
    day = dt.datetime.now(japan).date() + dt.timedelta(days=30)
    start = dt.datetime.combine(day, dt.time(10, 0), tzinfo=japan)
    return start.isoformat(), (start + dt.timedelta(hours=2)).isoformat()
