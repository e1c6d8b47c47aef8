"""A notification is stored as its kind and parameters and reads in the language of whoever reads
it, whatever the language of whoever caused it. It names the municipality or partner it concerns
and links to the page of the reader's portal that shows what it is about."""

from strawberry import relay

from models import Municipality, Notification, NotificationKind, Partner, Proposal
from tests.api.test_bulletins import published
from tests.api.test_government_pitch import CREATE, PUBLISH, SELECT, SUBMIT, challenge_input
from tests.api.test_introductions import ANSWER
from tests.api.test_introductions import REQUEST as INTRODUCE
from tests.api.test_notifications import KANKO, NANTO, REQUEST, RESPOND, TAKAISHI, demo_accounts_id

DEMO = "観光予報プラットフォームのデモアカウント無償提供"
SOMPO = "sompo-holdings"
NOTIFICATIONS = "{ notifications(first: 10) { totalCount nodes { kind message portalPath } } }"


def messages(answer: dict) -> list[str]:
    return [n["message"] for n in answer["notifications"]["nodes"]]


def paths(answer: dict) -> list[str | None]:
    return [n["portalPath"] for n in answer["notifications"]["nodes"]]


def global_id(type_name: str, row_id: int) -> str:
    return str(relay.GlobalID(type_name, str(row_id)))


async def test_a_partner_reads_which_municipality_requested_its_offering_in_its_own_language(sign_in):
    member = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    partner = await sign_in("PARTNER", partner=KANKO)
    offering_id = await demo_accounts_id(member)
    await member.reading("ja").accepted(REQUEST, {"id": offering_id})

    in_english = await partner.reading("en").data(NOTIFICATIONS)
    in_japanese = await partner.reading("ja").data(NOTIFICATIONS)

    assert messages(in_english) == [f"Your offering 「{DEMO}」 was requested by Takaishi City."]
    assert messages(in_japanese) == [f"高石市から「{DEMO}」の依頼がありました。"]
    assert paths(in_japanese) == paths(in_english) == [f"/partner/offerings/{offering_id}"]


async def test_a_member_reads_which_partner_answered_its_request_in_its_own_language(sign_in):
    member = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    partner = await sign_in("PARTNER", partner=KANKO)
    request = await member.accepted(REQUEST, {"id": await demo_accounts_id(member)})
    await partner.reading("en").accepted(RESPOND, {"id": request["offeringRequest"]["id"]})
    kanko = await Partner.get(slug=KANKO)

    in_japanese = await member.reading("ja").data(NOTIFICATIONS)
    in_english = await member.reading("en").data(NOTIFICATIONS)

    assert messages(in_japanese) == [f"{kanko.name}が「{DEMO}」の依頼に回答しました：承諾。"], "the status reads as its label"
    assert messages(in_english) == [f"Your request for 「{DEMO}」 was answered by {kanko.name_en or kanko.name}: Accepted."]
    assert paths(in_japanese) == ["/portal/offerings"]


async def test_proposals_name_the_partner_to_the_member_and_the_municipality_to_the_partner(sign_in):
    member = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    partner = await sign_in("PARTNER", partner=SOMPO)
    challenge = (await member.accepted(CREATE, {"input": challenge_input()}))["challenge"]["id"]
    await member.accepted(PUBLISH, {"id": challenge})
    proposal = (await partner.accepted(SUBMIT, {"id": challenge, "title": "見守りの提案"}))["proposal"]["id"]
    await member.accepted(SELECT, {"id": proposal})
    sompo = await Partner.get(slug=SOMPO)

    received = await member.reading("ja").data(NOTIFICATIONS)
    assert messages(received) == [f"{sompo.name}が「津波避難の高齢者支援」に提案「見守りの提案」を提出しました。"]
    assert messages(await member.reading("en").data(NOTIFICATIONS)) == [
        f"Your challenge 「津波避難の高齢者支援」 received the proposal 「見守りの提案」 from {sompo.name_en or sompo.name}."
    ]
    assert paths(received) == [f"/portal/challenges/{challenge}"]

    selected = await partner.reading("en").data(NOTIFICATIONS)
    assert messages(selected)[0] == "Your proposal 「見守りの提案」 for 「津波避難の高齢者支援」 was selected by Takaishi City."
    assert messages(await partner.reading("ja").data(NOTIFICATIONS))[0] == (
        "高石市が「津波避難の高齢者支援」への提案「見守りの提案」を採択しました。"
    )
    assert paths(selected)[0] == f"/partner/proposals/{proposal}"


