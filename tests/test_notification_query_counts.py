"""A page of notifications with what they say (the names they keep) and the page each links to
costs the same statements for 6 notifications as for 60: one per kind of subject, not one per
notification."""

import pytest

from models import (
    Challenge,
    Municipality,
    Notification,
    NotificationKind,
    Offering,
    OfferingRequest,
    OfferingRequestStatus,
    Partner,
    Proposal,
)

pytestmark = pytest.mark.usefixtures("uneven_statement_latency")

NOTIFICATIONS = """
query ($first: Int!) {
  notifications(first: $first) { totalCount nodes { kind message createdAt readAt portalPath } }
}
"""
TAKAISHI, SOMPO = "272256", "sompo-holdings"
ROUNDS = 20


async def send_notifications() -> None:
    """For each round: a challenge of Takaishi's with SOMPO's proposal, and an offering request
    from another municipality to SOMPO and from Takaishi to another partner; each notified to
    both sides as the service would, names kept."""
    takaishi = await Municipality.get(code=TAKAISHI)
    sompo = await Partner.get(slug=SOMPO)
    sompo_offering = await Offering.filter(partner_id=sompo.id).first()
    others = await Offering.exclude(partner_id=sompo.id).order_by("id").limit(ROUNDS).prefetch_related("partner")
    requesters = await Municipality.exclude(id=takaishi.id).order_by("id").limit(ROUNDS)
    assert sompo_offering is not None and len(others) == len(requesters) == ROUNDS
    notifications = []
    for index in range(ROUNDS):
        challenge = await Challenge.create(
            municipality=takaishi, title=f"課題 {index}", background="背景", desired_outcome="成果"
        )
        proposal = await Proposal.create(
            challenge=challenge, partner=sompo, municipality=takaishi, title=f"提案 {index}", summary="概要"
        )
        to_sompo = await OfferingRequest.create(
            offering=sompo_offering, partner=sompo, municipality=requesters[index], status=OfferingRequestStatus.REQUESTED
        )
        from_takaishi = await OfferingRequest.create(
            offering=others[index], partner_id=others[index].partner_id, municipality=takaishi,
            status=OfferingRequestStatus.ACCEPTED,
        )
        titles = {"proposal": proposal.title, "challenge": challenge.title}
        partner_name = {"ja": sompo.name, "en": sompo.name_en}
        notifications += [
            Notification(kind=NotificationKind.PROPOSAL_RECEIVED, municipality_id=takaishi.id,
                         params=titles | {"partner": partner_name}, subject_type="Proposal", subject_id=proposal.id),
            Notification(kind=NotificationKind.CHALLENGE_REVIEWED, municipality_id=takaishi.id,
                         params={"challenge": challenge.title, "comment": "", "change": "APPROVED"},
                         subject_type="Challenge", subject_id=challenge.id),
            Notification(kind=NotificationKind.OFFERING_REQUEST_ANSWERED, municipality_id=takaishi.id,
                         params={"status": {"enum": "OfferingRequestStatus", "value": "ACCEPTED"},
                                 "offering": others[index].title,
                                 "partner": {"ja": others[index].partner.name, "en": others[index].partner.name_en}},
                         subject_type="OfferingRequest", subject_id=from_takaishi.id),
            Notification(kind=NotificationKind.PROPOSAL_SELECTED, partner_id=sompo.id,
                         params=titles | {"municipality": {"ja": takaishi.name, "en": takaishi.name_en}},
                         subject_type="Proposal", subject_id=proposal.id),
            Notification(kind=NotificationKind.OFFERING_REQUESTED, partner_id=sompo.id,
                         params={"offering": sompo_offering.title,
                                 "municipality": {"ja": requesters[index].name, "en": requesters[index].name_en}},
                         subject_type="OfferingRequest", subject_id=to_sompo.id),
        ]
    await Notification.bulk_create(notifications)


async def statements_for(client, sql_statements, first: int) -> tuple[int, list[dict]]:
    before = sql_statements.count
    data = await client.data(NOTIFICATIONS, {"first": first})
    return sql_statements.count - before, data["notifications"]["nodes"]


@pytest.mark.parametrize("reader", ["member", "partner"])
async def test_a_page_of_notifications_with_names_and_links_costs_the_same_for_6_and_60(sign_in, sql_statements, reader):
    await send_notifications()
    if reader == "member":
        client = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    else:
        client = await sign_in("PARTNER", partner=SOMPO)

    six, _ = await statements_for(client, sql_statements, 6)
    sixty, nodes = await statements_for(client, sql_statements, 60)

    print(f"{reader} notifications: {six} statements for 6, {sixty} for 60")
    assert sixty == six
    assert sixty <= 6
    expected = 3 * ROUNDS if reader == "member" else 2 * ROUNDS
    assert len(nodes) == expected
    assert all(n["portalPath"] for n in nodes), "each links to its page"
    assert all("名称不明" not in n["message"] for n in nodes), "each names whom it concerns"
