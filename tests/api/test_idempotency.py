"""Mutations sent with an Idempotency-Key: a retry gets the first answer and changes nothing."""

import asyncio
import datetime as dt

import pytest

from models import IdempotencyKey

KANKO = "kanko-yoho-platform"
CREATE_OFFERING = """
mutation($input: CreateOfferingInput!) {
  createOffering(input: $input) { offering { id title } userErrors { field code message } }
}"""
PARTNER_OFFERINGS = "query($slug: String!) { partner(slug: $slug) { offerings { id title } } }"
AUDIT = """
query($outcome: AuditOutcome) {
  auditLog(filter: {action: "createOffering", outcome: $outcome}) { totalCount }
}"""


def offering_input(title: str = "防災ドローン体験会") -> dict:
    """A new offering; `confirmDuplicate`, since a retry sends the same title again and only the
    key, not the duplicate-title warning, is to decide whether it runs twice."""
    return {
        "input": {
            "partnerSlug": KANKO,
            "title": title,
            "kind": "TRAINING",
            "summary": "ドローンによる被災状況の把握を体験します。",
            "audience": "ALL_MEMBERS",
            "themeNumbers": [2],
            "confirmDuplicate": True,
        }
    }


async def post(caller, query: str, variables: dict, key: str | None):
    headers = dict(caller.headers)
    if key is not None:
        headers["Idempotency-Key"] = key
    response = await caller.http.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code == 200, response.text
    return response


async def titles(caller) -> list[str]:
    partner = (await caller.data(PARTNER_OFFERINGS, {"slug": KANKO}))["partner"]
    return sorted(offering["title"] for offering in partner["offerings"])


async def audited(admin, outcome: str) -> int:
    return (await admin.data(AUDIT, {"outcome": outcome}))["auditLog"]["totalCount"]


async def test_a_mutation_retried_with_its_key_gets_the_first_answer_and_creates_nothing_more(sign_in):
    partner = await sign_in("PARTNER", partner=KANKO)
    admin = await sign_in("ADMIN")
    before = await titles(partner)

    first = await post(partner, CREATE_OFFERING, offering_input(), "order-2026-001")
    retry = await post(partner, CREATE_OFFERING, offering_input(), "order-2026-001")

    assert first.json()["data"]["createOffering"]["userErrors"] == []
    assert retry.json()["data"] == first.json()["data"], "the same offering id, the same answer"
    assert "idempotent-replayed" not in first.headers
    assert retry.headers["idempotent-replayed"] == "true"
    assert await titles(partner) == sorted([*before, "防災ドローン体験会"])
    assert await audited(admin, "ACCEPTED") == 1, "a replay is not a second change"
    assert retry.headers["x-cache"] == "BYPASS", "mutations never come from the response cache"


async def test_without_a_key_a_retry_creates_a_second_row(sign_in):
    partner = await sign_in("PARTNER", partner=KANKO)
    before = await titles(partner)

    await post(partner, CREATE_OFFERING, offering_input(), None)
    await post(partner, CREATE_OFFERING, offering_input(), None)

    assert len(await titles(partner)) == len(before) + 2


async def test_the_same_key_with_a_different_input_is_refused_and_changes_nothing(sign_in):
    partner = await sign_in("PARTNER", partner=KANKO)
    admin = await sign_in("ADMIN")
    await post(partner, CREATE_OFFERING, offering_input("一つ目"), "k-1")
    after_first = await titles(partner)

    reused = (await post(partner, CREATE_OFFERING, offering_input("二つ目"), "k-1")).json()

    payload = reused["data"]["createOffering"]
    assert payload["offering"] is None
    assert [e["code"] for e in payload["userErrors"]] == ["IDEMPOTENCY_KEY_REUSED"]
    assert await titles(partner) == after_first
    assert (await audited(admin, "ACCEPTED"), await audited(admin, "REFUSED")) == (1, 1)


