"""Behind a proxy: `X-Forwarded-Proto` and `X-Forwarded-For` are believed only from the proxies
the operator names (`TSUNAGU_FORWARDED_ALLOW_IPS`), and forms are accepted only from the public
origin (`TSUNAGU_PUBLIC_ORIGIN`) when one is set, whatever `Host` says."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest

from server import create_app
from settings import Settings
from tests.portals.conftest import ORIGIN, PortalClient, new_token

PROXY, STRANGER = "10.0.0.5", "203.0.113.7"
PUBLIC_ORIGIN = "https://tsunagu.example.jp"
HTTPS = {"x-forwarded-proto": "https"}
Browser = Callable[..., Awaitable[PortalClient]]


@pytest.fixture
async def browser_at(settings: Settings) -> AsyncIterator[Browser]:
    """`await browser_at("203.0.113.7", public_origin=…)`: a browser connecting from that address
    to an app with those settings changed; the proxies trusted are 10.0.0.0/8 unless changed."""
    clients: list[httpx.AsyncClient] = []

    async def browser_at(address: str, **changes: str) -> PortalClient:
        changed = dataclasses.replace(settings, **{"forwarded_allow_ips": "10.0.0.0/8", **changes})
        transport = httpx.ASGITransport(app=create_app(changed, manage_database=False), client=(address, 50000))
        http = httpx.AsyncClient(transport=transport, base_url=ORIGIN)
        clients.append(http)
        return PortalClient(http)

    yield browser_at
    for http in clients:
        await http.aclose()


def cookie(response: httpx.Response, name: str) -> str:
    return next(h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}=")).lower()


def keep_cookies(browser: PortalClient, response: httpx.Response) -> httpx.Response:
    """Keep the cookies even when Secure: the browser talks HTTPS to the proxy, which the test's
    plain-HTTP client stands in for."""
    for name, value in response.cookies.items():
        browser.http.cookies.set(name, value)
    return response


async def sign_in_over(browser: PortalClient, headers: dict[str, str], role: str = "ADMIN") -> httpx.Response:
    keep_cookies(browser, await browser.get("/login", headers=headers))
    return keep_cookies(browser, await browser.http.post(
        "/login",
        data={"token": await new_token(role), "csrf_token": browser.csrf_token},
        headers={"origin": ORIGIN, **headers},
    ))


async def issued_link(browser: PortalClient, headers: dict[str, str]) -> str:
    await browser.get("/admin/accounts", headers=headers)
    page = await browser.http.post(
        "/admin/accounts",
        data={"name": "南砺市 企画課", "role": "MUNICIPALITY", "municipalityCode": "162108",
              "csrf_token": browser.csrf_token},
        headers={"origin": ORIGIN, **headers},
    )
    return re.search(r'id="issued-link" value="([^"]+)"', page.text).group(1)


async def test_a_client_that_is_not_a_trusted_proxy_cannot_claim_https(browser_at):
    browser = await browser_at(STRANGER)

    login_page = await browser.get("/login", headers=HTTPS)
    signed = await sign_in_over(browser, HTTPS)

    assert signed.status_code == 303
    assert "secure" not in cookie(login_page, "tsunagu_login_csrf")
    assert "secure" not in cookie(signed, "tsunagu_session")
    assert (await issued_link(browser, HTTPS)).startswith("http://testserver/login/link/")


async def test_a_trusted_proxy_vouches_for_https(browser_at):
    browser = await browser_at(PROXY)

    login_page = await browser.get("/login", headers=HTTPS)
    signed = await sign_in_over(browser, HTTPS)

    assert signed.status_code == 303
    assert "; secure" in cookie(login_page, "tsunagu_login_csrf")
    assert "; secure" in cookie(signed, "tsunagu_session")
    assert (await issued_link(browser, HTTPS)).startswith("https://testserver/login/link/")


async def test_only_the_proxies_named_are_trusted(browser_at):
    browser = await browser_at(PROXY, forwarded_allow_ips="10.0.0.6, 192.0.2.0/24")

    login_page = await browser.get("/login", headers=HTTPS)

    assert "secure" not in cookie(login_page, "tsunagu_login_csrf")


async def test_with_a_public_origin_a_form_from_the_requests_own_host_is_refused(browser_at):
    browser = await browser_at(PROXY, public_origin=PUBLIC_ORIGIN)
    await browser.get("/login")

    from_host = await browser.post("/login", {"token": await new_token("ADMIN")}, origin=ORIGIN)
    from_public = await browser.post("/login", {"token": await new_token("ADMIN")}, origin=PUBLIC_ORIGIN)

    assert from_host.status_code == 403 and "tsunagu_session=" not in from_host.headers.get("set-cookie", "")
    assert from_public.status_code == 303 and from_public.headers["location"] == "/admin"


async def test_with_a_public_origin_signed_in_forms_and_login_links_use_it(browser_at):
    browser = await browser_at(PROXY, public_origin=PUBLIC_ORIGIN)
    await browser.get("/login")
    await browser.post("/login", {"token": await new_token("ADMIN")}, origin=PUBLIC_ORIGIN)
    await browser.get("/admin/members")

    from_host = await browser.post("/admin/contacts.csv", origin=ORIGIN)
    from_public = await browser.post("/admin/contacts.csv", origin=PUBLIC_ORIGIN)
    await browser.get("/admin/accounts")
    page = await browser.post(
        "/admin/accounts", {"name": "南砺市 企画課", "role": "MUNICIPALITY", "municipalityCode": "162108"},
        origin=PUBLIC_ORIGIN,
    )

    assert from_host.status_code == 403 and from_public.status_code == 200
    assert re.search(r'id="issued-link" value="https://tsunagu\.example\.jp/login/link/[^"]+"', page.text)
