"""Search bodies written by an older version are rebuilt when the service starts."""

import asyncio

from tortoise import Tortoise

from cli import main, seed_database
from database.connection import open_database
from models import SearchBodyFormat, SearchEntry, SearchKind, Theme
from resolvers.db.pagination import PageRequest
from resolvers.search import BODY_FORMAT, search
from settings import Settings

# Theme 7's body as the version before separators were folded wrote it.
OLD_BODY = "カーボン・ニュートラル | carbonneutrality | カーボン・ニュートラルニヨル地域活性化"


async def in_database(url, work):
    await open_database(url)
    try:
        return await work()
    finally:
        await Tortoise.close_connections()


async def make_bodies_old():
    theme = await Theme.get(number=7)
    await SearchEntry.filter(kind=SearchKind.THEME, object_id=theme.id).update(body=OLD_BODY)
    await SearchBodyFormat.all().update(version=BODY_FORMAT - 1)


def theme_entries():
    return SearchEntry.filter(kind=SearchKind.THEME)


async def themes_found(query):
    page = await search(query, [SearchKind.THEME], PageRequest(first=10))
    return [(await Theme.get(id=hit.object_id)).number for hit in page.items]


def test_bodies_of_an_older_format_are_rebuilt_when_the_service_starts(tmp_path, monkeypatch):
    url = f"sqlite://{tmp_path / 'upgraded.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["seed"]) == 0
    asyncio.run(in_database(url, make_bodies_old))
    assert asyncio.run(in_database(url, lambda: themes_found("カーボンニュートラル"))) == []

    # What `tsunagu serve` runs before it serves.
    asyncio.run(seed_database(Settings(database_url=url), only_if_empty=True))

    assert asyncio.run(in_database(url, lambda: themes_found("カーボンニュートラル"))) == [7]
    formats = asyncio.run(in_database(url, lambda: SearchBodyFormat.all().values_list("version")))
    assert formats == [(BODY_FORMAT,)]


def test_a_current_database_is_left_as_it_is(tmp_path, monkeypatch):
    url = f"sqlite://{tmp_path / 'current.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["seed"]) == 0
    asyncio.run(in_database(url, lambda: theme_entries().update(body=" marker ")))

    asyncio.run(seed_database(Settings(database_url=url), only_if_empty=True))

    bodies = asyncio.run(in_database(url, lambda: theme_entries().values_list("body", flat=True)))
    assert set(bodies) == {" marker "}, "bodies in the current format are not rewritten at start"