async def test_two_callers_with_the_same_key_are_independent(sign_in):
    first = await sign_in("PARTNER", partner=KANKO)
    second = await sign_in("PARTNER", partner=KANKO)
    before = await titles(first)

    one = (await post(first, CREATE_OFFERING, offering_input("一つ目"), "shared")).json()
    other = (await post(second, CREATE_OFFERING, offering_input("二つ目"), "shared")).json()

    assert one["data"]["createOffering"]["userErrors"] == []
    assert other["data"]["createOffering"]["userErrors"] == []
    assert one["data"]["createOffering"]["offering"]["id"] != other["data"]["createOffering"]["offering"]["id"]
    assert await titles(first) == sorted([*before, "一つ目", "二つ目"])


async def test_an_expired_key_runs_the_mutation_again_and_is_cleaned_up(sign_in):
    partner = await sign_in("PARTNER", partner=KANKO)
    before = await titles(partner)
    first = (await post(partner, CREATE_OFFERING, offering_input(), "daily")).json()
    await IdempotencyKey.all().update(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))

    again = await post(partner, CREATE_OFFERING, offering_input(), "daily")

    assert "idempotent-replayed" not in again.headers
    assert again.json()["data"]["createOffering"]["offering"]["id"] != first["data"]["createOffering"]["offering"]["id"]
    assert len(await titles(partner)) == len(before) + 2
    assert await IdempotencyKey.all().count() == 1, "the expired key was deleted"


async def test_a_refused_mutation_keeps_no_key_so_a_retry_runs_again(sign_in):
    partner = await sign_in("PARTNER", partner=KANKO)
    refused = offering_input()
    refused["input"]["themeNumbers"] = [99]

    first = (await post(partner, CREATE_OFFERING, refused, "retry-me")).json()
    retry = await post(partner, CREATE_OFFERING, refused, "retry-me")

    assert first["data"]["createOffering"]["userErrors"]
    assert "idempotent-replayed" not in retry.headers
    assert await IdempotencyKey.all().count() == 0


@pytest.mark.parametrize(
    "key",
    ["", "with space", "ключ".encode(), "x" * 256],
    ids=["empty", "space", "not-ascii", "too-long"],
)
async def test_a_malformed_key_is_refused_before_anything_runs(sign_in, key):
    partner = await sign_in("PARTNER", partner=KANKO)
    before = await titles(partner)

    body = (await post(partner, CREATE_OFFERING, offering_input(), key)).json()

    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["INVALID_ARGUMENT"]
    assert "Idempotency-Key" in body["errors"][0]["message"]
    assert await titles(partner) == before


async def test_a_key_covers_one_mutation_field_only(sign_in):
    partner = await sign_in("PARTNER", partner=KANKO)
    two = """
    mutation($input: CreateOfferingInput!) {
      a: createOffering(input: $input) { offering { id } }
      b: createOffering(input: $input) { offering { id } }
    }"""

    body = (await post(partner, two, offering_input(), "two-at-once")).json()

    assert [e["extensions"]["code"] for e in body["errors"]] == ["INVALID_ARGUMENT"]
    assert "one mutation field" in body["errors"][0]["message"]


async def test_a_mutation_whose_answer_holds_a_secret_takes_no_key(sign_in):
    admin = await sign_in("ADMIN")
    issue = 'mutation { issueToken(input: {name: "n", role: ADMIN}) { token userErrors { code } } }'

    body = (await post(admin, issue, {}, "token-1")).json()

    assert [e["extensions"]["code"] for e in body["errors"]] == ["INVALID_ARGUMENT"]
    assert "issueToken" in body["errors"][0]["message"]


async def test_a_keyed_mutation_whose_answer_has_an_error_is_rolled_back(sign_in):
    partner = await sign_in("PARTNER", partner=KANKO)
    before = await titles(partner)
    # The offering is created, then a page too large in the payload fails: the answer has an error.
    failing = """
    mutation($input: CreateOfferingInput!) {
      createOffering(input: $input) {
        offering { id themes { workingGroups { participants(first: 101) { totalCount } } } }
        userErrors { code }
      }
    }"""

    body = (await post(partner, failing, offering_input(), "half-done")).json()

    assert body["errors"] and body["data"] is None
    assert await titles(partner) == before
    assert await IdempotencyKey.all().count() == 0


