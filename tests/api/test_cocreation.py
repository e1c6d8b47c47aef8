"""Co-creation steps the portals need: declining a proposal with a message, a partner changing its
submitted proposal, and the secretariat's review reaching the municipality as a notification."""

import datetime as dt

import pytest

from models import AuditEntry, AuditOutcome, Challenge
from resolvers.calendar import today as japan_today
from tests.api.test_challenges import REQUEST_REVIEW, REVIEW, TAKAISHI, WITHDRAW_PROPOSAL
from tests.api.test_government_pitch import CREATE, PUBLISH, SELECT, SUBMIT, challenge_input

DECLINE = """
mutation($id: ID!, $message: String!) {
  declineProposal(input: {proposalId: $id, message: $message}) {
    proposal { status declineMessage decidedAt } userErrors { field code message }
  }
}"""
UPDATE_PROPOSAL = """
mutation($input: UpdateProposalInput!) {
  updateProposal(input: $input) { proposal { title summary offering { title } } userErrors { field code message } }
}"""
NOTIFICATIONS = "{ notifications(first: 20) { nodes { kind message subject { id } } } }"
OWN_OFFERING = '{ viewer { partner { offerings { id title } } } }'
SEEN = "query($id: ID!) { node(id: $id) { ... on Proposal { status declineMessage title } } }"

PARTNER, OTHER_PARTNER = "sompo-holdings", "mori-building"

# Steps aside: `node` and a notification's `subject` return the Node interface (graphql-core
# resolves the runtime types).
pytestmark = pytest.mark.plan_fallback("abstract_type")


@pytest.fixture
async def city(sign_in):
    return await sign_in("MUNICIPALITY", municipality=TAKAISHI)


@pytest.fixture
async def partner(sign_in):
    return await sign_in("PARTNER", partner=PARTNER)


@pytest.fixture
async def published(city) -> str:
    id = (await city.accepted(CREATE, {"input": challenge_input()}))["challenge"]["id"]
    await city.accepted(PUBLISH, {"id": id})
    return id


@pytest.fixture
async def proposal(partner, published) -> str:
    return (await partner.accepted(SUBMIT, {"id": published, "title": "見守りの提案"}))["proposal"]["id"]


async def test_decline_proposal_by_the_municipality_tells_the_partner_why(city, partner, proposal):
    declined = (await city.accepted(DECLINE, {"id": proposal, "message": "今回は沿岸部に限った提案を求めています。"}))["proposal"]
    assert (declined["status"], declined["declineMessage"]) == ("NOT_SELECTED", "今回は沿岸部に限った提案を求めています。")
    assert declined["decidedAt"] is not None
    (told, *_) = (await partner.data(NOTIFICATIONS))["notifications"]["nodes"]
    assert told["kind"] == "PROPOSAL_DECLINED" and told["subject"]["id"] == proposal
    assert told["message"] == "高石市が「津波避難の高齢者支援」への提案「見守りの提案」を不採択としました。自治体からのメッセージ：今回は沿岸部に限った提案を求めています。"
    english = (await partner.reading("en").data(NOTIFICATIONS))["notifications"]["nodes"][0]["message"]
    assert english.startswith("Your proposal 「見守りの提案」 for 「津波避難の高齢者支援」 was declined by Takaishi City, who wrote: ")
    assert (await partner.data(SEEN, {"id": proposal}))["node"]["declineMessage"] == "今回は沿岸部に限った提案を求めています。"
    entry = await AuditEntry.get(action="declineProposal", outcome=AuditOutcome.ACCEPTED)
    assert entry.changes["status"] == ["SUBMITTED", "NOT_SELECTED"]


async def test_decline_proposal_refusals(city, partner, sign_in, proposal):
    refused = await city.mutate(DECLINE, {"id": proposal, "message": "  "})
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("INVALID", ["input", "message"])]
    assert refused["userErrors"][0]["message"] == "パートナーへのメッセージを入力してください。"
    assert await city.refused(DECLINE, {"id": proposal, "message": "長" * 2001}) == ["INVALID"]
    assert await partner.refused(DECLINE, {"id": proposal, "message": "自分で"}) == ["FORBIDDEN"]
    other_city = await sign_in("MUNICIPALITY", municipality="162108")
    assert await other_city.refused(DECLINE, {"id": proposal, "message": "他市から"}) == ["NOT_FOUND"]
    await city.accepted(SELECT, {"id": proposal})
    assert await city.refused(DECLINE, {"id": proposal, "message": "採択後に"}) == ["INVALID_TRANSITION"]
    refusals = await AuditEntry.filter(action="declineProposal", outcome=AuditOutcome.REFUSED).count()
    assert refusals == 5


