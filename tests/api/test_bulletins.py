"""Bulletins: each caller reads what its tier entitles it to; only the secretariat writes and publishes."""

import base64

import pytest

from models import Municipality
from resolvers.cluster.broker import broker

CREATE = """
mutation($input: CreateBulletinInput!) {
  createBulletin(input: $input) {
    bulletin { id issue year month title body audience status publishedAt alliance { slug } }
    userErrors { field code message }
  }
}"""
UPDATE = """
mutation($input: UpdateBulletinInput!) {
  updateBulletin(input: $input) { bulletin { id issue title audience status } userErrors { field code message } }
}"""
PUBLISH = """
mutation($id: ID!) {
  publishBulletin(input: {bulletinId: $id}) {
    bulletin { id status publishedAt } notifiedCount userErrors { field code message }
  }
}"""
BULLETINS = """
query($filter: BulletinFilter, $first: Int, $after: String) {
  bulletins(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id issue audience status }
  }
}"""
NODE = "query($id: ID!) { node(id: $id) { ... on Bulletin { issue title } } }"
NOTIFICATIONS = """
{ notifications(first: 10) { totalCount nodes { id kind message subject { ... on Bulletin { issue } } } } }"""
MEMBERSHIP_OF = """
query($code: String!) { municipality(code: $code) { memberships { id alliance { slug } } } }"""
SUSPEND = """
mutation($id: ID!) { suspendMembership(input: {membershipId: $id}) { userErrors { code } } }"""
ACTIVE_TIERS = """
{ alliance(slug: "expo2025") { statistics(status: ACTIVE) { memberCount byTier { key count } } } }"""

TAKAISHI = "272256"  # a full, active member of expo2025
RYUGASAKI = "082082"  # a supporting, active member
SAPPORO = "011002"  # not a member


def bulletin_input(**fields) -> dict:
    return {
        "allianceSlug": "expo2025",
        "year": 2026,
        "month": 11,
        "title": "万博首長連合 会報 11月号",
        "body": "防災ワーキンググループの報告ほか。",
        "audience": "ALL_MEMBERS",
        **fields,
    }


def faults(payload: dict) -> list[tuple[str, list[str] | None]]:
    return [(e["code"], e["field"]) for e in payload["userErrors"]]


@pytest.fixture
async def admin(sign_in):
    return await sign_in("ADMIN")


async def draft(admin, **fields) -> str:
    return (await admin.accepted(CREATE, {"input": bulletin_input(**fields)}))["bulletin"]["id"]


async def published(admin, **fields) -> str:
    id = await draft(admin, **fields)
    await admin.accepted(PUBLISH, {"id": id})
    return id


async def issues(caller, **filter) -> list[str]:
    data = await caller.data(BULLETINS, {"filter": filter or None, "first": 100})
    return [n["issue"] for n in data["bulletins"]["nodes"]]


@pytest.fixture
async def one_of_each(admin) -> dict[str, str]:
    """A published issue for each audience and a draft: issue → ID."""
    return {
        "2026-09": await published(admin, month=9, audience="PUBLIC"),
        "2026-10": await published(admin, month=10, audience="ALL_MEMBERS"),
        "2026-11": await published(admin, month=11, audience="FULL_MEMBERS"),
        "2026-12": await draft(admin, month=12, audience="FULL_MEMBERS"),
    }


async def caller_for(who: str, gql, sign_in):
    match who:
        case "anonymous":
            return gql
        case "partner":
            return await sign_in("PARTNER", partner="sompo-holdings")
        case "secretariat":
            return await sign_in("ADMIN")
        case code:
            return await sign_in("MUNICIPALITY", municipality=code)


