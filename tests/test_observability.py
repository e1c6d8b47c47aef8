"""Request ids, one JSON log line per request, and Prometheus metrics by operation."""

import io
import json
import logging

import pytest

from edge.observability import LIBRARY_LOGGERS, JsonFormatter, configure_logging

THEMES = {"query": "query Themes { themes { number pillar { key } } }", "operationName": "Themes"}


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.lines: list[dict] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def access_log():
    handler = Lines()
    logger = logging.getLogger("tsunagu.access")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler.lines
    logger.removeHandler(handler)


async def test_each_request_is_logged_as_json_with_its_id_operation_and_statements(client, access_log):
    response = await client.post("/graphql", json=THEMES, headers={"X-Request-ID": "req-42"})

    assert response.headers["x-request-id"] == "req-42"
    (line,) = access_log
    assert line["message"] == "request"
    assert (line["request_id"], line["operation"], line["status"], line["path"]) == ("req-42", "Themes", 200, "/graphql")
    assert line["statements"] >= 2 and line["duration_ms"] > 0


async def test_a_request_id_that_is_not_a_sane_token_is_replaced(client):
    response = await client.post("/graphql", json=THEMES, headers={"X-Request-ID": "x" * 65})

    assert len(response.headers["x-request-id"]) == 32


async def test_metrics_count_requests_latency_and_statements_by_operation(client):
    for _ in range(3):
        await client.post("/graphql", json=THEMES)
    await client.post("/graphql", content=b"{bad", headers={"content-type": "application/json"})

    text = (await client.get("/metrics")).text

    assert 'tsunagu_requests_total{operation="Themes",status="200"} 3.0' in text
    assert 'tsunagu_requests_total{operation="none",status="400"} 1.0' in text
    assert 'tsunagu_request_duration_seconds_count{operation="Themes"} 3.0' in text
    assert 'tsunagu_sql_statements_per_request_count{operation="Themes"} 3.0' in text


@pytest.fixture
def service_logging():
    """The server's logging configuration, undone afterwards; yields the JSON lines on stderr."""
    names = ("tsunagu", *LIBRARY_LOGGERS)
    saved = {name: (logging.getLogger(name).handlers[:], logging.getLogger(name).propagate) for name in names}
    stream = io.StringIO()
    configure_logging("info", stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for name, (handlers, propagate) in saved.items():
        logging.getLogger(name).handlers[:] = handlers
        logging.getLogger(name).propagate = propagate


def test_a_librarys_error_with_its_traceback_is_one_json_line_and_its_debug_is_left_out(service_logging):
    try:
        raise RuntimeError("connection lost")
    except RuntimeError:
        logging.getLogger("strawberry.execution").error("masked fault", exc_info=True)
    logging.getLogger("tortoise.db_client").debug("SELECT 1")
    logging.getLogger("asyncpg").warning("pool is full")

    lines = service_logging()

    assert [(line["logger"], line["level"], line["message"]) for line in lines] == [
        ("strawberry.execution", "ERROR", "masked fault"),
        ("asyncpg", "WARNING", "pool is full"),
    ]
    assert "RuntimeError: connection lost" in lines[0]["exception"]
