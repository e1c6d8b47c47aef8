"""Numbers and codes typed into the portals' forms and query strings are read as the API reads
them (`resolvers.text.ascii_digits`): full-width digits are taken, other look-alikes are refused
beside their field, and nothing is an error page."""

import re

import pytest

UNUSUAL_DIGITS = {"superscript": "1²", "Arabic-Indic": "١٢", "circled": "①"}
EVENT = {"title": "オンライン勉強会", "description": "d", "kind": "SEMINAR", "format": "ONLINE",
         "audience": "ALL_MEMBERS", "startsAt": "2030-01-01T10:00", "endsAt": "2030-01-01T12:00"}


# Steps aside: an event's `organiser` is the EventOrganiser union (graphql-core resolves the
# runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_capacity_typed_in_full_width_digits_is_taken(signed_in, sign_in):
    admin = await signed_in("ADMIN")
    await admin.get("/admin/events")

    response = await admin.post("/admin/events", {**EVENT, "capacity": "３０"})

    assert response.status_code == 303
    api = await sign_in("ADMIN")
    events = await api.data('{ events(first: 100) { nodes { title capacity } } }')
    assert {"title": "オンライン勉強会", "capacity": 30} in events["events"]["nodes"]


@pytest.mark.parametrize("capacity", UNUSUAL_DIGITS.values(), ids=UNUSUAL_DIGITS.keys())
# Steps aside: an event's `organiser` is the EventOrganiser union (graphql-core resolves the
# runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_capacity_in_unusual_digits_is_refused_beside_its_field(signed_in, capacity):
    admin = await signed_in("ADMIN")
    await admin.get("/admin/events")

    response = await admin.post("/admin/events", {**EVENT, "capacity": capacity})

    assert response.status_code == 422
    assert 'id="f-capacity-error"' in response.text and "整数で入力してください。" in response.text


@pytest.mark.parametrize("theme", UNUSUAL_DIGITS.values(), ids=UNUSUAL_DIGITS.keys())
async def test_theme_choices_in_unusual_digits_are_refused_beside_their_field(signed_in, theme):
    admin = await signed_in("ADMIN")
    await admin.get("/admin/partners/jtb-communication-design")

    response = await admin.post(
        "/admin/partners/jtb-communication-design/offerings",
        {"title": "t", "kind": "SEMINAR", "summary": "s", "audience": "ALL_MEMBERS", "themeNumbers": theme},
    )

    assert response.status_code == 422 and 'id="f-themeNumbers-error"' in response.text


@pytest.mark.parametrize(("path", "role", "kwargs"), [
    ("/portal/offerings", "MUNICIPALITY", {"municipality_code": "272256"}),
    ("/portal/peers", "MUNICIPALITY", {"municipality_code": "272256"}),
    ("/partner/challenges", "PARTNER", {"partner_slug": "jtb-communication-design"}),
])
async def test_a_theme_in_the_query_string_is_read_like_a_form_field(signed_in, path, role, kwargs):
    browser = await signed_in(role, **kwargs)

    full_width = await browser.get(path, params={"themeNumber": "８"})
    superscript = await browser.get(path, params={"themeNumber": "²"})

    assert full_width.status_code == 200 and superscript.status_code == 200
    assert re.search(r'<option value="8" selected', full_width.text)


async def test_a_municipality_code_in_full_width_digits_issues_the_account(signed_in):
    admin = await signed_in("ADMIN")
    await admin.get("/admin/accounts")

    page = await admin.post(
        "/admin/accounts", {"name": "南砺市 企画課", "role": "MUNICIPALITY", "municipalityCode": "１６２１０８"}
    )

    assert page.status_code == 200 and re.search(r'id="issued-token" value="tsu_[^"]+"', page.text)


@pytest.mark.parametrize("code", ["12345²", "١٦٢١٠٨"], ids=["superscript", "Arabic-Indic"])
async def test_a_municipality_code_in_unusual_digits_is_refused_beside_its_field(signed_in, code):
    admin = await signed_in("ADMIN")
    await admin.get("/admin/accounts")

    page = await admin.post("/admin/accounts", {"name": "n", "role": "MUNICIPALITY", "municipalityCode": code})

    assert page.status_code == 422 and 'id="f-municipalityCode-error"' in page.text
