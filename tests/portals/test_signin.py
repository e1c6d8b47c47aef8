"""Signing in and out of the portals: the session cookie, login links, CSRF and who may enter."""

import datetime as dt

from models import LoginLink
from resolvers.accounts import token_row
from resolvers.portal_session import create_login_link
from tests.portals.conftest import new_token


def session_cookie(response) -> str:
    return next(h for h in response.headers.get_list("set-cookie") if h.startswith("tsunagu_session="))


async def test_a_pasted_token_opens_a_session_in_an_httponly_samesite_cookie(browser):
    response = await browser.sign_in(await new_token("MUNICIPALITY", municipality_code="272256"))

    assert response.status_code == 303 and response.headers["location"] == "/portal"
    cookie = session_cookie(response).lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert "secure" not in cookie
    home = await browser.get("/portal")
    assert home.status_code == 200 and "高石市" in home.text


async def test_the_cookie_is_secure_behind_an_https_proxy(browser):
    token = await new_token("ADMIN")
    await browser.get("/login")

    response = await browser.http.post(
        "/login",
        data={"token": token, "csrf_token": browser.csrf_token},
        headers={"origin": "http://testserver", "x-forwarded-proto": "https"},
    )

    assert "; secure" in session_cookie(response).lower()


async def test_a_bad_token_is_refused_beside_the_field(browser):
    await browser.get("/login")

    response = await browser.post("/login", {"token": "tsu_not-a-real-token"})

    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.text and "このトークンではサインインできません" in response.text
    assert "tsunagu_session=" not in response.headers.get("set-cookie", "")


async def test_sign_in_forms_refuse_a_post_without_the_token_or_from_another_site(browser):
    token = await new_token("ADMIN")
    await browser.get("/login")

    without_token = await browser.post("/login", {"token": token}, csrf=False)
    cross_site = await browser.post("/login", {"token": token}, origin="https://evil.example")
    no_origin = await browser.post("/login", {"token": token}, origin=None)

    assert [r.status_code for r in (without_token, cross_site, no_origin)] == [403, 403, 403]


async def test_a_login_link_signs_in_once(browser, signed_in):
    token = await new_token("PARTNER", partner_slug="sompo-holdings")
    code, _ = await create_login_link(await token_row(token))
    path = f"/login/link/{code}"

    confirm = await browser.get(path)
    first = await browser.post(path)
    second_browser = await signed_in("ADMIN")
    await second_browser.get(path)
    second = await second_browser.post(path)

    assert confirm.status_code == 200
    assert first.status_code == 303 and first.headers["location"] == "/partner"
    assert (await browser.get("/partner")).status_code == 200
    assert second.status_code == 422 and "使用済み" in second.text


async def test_an_expired_login_link_is_refused(browser):
    code, _ = await create_login_link(await token_row(await new_token("ADMIN")))
    await LoginLink.all().update(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))

    await browser.get(f"/login/link/{code}")
    response = await browser.post(f"/login/link/{code}")

    assert response.status_code == 422


async def test_signing_out_ends_the_session(signed_in):
    admin = await signed_in("ADMIN")
    cookie = admin.http.cookies.get("tsunagu_session")

    refused = await admin.post("/logout", csrf=False)
    response = await admin.post("/logout")
    admin.http.cookies.set("tsunagu_session", cookie)
    after = await admin.get("/admin")

    assert refused.status_code == 403
    assert response.headers["location"] == "/login?done=signed_out"
    assert after.status_code == 303 and after.headers["location"].startswith("/login")


async def test_a_revoked_token_ends_the_session(signed_in, sign_in):
    staff = await signed_in("MUNICIPALITY", municipality_code="272256")
    admin = await sign_in("ADMIN")
    tokens = await admin.data("{ apiTokens(first: 100) { nodes { id user { name } } } }")
    staff_token = next(t["id"] for t in tokens["apiTokens"]["nodes"] if t["user"]["name"] == "Municipality portal user")
    await admin.accepted(
        "mutation($t: ID!) { revokeToken(input: {tokenId: $t}) { userErrors { field code message } } }", {"t": staff_token}
    )

    response = await staff.get("/portal")

    assert response.status_code == 303 and response.headers["location"] == "/login?done=session_ended"
    page = await staff.get("/login?done=session_ended")
    assert "セッションが終了しました" in page.text


async def test_each_portal_admits_only_its_role(signed_in, browser):
    admin = await signed_in("ADMIN")

    wrong = await admin.get("/partner")
    anonymous = await browser.get("/admin/members")

    assert wrong.status_code == 403
    assert "パートナーダッシュボード" in wrong.text and "事務局" in wrong.text and 'href="/admin"' in wrong.text
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/login?next=%2Fadmin%2Fmembers"


async def test_a_portal_form_without_its_csrf_token_changes_nothing(signed_in):
    staff = await signed_in("MUNICIPALITY", municipality_code="272256")
    page = await staff.get("/portal/working-groups")
    group = page.text.split('name="workingGroupId" value="', 1)[1].split('"', 1)[0]

    forged = await staff.post("/portal/working-groups/join", {"workingGroupId": group}, csrf=False)
    cross_site = await staff.post("/portal/working-groups/join", {"workingGroupId": group}, origin="https://evil.example")

    assert forged.status_code == 403 and cross_site.status_code == 403
    after = await staff.get("/portal/working-groups")
    assert after.text.count("参加中") == page.text.count("参加中")


async def test_the_language_switch_is_remembered(signed_in):
    partner = await signed_in("PARTNER", partner_slug="sompo-holdings")

    english = await partner.get("/partner?lang=en")
    later = await partner.get("/partner/requests")

    assert '<html lang="en">' in english.text and "Partner dashboard" in english.text
    assert '<html lang="en">' in later.text
    assert '<html lang="ja">' in (await partner.get("/partner?lang=ja")).text


async def test_pages_are_never_framed_and_leak_no_referrer(browser):
    page = await browser.get("/login")

    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["referrer-policy"] == "same-origin"
