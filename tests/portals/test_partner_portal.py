"""The partner dashboard through HTTP: a proposal refused for a missing title, then accepted."""

import pytest


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_proposal_needs_a_title(signed_in, sign_in):
    town = await sign_in("MUNICIPALITY", municipality="272256")
    draft = await town.accepted(
        """mutation { createChallenge(input: {title: "観光DX", background: "b", desiredOutcome: "o",
             themeNumbers: [3], deadline: "2099-01-31"}) { challenge { id } userErrors { field code message } } }"""
    )
    challenge_id = draft["challenge"]["id"]
    await town.accepted(
        "mutation($c: ID!) { publishChallenge(input: {challengeId: $c}) { userErrors { field code message } } }",
        {"c": challenge_id},
    )
    partner = await signed_in("PARTNER", partner_slug="sompo-holdings")
    await partner.get(f"/partner/challenges/{challenge_id}")

    refused = await partner.post(f"/partner/challenges/{challenge_id}/proposals", {"title": " ", "summary": "s"})
    accepted = await partner.post(f"/partner/challenges/{challenge_id}/proposals", {"title": "提案", "summary": "s"})

    assert refused.status_code == 422 and 'id="f-title-error"' in refused.text
    assert accepted.status_code == 303
    proposals = await partner.get("/partner/proposals")
    assert "観光DX" in proposals.text and "提出済み" in proposals.text


async def test_the_notifications_page_shows_each_notification_in_the_pages_language(signed_in, sign_in):
    town = await sign_in("MUNICIPALITY", municipality="272256")
    offerings = (await town.data('{ partner(slug: "kanko-yoho-platform") { offerings { id slug } } }'))["partner"]
    demo = next(o["id"] for o in offerings["offerings"] if o["slug"] == "kanko-yoho-demo-accounts")
    await town.accepted(
        "mutation($id: ID!) { requestOffering(input: {offeringId: $id}) { userErrors { code } } }", {"id": demo}
    )
    partner = await signed_in("PARTNER", partner_slug="kanko-yoho-platform")

    english = await partner.get("/partner/notifications?lang=en")
    japanese = await partner.get("/partner/notifications?lang=ja")

    assert "Your offering 「観光予報プラットフォームのデモアカウント無償提供」 was requested by Takaishi City." in english.text
    assert "高石市から「観光予報プラットフォームのデモアカウント無償提供」の依頼がありました。" in japanese.text
