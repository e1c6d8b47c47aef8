"""The portals' language switch is the user's saved preference, and the API's refusals reach the
page in the page's language."""

from models import User
from tests.portals.conftest import new_token


async def test_the_language_switch_saves_the_preference_the_api_then_answers_in(browser, client):
    token = await new_token("MUNICIPALITY", municipality_code="272256")
    await browser.sign_in(token)

    await browser.get("/portal?lang=en")
    refused = await client.post(
        "/graphql",
        json={"query": 'mutation { applyForMembership(input: {allianceSlug: "expo2025", tier: FULL}) { userErrors { message } } }'},
        headers={"Authorization": f"Bearer {token}"},
    )

    assert await User.filter(language="en").count() == 1
    assert refused.headers["content-language"] == "en"
    assert refused.json()["data"]["applyForMembership"]["userErrors"] == [
        {"message": "Takaishi City is already Active in this alliance."}
    ]


async def test_switching_to_the_saved_language_writes_nothing(browser):
    await browser.sign_in(await new_token("MUNICIPALITY", municipality_code="272256"))

    await browser.get("/portal?lang=ja")
    await browser.get("/portal?lang=ja")

    assert await User.filter(language="ja").count() == 1