@pytest.mark.parametrize(
    ("who", "entitled"),
    [
        ("anonymous", ["2026-09"]),
        ("partner", ["2026-09"]),
        (SAPPORO, ["2026-09"]),
        (RYUGASAKI, ["2026-10", "2026-09"]),
        (TAKAISHI, ["2026-11", "2026-10", "2026-09"]),
        ("secretariat", ["2026-12", "2026-11", "2026-10", "2026-09"]),
    ],
)
# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_each_caller_reads_exactly_what_it_is_entitled_to(gql, sign_in, one_of_each, who, entitled):
    caller = await caller_for(who, gql, sign_in)

    listed = await issues(caller)
    found = {issue: (await caller.data(NODE, {"id": id}))["node"] for issue, id in one_of_each.items()}

    assert listed == entitled
    assert [issue for issue, node in found.items() if node is not None] == sorted(entitled)


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_drafts_are_the_secretariats_alone(gql, sign_in, admin):
    id = await draft(admin, audience="PUBLIC")
    member = await sign_in("MUNICIPALITY", municipality=TAKAISHI)

    for caller in (gql, member):
        assert await issues(caller) == []
        assert await issues(caller, status="DRAFT") == []
        assert (await caller.data(NODE, {"id": id}))["node"] is None
    assert await issues(admin, status="DRAFT") == ["2026-11"]
    assert (await admin.data(NODE, {"id": id}))["node"]["issue"] == "2026-11"


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_suspended_member_reads_public_issues_only(gql, sign_in, admin, one_of_each):
    memberships = (await gql.data(MEMBERSHIP_OF, {"code": TAKAISHI}))["municipality"]["memberships"]
    expo = next(m["id"] for m in memberships if m["alliance"]["slug"] == "expo2025")
    await admin.accepted(SUSPEND, {"id": expo})

    member = await sign_in("MUNICIPALITY", municipality=TAKAISHI)

    assert await issues(member) == ["2026-09"]
    assert (await member.data(NODE, {"id": one_of_each["2026-11"]}))["node"] is None


async def test_bulletins_filter_by_alliance_and_year_and_page_newest_first(gql, admin):
    for year, month in [(2025, 12), (2026, 1), (2026, 2), (2026, 3)]:
        await published(admin, year=year, month=month, audience="PUBLIC")

    first = (await gql.data(BULLETINS, {"first": 2}))["bulletins"]
    rest = (await gql.data(BULLETINS, {"first": 2, "after": first["pageInfo"]["endCursor"]}))["bulletins"]

    assert [n["issue"] for n in first["nodes"] + rest["nodes"]] == ["2026-03", "2026-02", "2026-01", "2025-12"]
    assert first["pageInfo"]["hasNextPage"] and not rest["pageInfo"]["hasNextPage"]
    assert await issues(gql, year=2025) == ["2025-12"]
    assert await issues(gql, allianceSlug="expo2025", year=2026) == ["2026-03", "2026-02", "2026-01"]
    assert await issues(gql, allianceSlug="olympic-paralympic") == []


# --- writing ------------------------------------------------------------------------------------


async def test_the_secretariat_writes_a_draft_and_changes_it(admin):
    created = (await admin.accepted(CREATE, {"input": bulletin_input()}))["bulletin"]

    updated = await admin.accepted(
        UPDATE, {"input": {"bulletinId": created["id"], "title": "  会報 11月号（改）  ", "audience": "PUBLIC"}}
    )

    assert created["status"] == "DRAFT" and created["publishedAt"] is None
    assert (created["issue"], created["alliance"]["slug"]) == ("2026-11", "expo2025")
    assert updated["bulletin"] == {
        "id": created["id"], "issue": "2026-11", "title": "会報 11月号（改）", "audience": "PUBLIC", "status": "DRAFT",
    }


@pytest.mark.parametrize(
    ("fields", "fault"),
    [
        ({"month": 13}, ("INVALID", ["input", "month"])),
        ({"month": 0}, ("INVALID", ["input", "month"])),
        ({"year": 1999}, ("INVALID", ["input", "year"])),
        ({"title": "   "}, ("INVALID", ["input", "title"])),
        ({"title": "長" * 201}, ("INVALID", ["input", "title"])),
        ({"body": ""}, ("INVALID", ["input", "body"])),
        ({"allianceSlug": "no-such-alliance"}, ("NOT_FOUND", ["input", "allianceSlug"])),
        ({"allianceSlug": "olympic-paralympic"}, ("INVALID", ["input", "allianceSlug"])),
    ],
)
async def test_bad_bulletin_input_is_a_user_error(admin, fields, fault):
    payload = await admin.mutate(CREATE, {"input": bulletin_input(**fields)})

    assert faults(payload) == [fault]
    assert payload["bulletin"] is None
    assert await issues(admin) == []


async def test_one_issue_per_month(admin):
    first = await draft(admin, month=10)
    second = await draft(admin, month=11)

    again = await admin.mutate(CREATE, {"input": bulletin_input(month=10, title="別の10月号")})
    moved = await admin.mutate(UPDATE, {"input": {"bulletinId": second, "month": 10}})

    assert faults(again) == [("ALREADY_EXISTS", ["input", "month"])]
    assert faults(moved) == [("ALREADY_EXISTS", ["input", "month"])]
    assert await issues(admin) == ["2026-11", "2026-10"]
    assert first != second


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_published_bulletin_is_not_changed_nor_published_again(admin):
    id = await published(admin)

    changed = await admin.mutate(UPDATE, {"input": {"bulletinId": id, "title": "差し替え"}})
    again = await admin.mutate(PUBLISH, {"id": id})

    assert faults(changed) == [("INVALID_TRANSITION", ["input", "bulletinId"])]
    assert faults(again) == [("INVALID_TRANSITION", ["input", "bulletinId"])]
    assert again["notifiedCount"] == 0
    assert (await admin.data(NODE, {"id": id}))["node"]["title"] == "万博首長連合 会報 11月号"


