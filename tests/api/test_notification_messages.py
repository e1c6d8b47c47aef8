"""A notification is stored as its kind and parameters and reads in the language of whoever reads
it, whatever the language of whoever caused it."""

import pytest

from tests.api.test_notifications import (
    KANKO,
    NOTIFICATIONS,
    REQUEST,
    RESPOND,
    TAKAISHI,
    demo_accounts_id,
)

DEMO = "観光予報プラットフォームのデモアカウント無償提供"


def messages(answer: dict) -> list[str]:
    return [n["message"] for n in answer["notifications"]["nodes"]]


# Steps aside: a notification's `subject` is the Node interface (graphql-core resolves the runtime type).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_notification_caused_in_japanese_reads_in_english_to_an_english_reader(sign_in):
    member = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    partner = await sign_in("PARTNER", partner=KANKO)
    await member.reading("ja").accepted(REQUEST, {"id": await demo_accounts_id(member)})

    in_english = messages(await partner.reading("en").data(NOTIFICATIONS))
    in_japanese = messages(await partner.reading("ja").data(NOTIFICATIONS))

    assert in_english == [f"A member municipality requested 「{DEMO}」."]
    assert in_japanese == [f"会員自治体から「{DEMO}」の依頼がありました。"]


# Steps aside: a notification's `subject` is the Node interface (graphql-core resolves the runtime type).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_notification_caused_in_english_reads_in_japanese_to_a_japanese_reader(sign_in):
    member = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    partner = await sign_in("PARTNER", partner=KANKO)
    request = await member.accepted(REQUEST, {"id": await demo_accounts_id(member)})
    await partner.reading("en").accepted(RESPOND, {"id": request["offeringRequest"]["id"]})

    in_japanese = messages(await member.reading("ja").data(NOTIFICATIONS))
    in_english = messages(await member.reading("en").data(NOTIFICATIONS))

    assert in_japanese == ["パートナーが依頼に回答しました：承諾。"], "the status reads as its label"
    assert in_english == ["The partner answered your offering request: Accepted."]
