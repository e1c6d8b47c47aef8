"""GraphiQL in a real browser as on a closed network: everything it needs comes from the app."""

import re

from playwright.async_api import expect

from tests.browser.conftest import screenshot


async def test_graphiql_renders_and_runs_a_query_with_no_other_host_at_hand(live_server, new_page):
    page = await new_page()
    elsewhere: list[str] = []

    async def only_this_host(route):
        if route.request.url.startswith(live_server.url):
            await route.continue_()
        else:
            elsewhere.append(route.request.url)
            await route.abort()

    await page.route("**/*", only_this_host)
    await page.goto("/graphql")
    await page.get_by_role("button", name=re.compile("Execute query")).click()

    await expect(page.locator(".result-window")).to_contain_text('"memberCount"')
    await expect(page.get_by_text("Loading…")).to_have_count(0)
    await screenshot(page, "graphiql")
    assert elsewhere == []
