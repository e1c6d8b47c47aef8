"""The app as uvicorn runs it: its lifespan opens the database, and faults are masked."""

import re

import httpx
import pytest
from asgi_lifespan import LifespanManager
from tortoise import Tortoise, connections

from portals.web import SECURITY_HEADERS
from resolvers import theme as theme_resolvers
from resolvers.text import reading_tokenizer
from server import create_app
from settings import Settings

THEMES = {"query": "{ themes { number } }"}


async def test_the_real_lifespan_opens_the_database_and_serves_queries(database_url):
    await Tortoise.close_connections()
    app = create_app(Settings(database_url=database_url))

    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            health = await http.get("/healthz")
            ready = await http.get("/readyz")
            by_get = await http.get("/graphql", params=THEMES)

    assert health.json() == {"status": "ok"}
    assert (ready.status_code, ready.json()) == (200, {"status": "ok", "database": "ok"})

    assert [t["number"] for t in by_get.json()["data"]["themes"]] == list(range(1, 11))


async def test_the_reading_dictionary_is_opened_at_start_not_by_the_first_write(database_url):
    await Tortoise.close_connections()
    reading_tokenizer.cache_clear()
    app = create_app(Settings(database_url=database_url))

    async with LifespanManager(app):
        assert reading_tokenizer.cache_info().currsize == 1


async def test_readyz_says_unavailable_when_the_database_does_not_answer(client, monkeypatch):
    async def unreachable(*args, **kwargs):
        raise OSError("connection refused by 10.0.0.5:5432")

    monkeypatch.setattr(connections.get("default"), "execute_query", unreachable)
    response = await client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}
    assert (await client.get("/healthz")).status_code == 200


async def test_graphiql_is_served_in_development_only(database_url):
    for environment, expected in (("development", 200), ("production", 404)):
        app = create_app(Settings(database_url=database_url, environment=environment), manage_database=False)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
            page = await http.get("/graphql", headers={"accept": "text/html"})
        assert page.status_code == expected, environment


async def test_graphiql_loads_every_script_and_style_from_the_app_under_its_policy(client):
    page = await client.get("/graphql", headers={"accept": "text/html"})
    scripts = re.findall(r'<script src="([^"]+)"', page.text)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page.text)

    assert page.status_code == 200
    assert "//" not in page.text, "the page names another host"
    assert len(scripts) == 4 and len(styles) == 2
    for path in scripts + styles:
        assert (await client.get(path)).status_code == 200, path
    portals_policy = SECURITY_HEADERS["Content-Security-Policy"]
    assert page.headers["content-security-policy"] == f"{portals_policy}; font-src 'self' data:"


# Steps aside: an error in Query.themes, as the test means (graphql-core reports it with its
# path).
@pytest.mark.plan_fallback("field_error")
async def test_a_fault_reaches_the_caller_masked(client, monkeypatch):
    async def broken() -> list:
        raise RuntimeError("password=hunter2 at /srv/tsunagu/resolvers/theme.py")

    monkeypatch.setattr(theme_resolvers, "themes", broken)

    response = await client.post("/graphql", json=THEMES)

    assert response.status_code == 200
    error = response.json()["errors"][0]
    assert error["message"] == "予期しないエラーが発生しました。"
    assert error["extensions"] == {"code": "INTERNAL_ERROR"}
    assert "hunter2" not in response.text and "theme.py" not in response.text


async def test_production_gives_no_field_suggestions(database_url):
    messages = {}
    for environment in ("development", "production"):
        app = create_app(Settings(database_url=database_url, environment=environment), manage_database=False)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
            response = await http.post("/graphql", json={"query": "{ themez { number } }"})
        (error,) = response.json()["errors"]
        messages[environment] = error["message"]

    assert "Did you mean" in messages["development"]
    assert messages["production"] == "Cannot query field 'themez' on type 'Query'."


def test_the_proxy_settings_come_from_the_environment():
    settings = Settings.from_env(
        {"TSUNAGU_FORWARDED_ALLOW_IPS": "10.0.0.0/8", "TSUNAGU_PUBLIC_ORIGIN": "https://Tsunagu.example.jp/"}
    )

    assert settings.forwarded_allow_ips == "10.0.0.0/8"
    assert settings.public_origin == "https://tsunagu.example.jp"
    assert (Settings.from_env({}).forwarded_allow_ips, Settings.from_env({}).public_origin) == ("127.0.0.1", None)


@pytest.mark.parametrize("value", ["tsunagu.example.jp", "ftp://tsunagu.example.jp", "https://tsunagu.example.jp/portal"])
def test_a_public_origin_that_is_not_an_origin_stops_the_service(value):
    with pytest.raises(ValueError, match="TSUNAGU_PUBLIC_ORIGIN"):
        Settings.from_env({"TSUNAGU_PUBLIC_ORIGIN": value})
