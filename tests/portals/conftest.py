"""Portal clients: a browser-like httpx client that signs in through /login, as a person would."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest

from models import Role
from resolvers.accounts import create_user_with_token
from server import create_app
from settings import Settings

ORIGIN = "http://testserver"
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


class PortalClient:
    """One browser: a cookie jar, the Origin header browsers send on POST, the page's CSRF token."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.csrf_token = ""

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        response = await self.http.get(path, **kwargs)
        found = CSRF_INPUT.search(response.text)
        if found:
            self.csrf_token = found.group(1)
        return response

    async def post(self, path: str, data: dict[str, Any] | None = None, *, csrf: bool = True,
                   origin: str | None = ORIGIN) -> httpx.Response:
        form = {**(data or {}), **({"csrf_token": self.csrf_token} if csrf else {})}
        headers = {"origin": origin} if origin else {}
        return await self.http.post(path, data=form, headers=headers)

    async def sign_in(self, token: str) -> httpx.Response:
        await self.get("/login")
        return await self.post("/login", {"token": token})


@pytest.fixture
async def browser(settings: Settings) -> AsyncIterator[PortalClient]:
    app = create_app(settings, manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=ORIGIN) as http:
        yield PortalClient(http)


async def new_token(role: str, **kwargs: Any) -> str:
    _, token = await create_user_with_token(name=f"{role.title()} portal user", role=Role(role), **kwargs)
    return token


SignedIn = Callable[..., Awaitable[PortalClient]]


@pytest.fixture
async def signed_in(settings: Settings) -> AsyncIterator[SignedIn]:
    """`await signed_in("MUNICIPALITY", municipality_code="272256")`: a browser signed in as a new user."""
    clients: list[httpx.AsyncClient] = []

    async def sign_in(role: str, **kwargs: Any) -> PortalClient:
        app = create_app(settings, manage_database=False)
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=ORIGIN)
        clients.append(http)
        client = PortalClient(http)
        response = await client.sign_in(await new_token(role, **kwargs))
        assert response.status_code == 303, response.text
        await client.get(response.headers["location"])
        return client

    yield sign_in
    for http in clients:
        await http.aclose()
