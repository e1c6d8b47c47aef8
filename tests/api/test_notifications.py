"""Notifications: each organisation is told about its own business, and only its own."""

import pytest

from models import Notification, Partner
from resolvers.cluster.broker import broker

OFFERING = """
query($slug: String!) { partner(slug: $slug) { offerings { id slug } } }"""
REQUEST = """
mutation($id: ID!) {
  requestOffering(input: {offeringId: $id}) { offeringRequest { id } userErrors { code } }
}"""
RESPOND = """
mutation($id: ID!) {
  respondToOfferingRequest(input: {requestId: $id, response: ACCEPT}) { userErrors { code } }
}"""
NOTIFICATIONS = """
query($unread: Boolean! = false) {
  notifications(first: 10, unreadOnly: $unread) {
    totalCount nodes { id kind message readAt subject { id ... on OfferingRequest { status } } }
  }
}"""
MARK_READ = """
mutation($ids: [ID!]) {
  markNotificationsRead(input: {notificationIds: $ids}) { markedCount userErrors { code } }
}"""
NODE = "query($id: ID!) { node(id: $id) { id } }"

KANKO = "kanko-yoho-platform"
TAKAISHI, NANTO = "272256", "162108"


async def demo_accounts_id(client) -> str:
    offerings = (await client.data(OFFERING, {"slug": KANKO}))["partner"]["offerings"]
    return next(o["id"] for o in offerings if o["slug"] == "kanko-yoho-demo-accounts")


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_partner_is_told_of_a_request_and_the_member_of_the_answer(sign_in):
    member = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    partner = await sign_in("PARTNER", partner=KANKO)
    request = await member.accepted(REQUEST, {"id": await demo_accounts_id(member)})

    told = (await partner.data(NOTIFICATIONS))["notifications"]
    assert told["totalCount"] == 1
    (note,) = told["nodes"]
    assert note["kind"] == "OFFERING_REQUESTED" and note["readAt"] is None
    assert note["subject"] == {"id": request["offeringRequest"]["id"], "status": "REQUESTED"}

    await partner.accepted(RESPOND, {"id": request["offeringRequest"]["id"]})
    answered = (await member.data(NOTIFICATIONS))["notifications"]["nodes"]
    assert [(n["kind"], n["subject"]["status"]) for n in answered] == [("OFFERING_REQUEST_ANSWERED", "ACCEPTED")]


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_no_other_organisation_sees_a_notification(sign_in):
    member = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    partner = await sign_in("PARTNER", partner=KANKO)
    await member.accepted(REQUEST, {"id": await demo_accounts_id(member)})
    (note,) = (await partner.data(NOTIFICATIONS))["notifications"]["nodes"]

    other_partner = await sign_in("PARTNER", partner="sompo-holdings")
    other_member = await sign_in("MUNICIPALITY", municipality=NANTO)
    admin = await sign_in("ADMIN")
    for caller in (other_partner, other_member, admin):
        assert (await caller.data(NOTIFICATIONS))["notifications"]["totalCount"] == 0
        assert (await caller.data(NODE, {"id": note["id"]}))["node"] is None
        assert (await caller.mutate(MARK_READ, {"ids": [note["id"]]}))["markedCount"] == 0
    assert (await partner.data(NOTIFICATIONS, {"unread": True}))["notifications"]["totalCount"] == 1


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_marking_read_counts_only_unread_ones(sign_in):
    member = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    partner = await sign_in("PARTNER", partner=KANKO)
    await member.accepted(REQUEST, {"id": await demo_accounts_id(member)})

    assert (await partner.accepted(MARK_READ, {"ids": None}))["markedCount"] == 1
    assert (await partner.accepted(MARK_READ, {"ids": None}))["markedCount"] == 0
    assert (await partner.data(NOTIFICATIONS, {"unread": True}))["notifications"]["totalCount"] == 0
    (note,) = (await partner.data(NOTIFICATIONS))["notifications"]["nodes"]
    assert note["readAt"] is not None


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_anonymous_callers_are_asked_to_sign_in(gql):
    (error,) = await gql.errors(NOTIFICATIONS)
    assert error["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_notification_is_published_once_its_mutation_commits_and_never_if_refused(sign_in):
    member = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    partner = await Partner.get(slug=KANKO)
    demo_accounts = await demo_accounts_id(member)

    async with broker.subscribe(f"partner:{partner.id}") as queue:
        await member.accepted(REQUEST, {"id": demo_accounts})
        assert await member.refused(REQUEST, {"id": demo_accounts}) == ["ALREADY_REQUESTED"]
        published = [queue.get_nowait() for _ in range(queue.qsize())]

    stored = await Notification.filter(partner_id=partner.id).values_list("id", flat=True)
    assert published == stored and len(stored) == 1
