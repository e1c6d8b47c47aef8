"""Persisted operations as Apollo clients send them, and the allow-list of persisted-only mode."""

import hashlib
import json

import httpx
import pytest

from cli import main
from models import AuditEntry, PersistedOperation
from server import create_app, register_trusted_operations
from settings import Settings

THEMES = "query Themes { themes { number title } }"
# The trusted `Themes` operation of clients/python/operations/catalogue.graphql, laid out differently.
TRUSTED_THEMES = "query Themes { themes { number roman title titleEn pillar { key nameEn } } }"
UNREGISTERED = "{ partners(first: 1) { totalCount } }"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def persisted(text: str) -> dict:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256(text)}}


async def test_an_unknown_hash_is_not_found_then_registered_with_its_text_and_run_by_hash(client):
    missing = (await client.post("/graphql", json={"extensions": persisted(THEMES)})).json()
    registered = (await client.post("/graphql", json={"query": THEMES, "extensions": persisted(THEMES)})).json()
    by_hash = (await client.post("/graphql", json={"extensions": persisted(THEMES)})).json()

    assert missing["data"] is None
    assert [(e["message"], e["extensions"]["code"]) for e in missing["errors"]] == [
        ("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
    ]
    assert "schemaVersion" in missing["extensions"]
    assert [t["number"] for t in registered["data"]["themes"]] == list(range(1, 11))
    assert by_hash["data"] == registered["data"]


async def test_a_persisted_query_runs_by_get(client):
    await client.post("/graphql", json={"query": THEMES, "extensions": persisted(THEMES)})

    response = await client.get("/graphql", params={"extensions": json.dumps(persisted(THEMES))})

    assert response.status_code == 200
    assert [t["number"] for t in response.json()["data"]["themes"]] == list(range(1, 11))


async def test_a_hash_that_is_not_the_texts_is_refused_and_nothing_is_registered(client):
    body = (await client.post("/graphql", json={"query": THEMES, "extensions": persisted(UNREGISTERED)})).json()

    assert [e["extensions"]["code"] for e in body["errors"]] == ["PERSISTED_QUERY_HASH_MISMATCH"]
    assert not await PersistedOperation.exists()


async def test_a_document_that_does_not_validate_is_not_registered(client):
    bad = "{ themes { nope } }"

    body = (await client.post("/graphql", json={"query": bad, "extensions": persisted(bad)})).json()

    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert not await PersistedOperation.exists()


async def test_an_unsupported_version_is_refused(client):
    extensions = {"persistedQuery": {"version": 2, "sha256Hash": sha256(THEMES)}}

    body = (await client.post("/graphql", json={"extensions": extensions})).json()

    assert [e["extensions"]["code"] for e in body["errors"]] == ["PERSISTED_QUERY_NOT_SUPPORTED"]


async def test_a_persisted_mutation_is_not_run_by_get(client, sign_in):
    mutation = "mutation { markNotificationsRead(input: {}) { userErrors { code } } }"
    city = await sign_in("MUNICIPALITY", municipality="272256")
    registered = await client.post(
        "/graphql", json={"query": mutation, "extensions": persisted(mutation)}, headers=city.headers
    )
    assert registered.json()["data"]["markNotificationsRead"]["userErrors"] == []

    response = await client.get(
        "/graphql", params={"extensions": json.dumps(persisted(mutation))}, headers=city.headers
    )

    assert response.status_code == 400
    assert [e["extensions"]["code"] for e in response.json()["errors"]] == ["BAD_REQUEST"]
    # Every mutation that runs, accepted or refused, is audited: only the registering POST was.
    assert await AuditEntry.filter(action="markNotificationsRead").count() == 1


@pytest.fixture
async def persisted_only(database_url):
    """A client for an app that runs only trusted operations for anonymous and partner callers."""
    settings = Settings(database_url=database_url, persisted_only=frozenset({"anonymous", "partner"}))
    await register_trusted_operations(settings)
    app = create_app(settings, manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as http:
        yield http


async def test_persisted_only_refuses_an_unregistered_operation_from_anonymous_and_partner_callers(
    persisted_only, sign_in
):
    partner = await sign_in("PARTNER", partner="sompo-holdings")

    for headers in ({}, partner.headers):
        body = (await persisted_only.post("/graphql", json={"query": UNREGISTERED}, headers=headers)).json()
        assert body["data"] is None
        assert [e["extensions"]["code"] for e in body["errors"]] == ["PERSISTED_QUERY_REQUIRED"]
        assert "登録済みのオペレーションのみを実行します" in body["errors"][0]["message"]


async def test_persisted_only_runs_a_trusted_operation_by_text_however_it_is_laid_out(persisted_only):
    body = (await persisted_only.post("/graphql", json={"query": TRUSTED_THEMES})).json()

    assert [t["number"] for t in body["data"]["themes"]] == list(range(1, 11))


async def test_persisted_only_runs_a_trusted_operation_by_the_hash_of_its_normalised_text(persisted_only):
    trusted = await PersistedOperation.get(name="Themes", trusted=True)

    response = await persisted_only.get(
        "/graphql", params={"extensions": json.dumps(persisted(trusted.document))}
    )

    assert response.json()["data"]["themes"][0]["number"] == 1


async def test_persisted_only_lets_an_apollo_client_register_its_own_text_of_a_trusted_operation(persisted_only):
    first = (await persisted_only.post("/graphql", json={"extensions": persisted(TRUSTED_THEMES)})).json()
    resent = await persisted_only.post(
        "/graphql", json={"query": TRUSTED_THEMES, "extensions": persisted(TRUSTED_THEMES)}
    )
    by_hash = (await persisted_only.post("/graphql", json={"extensions": persisted(TRUSTED_THEMES)})).json()

    assert first["errors"][0]["message"] == "PersistedQueryNotFound"
    assert resent.json()["data"] == by_hash["data"]


async def test_persisted_only_never_registers_an_untrusted_document_for_a_restricted_caller(persisted_only):
    body = (
        await persisted_only.post("/graphql", json={"query": UNREGISTERED, "extensions": persisted(UNREGISTERED)})
    ).json()

    assert body["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_REQUIRED"
    assert not await PersistedOperation.filter(sha256=sha256(UNREGISTERED)).exists()


async def test_persisted_only_leaves_callers_it_does_not_name_free(persisted_only, sign_in):
    city = await sign_in("MUNICIPALITY", municipality="272256")

    body = (await persisted_only.post("/graphql", json={"query": UNREGISTERED}, headers=city.headers)).json()

    assert body["data"]["partners"]["totalCount"] > 0


async def test_trusted_operations_register_once_however_often_workers_start(database_url):
    settings = Settings(database_url=database_url)

    count = await register_trusted_operations(settings)
    await register_trusted_operations(settings)

    assert count == 6
    assert await PersistedOperation.filter(trusted=True).count() == count


def test_an_unknown_caller_kind_in_the_setting_stops_the_service():
    with pytest.raises(ValueError, match="unknown caller kinds"):
        Settings.from_env({"TSUNAGU_PERSISTED_ONLY": "anonymous,partners"})
    assert Settings.from_env({"TSUNAGU_PERSISTED_ONLY": "anonymous, Partner"}).persisted_only == {"anonymous", "partner"}


def test_the_register_operations_command_prints_each_trusted_operation_with_its_hash(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite://{tmp_path / 'cli.sqlite3'}")

    assert main(["register-operations"]) == 0

    lines = capsys.readouterr().out.splitlines()
    names = sorted(line.split()[1] for line in lines)
    assert names == ["Municipalities", "OfferingsByTheme", "PartnerOfferings", "Partners", "Themes", "Viewer"]
    assert all(len(line.split()[0]) == 64 for line in lines)