async def test_a_key_on_a_query_is_ignored(sign_in):
    partner = await sign_in("PARTNER", partner=KANKO)

    response = await post(partner, PARTNER_OFFERINGS, {"slug": KANKO}, "not for reads")

    assert "errors" not in response.json()


async def test_two_concurrent_requests_with_the_same_key_apply_once(sign_in):
    """On PostgreSQL the second waits at the key's unique index until the first commits; SQLite
    runs one transaction at a time."""
    partner = await sign_in("PARTNER", partner=KANKO)
    admin = await sign_in("ADMIN")
    before = await titles(partner)

    responses = await asyncio.gather(
        *(post(partner, CREATE_OFFERING, offering_input(), "double-click") for _ in range(2))
    )

    answers = [r.json()["data"] for r in responses]
    assert answers[0] == answers[1]
    assert sorted(r.headers.get("idempotent-replayed", "false") for r in responses) == ["false", "true"]
    assert len(await titles(partner)) == len(before) + 1
    assert await audited(admin, "ACCEPTED") == 1


async def test_a_key_costs_four_statements_and_a_replay_runs_none_of_the_mutation(sign_in, sql_statements):
    partner = await sign_in("PARTNER", partner=KANKO)

    async def statements(title: str, key: str | None) -> int:
        before = sql_statements.count
        await post(partner, CREATE_OFFERING, offering_input(title), key)
        return sql_statements.count - before

    unkeyed = await statements("鍵なし", None)
    keyed = await statements("鍵あり", "measured")
    replayed = await statements("鍵あり", "measured")

    print(f"statements per createOffering: unkeyed {unkeyed}, keyed {keyed}, replayed {replayed}")
    assert keyed == unkeyed + 4, "delete expired keys, insert the key, read it back, keep the answer"
    assert replayed == 4, "the token, the expired keys, the key (insert and read back)"


@pytest.mark.parametrize("step", ["claim", "keep"])
async def test_a_database_lost_around_a_keyed_mutation_is_a_503_and_a_retry_applies_it_once(sign_in, monkeypatch, step):
    """The connection is cut before the mutation runs or as its key is kept (what a stopped
    PostgreSQL did under bench/fault_run.py --postgres-outage): the caller gets the outage's 503,
    not the driver's message, nothing is kept, and the retry with the same key applies it once."""
    partner = await sign_in("PARTNER", partner=KANKO)
    headers = dict(partner.headers) | {"Idempotency-Key": f"cut-at-{step}"}
    request = {"query": CREATE_OFFERING, "variables": offering_input("停電訓練")}

    async def cut(*args: object, **kwargs: object) -> None:
        raise ConnectionResetError(104, "Connection reset by peer")

    with monkeypatch.context() as patched:
        patched.setattr(f"resolvers.idempotency.{step}", cut)
        lost = await partner.http.post("/graphql", json=request, headers=headers)
    retried = await partner.http.post("/graphql", json=request, headers=headers)

    assert lost.status_code == 503, lost.text
    assert lost.headers["retry-after"].isdigit()
    (error,) = lost.json()["errors"]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert "reset" not in lost.text and "Errno" not in lost.text
    assert retried.json()["data"]["createOffering"]["offering"]["title"] == "停電訓練"
    assert (await titles(partner)).count("停電訓練") == 1


async def test_a_fault_as_a_keyed_mutation_settles_is_masked(sign_in, monkeypatch):
    partner = await sign_in("PARTNER", partner=KANKO)

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internals of keep()")

    monkeypatch.setattr("resolvers.idempotency.keep", broken)
    body = (await post(partner, CREATE_OFFERING, offering_input(), "broken-keep")).json()

    (error,) = body["errors"]
    assert error["extensions"]["code"] == "INTERNAL_ERROR"
    assert "secret internals" not in error["message"]
    assert "停電訓練" not in await titles(partner) and body["data"] is None