async def test_a_notification_whose_names_were_never_kept_reads_with_the_fallback_wording(sign_in):
    takaishi = await Municipality.get(code=TAKAISHI)
    kanko = await Partner.get(slug=KANKO)
    await Notification.create(
        kind=NotificationKind.OFFERING_REQUESTED, partner_id=kanko.id, params={"offering": DEMO},
        subject_type="OfferingRequest", subject_id=999_999,
    )
    await Notification.create(
        kind=NotificationKind.PROPOSAL_RECEIVED, municipality_id=takaishi.id,
        params={"proposal": "見守りの提案", "challenge": "高齢者の見守り"}, subject_type="Proposal", subject_id=999_999,
    )
    partner = await sign_in("PARTNER", partner=KANKO)
    member = await sign_in("MUNICIPALITY", municipality=TAKAISHI)

    assert messages(await partner.reading("ja").data(NOTIFICATIONS)) == [f"名称不明の自治体から「{DEMO}」の依頼がありました。"]
    assert messages(await partner.reading("en").data(NOTIFICATIONS)) == [
        f"Your offering 「{DEMO}」 was requested by a municipality whose name is not known."
    ]
    in_japanese = await member.reading("ja").data(NOTIFICATIONS)
    assert messages(in_japanese) == ["名称不明のパートナーが「高齢者の見守り」に提案「見守りの提案」を提出しました。"]
    assert messages(await member.reading("en").data(NOTIFICATIONS)) == [
        "Your challenge 「高齢者の見守り」 received the proposal 「見守りの提案」 from a partner whose name is not known."
    ]
    assert paths(in_japanese) == [None], "what no longer exists has no page"


async def test_a_notification_links_only_to_what_its_reader_may_see(sign_in):
    member = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    partner = await sign_in("PARTNER", partner=SOMPO)
    challenge = (await member.accepted(CREATE, {"input": challenge_input()}))["challenge"]["id"]
    await member.accepted(PUBLISH, {"id": challenge})
    await partner.accepted(SUBMIT, {"id": challenge, "title": "見守りの提案"})
    sompo_proposal = await Proposal.get(title="見守りの提案")
    # A notification to another partner about SOMPO's proposal, as a faulty caller might store.
    kanko = await Partner.get(slug=KANKO)
    await Notification.create(
        kind=NotificationKind.PROPOSAL_SELECTED, partner_id=kanko.id,
        params={"proposal": "見守りの提案", "challenge": "津波避難の高齢者支援"},
        subject_type="Proposal", subject_id=sompo_proposal.id,
    )

    other_partner = await sign_in("PARTNER", partner=KANKO)
    assert paths(await other_partner.data(NOTIFICATIONS)) == [None], "another partner's proposal has no page for it"
    for stranger in (await sign_in("MUNICIPALITY", municipality=NANTO), await sign_in("ADMIN")):
        assert (await stranger.data(NOTIFICATIONS))["notifications"]["totalCount"] == 0
    assert paths(await member.data(NOTIFICATIONS)) == [f"/portal/challenges/{challenge}"]
    assert global_id("Challenge", sompo_proposal.challenge_id) == challenge


async def test_bulletins_and_introductions_link_to_their_own_pages(sign_in):
    admin = await sign_in("ADMIN")
    bulletin = await published(admin)
    asking, asked = await sign_in("MUNICIPALITY", municipality=TAKAISHI), await sign_in("MUNICIPALITY", municipality=NANTO)
    introduction = await asking.accepted(INTRODUCE, {"peer": NANTO, "message": "防災DXの取組を伺いたいです。"})
    await asked.accepted(ANSWER, {"id": introduction["introduction"]["id"], "accept": True})

    by_kind = {n["kind"]: n["portalPath"] for n in (await asking.data(NOTIFICATIONS))["notifications"]["nodes"]}
    assert by_kind["BULLETIN_PUBLISHED"] == f"/portal/bulletins/{bulletin}"
    assert by_kind["INTRODUCTION_ANSWERED"] == "/portal/introductions?box=sent", "the requests it sent"
    by_kind = {n["kind"]: n["portalPath"] for n in (await asked.data(NOTIFICATIONS))["notifications"]["nodes"]}
    assert by_kind["INTRODUCTION_REQUESTED"] == "/portal/introductions", "the requests it received"