async def test_an_id_that_is_no_bulletin_is_not_found(admin):
    offering = base64.b64encode(b"Offering:1").decode()
    missing = base64.b64encode(b"Bulletin:999999").decode()

    for id in (offering, missing):
        assert faults(await admin.mutate(PUBLISH, {"id": id})) == [("NOT_FOUND", ["input", "bulletinId"])]


@pytest.mark.parametrize("who", ["anonymous", "partner", TAKAISHI])
async def test_only_the_secretariat_writes_and_publishes(gql, sign_in, admin, who):
    id = await draft(admin)
    caller = await caller_for(who, gql, sign_in)
    expected = ["UNAUTHENTICATED"] if who == "anonymous" else ["FORBIDDEN"]

    assert await caller.refused(CREATE, {"input": bulletin_input(month=1)}) == expected
    assert await caller.refused(UPDATE, {"input": {"bulletinId": id, "title": "乗っ取り"}}) == expected
    assert await caller.refused(PUBLISH, {"id": id}) == expected
    assert await issues(admin) == ["2026-11"]
    assert await issues(admin, status="PUBLISHED") == []


# --- publishing ---------------------------------------------------------------------------------


async def active_members_by_tier(gql) -> dict[str, int]:
    stats = (await gql.data(ACTIVE_TIERS))["alliance"]["statistics"]
    return {t["key"]: t["count"] for t in stats["byTier"]}


async def bulletin_notices(caller) -> list[tuple[str, str]]:
    nodes = (await caller.data(NOTIFICATIONS))["notifications"]["nodes"]
    return [(n["kind"], n["subject"]["issue"]) for n in nodes]


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_publishing_a_full_members_issue_notifies_full_members_only(gql, sign_in, admin):
    id = await draft(admin, audience="FULL_MEMBERS")
    full = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    supporting = await sign_in("MUNICIPALITY", municipality=RYUGASAKI)
    outsider = await sign_in("MUNICIPALITY", municipality=SAPPORO)

    payload = await admin.accepted(PUBLISH, {"id": id})

    assert payload["bulletin"]["status"] == "PUBLISHED" and payload["bulletin"]["publishedAt"]
    assert payload["notifiedCount"] == (await active_members_by_tier(gql))["FULL"] == 123
    assert await bulletin_notices(full) == [("BULLETIN_PUBLISHED", "2026-11")]
    assert await bulletin_notices(supporting) == []
    assert await bulletin_notices(outsider) == []


@pytest.mark.parametrize("audience", ["ALL_MEMBERS", "PUBLIC"])
# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_publishing_an_issue_for_all_members_notifies_every_active_member(gql, sign_in, admin, audience):
    id = await draft(admin, audience=audience)
    supporting = await sign_in("MUNICIPALITY", municipality=RYUGASAKI)
    outsider = await sign_in("MUNICIPALITY", municipality=SAPPORO)

    payload = await admin.accepted(PUBLISH, {"id": id})

    assert payload["notifiedCount"] == sum((await active_members_by_tier(gql)).values()) == 581
    assert await bulletin_notices(supporting) == [("BULLETIN_PUBLISHED", "2026-11")]
    assert await bulletin_notices(outsider) == []


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_subscribers_hear_of_a_publication_once_it_is_committed(sign_in, admin):
    id = await draft(admin, audience="FULL_MEMBERS")
    takaishi = await Municipality.get(code=TAKAISHI)
    member = await sign_in("MUNICIPALITY", municipality=TAKAISHI)

    async with broker.subscribe(f"municipality:{takaishi.id}") as queue:
        await admin.accepted(PUBLISH, {"id": id})
        await admin.refused(PUBLISH, {"id": id})
        heard = [queue.get_nowait() for _ in range(queue.qsize())]

    (notice,) = (await member.data(NOTIFICATIONS))["notifications"]["nodes"]
    assert [base64.b64encode(f"Notification:{n}".encode()).decode() for n in heard] == [notice["id"]]