async def test_update_proposal_while_submitted_tells_the_municipality(city, partner, proposal):
    offering = (await partner.data(OWN_OFFERING))["viewer"]["partner"]["offerings"][0]
    changed = (await partner.accepted(UPDATE_PROPOSAL, {"input": {
        "proposalId": proposal, "title": " 高齢者見守りの提案 ", "summary": "センサーで見守る。", "offeringId": offering["id"]}}))
    assert changed["proposal"] == {"title": "高齢者見守りの提案", "summary": "センサーで見守る。", "offering": {"title": offering["title"]}}
    kinds = [n["kind"] for n in (await city.data(NOTIFICATIONS))["notifications"]["nodes"]]
    assert kinds[0] == "PROPOSAL_UPDATED"
    entry = await AuditEntry.get(action="updateProposal", outcome=AuditOutcome.ACCEPTED)
    assert entry.changes["title"] == ["見守りの提案", "高齢者見守りの提案"]


async def test_update_proposal_refusals(city, partner, sign_in, published, proposal):
    blank = await partner.mutate(UPDATE_PROPOSAL, {"input": {"proposalId": proposal, "summary": " "}})
    assert [(e["code"], e["field"]) for e in blank["userErrors"]] == [("INVALID", ["input", "summary"])]
    other = await sign_in("PARTNER", partner=OTHER_PARTNER)
    assert await other.refused(UPDATE_PROPOSAL, {"input": {"proposalId": proposal, "title": "横取り"}}) == ["NOT_FOUND"]
    assert await city.refused(UPDATE_PROPOSAL, {"input": {"proposalId": proposal, "title": "自治体から"}}) == ["FORBIDDEN"]
    others_offering = (await other.data(OWN_OFFERING))["viewer"]["partner"]["offerings"][0]["id"]
    assert await partner.refused(UPDATE_PROPOSAL, {"input": {"proposalId": proposal, "offeringId": others_offering}}) == ["NOT_FOUND"]

    challenge = await Challenge.get(title=challenge_input()["title"])
    challenge.deadline = japan_today() - dt.timedelta(days=1)
    await challenge.save()
    assert await partner.refused(UPDATE_PROPOSAL, {"input": {"proposalId": proposal, "title": "締切後"}}) == ["OUTSIDE_PERIOD"]
    challenge.deadline = japan_today()
    await challenge.save()
    await city.accepted(SELECT, {"id": proposal})
    assert await partner.refused(UPDATE_PROPOSAL, {"input": {"proposalId": proposal, "title": "採択後"}}) == ["INVALID_TRANSITION"]
    assert await AuditEntry.filter(action="updateProposal", outcome=AuditOutcome.REFUSED).count() == 6


async def test_a_declined_proposal_can_no_longer_be_withdrawn(city, partner, proposal):
    await city.accepted(DECLINE, {"id": proposal, "message": "今回は見送ります。"})
    assert await partner.refused(WITHDRAW_PROPOSAL, {"id": proposal}) == ["INVALID_TRANSITION"]


@pytest.mark.parametrize(
    ("outcome", "comment", "expected"),
    [
        ("RETURNED", "予算欄を具体的に", "事務局から「津波避難の高齢者支援」が差し戻されました。コメント：予算欄を具体的に"),
        ("APPROVED", None, "事務局が「津波避難の高齢者支援」の確認を終えました。公開できます。"),
    ],
)
async def test_review_challenge_notifies_the_municipality_with_the_comments(city, sign_in, outcome, comment, expected):
    admin = await sign_in("ADMIN")
    id = (await city.accepted(CREATE, {"input": challenge_input()}))["challenge"]["id"]
    await city.accepted(REQUEST_REVIEW, {"id": id})
    await admin.accepted(REVIEW, {"input": {"challengeId": id, "outcome": outcome, "comment": comment}})
    (told, *_) = (await city.data(NOTIFICATIONS))["notifications"]["nodes"]
    assert (told["kind"], told["message"].strip(), told["subject"]["id"]) == ("CHALLENGE_REVIEWED", expected, id)


async def test_publish_challenge_without_a_deadline_says_to_give_one(city):
    fields = {k: v for k, v in challenge_input().items() if k != "deadline"}
    id = (await city.accepted(CREATE, {"input": fields}))["challenge"]["id"]
    refused = await city.mutate(PUBLISH, {"id": id})
    assert [(e["code"], e["field"], e["message"]) for e in refused["userErrors"]] == [
        ("INVALID", ["input", "deadline"], "公開するには、締切日を入力してください（下書きを編集して入力できます）。")]
