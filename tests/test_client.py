"""The typed Python client in clients/python: generated from the checked-in schema and operations,
and working against a real server as a partner's dashboard would use it."""

import asyncio
import filecmp
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import uvicorn

from clients.python.generate import CLIENT_DIR, PACKAGE, generate
from server import create_app, register_trusted_operations
from settings import Settings


def differences(left: Path, right: Path) -> list[str]:
    comparison = filecmp.dircmp(left, right, ignore=["__pycache__"])
    found = [*comparison.left_only, *comparison.right_only, *comparison.diff_files]
    for name in comparison.common_dirs:
        found += [f"{name}/{d}" for d in differences(left / name, right / name)]
    return found


def test_the_checked_in_client_is_what_the_generator_writes(tmp_path):
    fresh = generate(tmp_path)

    assert differences(fresh, CLIENT_DIR / PACKAGE) == [], (
        "clients/python/tsunagu_client is out of date: run `python clients/python/generate.py`"
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
async def server_url(database_url) -> AsyncIterator[str]:
    """A real HTTP server on 127.0.0.1 that runs only trusted operations for partners and anonymous callers."""
    settings = Settings(database_url=database_url, persisted_only=frozenset({"anonymous", "partner"}))
    await register_trusted_operations(settings)
    port = free_port()
    config = uvicorn.Config(
        create_app(settings, manage_database=False), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    yield f"http://127.0.0.1:{port}/graphql"
    server.should_exit = True
    await task


async def test_a_partner_dashboard_gets_typed_results_from_a_real_server(server_url, sign_in):
    from clients.python.tsunagu_client import MunicipalityFilter, OfferingKind, TsunaguClient
    from clients.python.tsunagu_client.enums import Role

    partner = await sign_in("PARTNER", partner="sompo-holdings")
    client = TsunaguClient(url=server_url, headers={"Authorization": f"Bearer {partner.token}"})

    viewer = (await client.viewer()).viewer
    themes = (await client.themes()).themes
    offerings = (await client.partner_offerings(partner_slug=viewer.partner.slug)).offerings
    towns = (await client.municipalities(filter_=MunicipalityFilter(prefectureCode="27"), first=5)).municipalities

    assert viewer.role is Role.PARTNER and viewer.partner.slug == "sompo-holdings"
    assert [t.number for t in themes] == list(range(1, 11)) and themes[7].pillar.name_en
    assert offerings.total_count == len(offerings.nodes) > 0
    assert all(isinstance(o.kind, OfferingKind) for o in offerings.nodes)
    assert towns.page_info.has_next_page and all(m.prefecture.code == "27" for m in towns.nodes)


async def test_the_same_server_refuses_a_partner_operation_it_does_not_ship(server_url, sign_in):
    from clients.python.tsunagu_client import TsunaguClient

    partner = await sign_in("PARTNER", partner="sompo-holdings")
    client = TsunaguClient(url=server_url, headers={"Authorization": f"Bearer {partner.token}"})

    response = await client.execute(query="{ partners(first: 100) { totalCount } }")

    assert [e["extensions"]["code"] for e in response.json()["errors"]] == ["PERSISTED_QUERY_REQUIRED"]
