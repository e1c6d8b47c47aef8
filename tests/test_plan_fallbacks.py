"""A query that steps aside from its compiled plan (schema/engine/executor.py) is counted and logged
with its reason, and the suite fails a test during which one steps aside unexpectedly."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator

import pytest

from edge.observability import MAX_OPERATION_LABELS, Metrics
from schema.engine.executor import FallbackReason
from settings import Settings
from tests.conftest import StepAsideRecorder, step_aside_complaints

# `search` returns a union: graphql-core resolves each node's type, so no plan is made.
SEARCH = 'query Find { search(query: "大阪", first: 3) { nodes { __typename ... on Municipality { code } } } }'
THEMES = "query Themes { themes { number pillar { key } } }"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """No response cache: each request here must be executed, not answered from the cache."""
    return dataclasses.replace(settings, response_cache_ttl=0)


@pytest.fixture
def plan_log() -> Iterator[list[logging.LogRecord]]:
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("tsunagu.plan")
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield records
    logger.removeHandler(handler)
    logger.setLevel(previous)


async def post(client, query: str) -> None:
    response = await client.post("/graphql", json={"query": query})
    assert response.status_code == 200 and "errors" not in response.json(), response.text


@pytest.mark.plan_fallback("abstract_type")
async def test_a_query_with_a_union_is_counted_by_operation_and_reason(client):
    for _ in range(2):
        await post(client, SEARCH)

    text = (await client.get("/metrics")).text

    assert 'tsunagu_plan_fallback_total{operation="Find",reason="abstract_type"} 2.0' in text


async def test_a_query_its_plan_answers_is_not_counted(client):
    await post(client, THEMES)

    text = (await client.get("/metrics")).text

    assert "tsunagu_plan_fallback_total{" not in text


@pytest.mark.plan_fallback("abstract_type")
async def test_a_step_aside_is_logged_at_debug_with_its_reason(client, plan_log):
    await post(client, SEARCH)

    (record,) = plan_log
    assert record.levelno == logging.DEBUG
    assert record.getMessage() == "plan stepped aside: abstract_type (nodes: SearchResult)"
    assert (record.operation, record.reason) == ("Find", "abstract_type")


def test_the_operation_label_is_bounded_as_the_request_metrics_are():
    metrics = Metrics()
    metrics.labels = {f"Operation{number}" for number in range(MAX_OPERATION_LABELS)}

    metrics.plan_fell_back("OneTooMany", FallbackReason.FIELD_ERROR, "Query.alliance")

    text = metrics.exposition().decode()
    assert 'tsunagu_plan_fallback_total{operation="other",reason="field_error"} 1.0' in text


@pytest.mark.plan_fallback("abstract_type")
async def test_the_suite_records_the_step_asides_of_each_test(client, plan_step_asides: StepAsideRecorder):
    await post(client, SEARCH)
    await post(client, THEMES)

    assert plan_step_asides.seen == [("Find", FallbackReason.ABSTRACT_TYPE, "nodes: SearchResult")]


def test_a_step_aside_the_test_did_not_declare_fails_it():
    seen = [("Find", FallbackReason.ABSTRACT_TYPE, "nodes: SearchResult")]

    complaint = ["Find stepped aside (abstract_type: nodes: SearchResult)"]
    assert step_aside_complaints(seen, set()) == complaint
    assert step_aside_complaints(seen, {FallbackReason.FIELD_ERROR}) == complaint


def test_a_declared_step_aside_passes():
    seen = [
        ("Find", FallbackReason.ABSTRACT_TYPE, "nodes: SearchResult"),
        ("Again", FallbackReason.ABSTRACT_TYPE, "node: Node"),
    ]

    assert step_aside_complaints(seen, {FallbackReason.ABSTRACT_TYPE}) == []
