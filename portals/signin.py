"""Signing in (a pasted token or a one-time login link) and signing out."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from portals.session import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    carries_token,
    clear_session_cookie,
    is_same_origin,
    login_csrf_token,
    remember_login_csrf,
    set_session_cookie,
)
from portals.web import Portal, Web
from resolvers.errors import Unauthenticated
from resolvers.portal_session import (
    LOGIN_LINK_PATH,
    OpenSession,
    SessionEnded,
    current_session,
    end_session,
    sign_in_with_link,
    sign_in_with_token,
)


def safe_next(target: str | None, portal: Portal) -> str:
    """Where to go after signing in: a page of the user's own portal, never another site."""
    if target and (target == portal.prefix or target.startswith(portal.prefix + "/")) and "//" not in target:
        return target
    return portal.prefix


async def signed_in(request: Request) -> OpenSession | None:
    session_id = request.cookies.get(SESSION_COOKIE)
    try:
        return await current_session(session_id) if session_id else None
    except SessionEnded:
        return None


def routes(web: Web) -> list[Route]:
    site = web.settings.public_origin
    async def sign_in_page(request: Request, *, status: int = 200, error: str | None = None) -> Response:
        session = await signed_in(request)
        if session is not None and request.method == "GET":
            return RedirectResponse(Portal.of_role(session.actor.role).prefix, status_code=303)
        token = login_csrf_token(request)
        next_page = request.query_params.get("next", "")
        context = {"csrf_token": token, "next": next_page, "error": error}
        response = web.render(request, "shared/login.html", context, status=status)
        remember_login_csrf(request, response, token)
        return response

    async def link_page(request: Request, *, status: int = 200, error: str | None = None) -> Response:
        token = login_csrf_token(request)
        context = {"csrf_token": token, "code": request.path_params["code"], "error": error}
        response = web.render(request, "shared/login_link.html", context, status=status)
        remember_login_csrf(request, response, token)
        return response

    async def start(request: Request, session_id: str, session: OpenSession, next_page: str | None) -> Response:
        previous = request.cookies.get(SESSION_COOKIE)
        if previous:
            await end_session(previous)
        target = safe_next(next_page, Portal.of_role(session.actor.role))
        response = RedirectResponse(target, status_code=303)
        set_session_cookie(request, response, session_id)
        return response

    async def login(request: Request) -> Response:
        if request.method == "GET":
            return await sign_in_page(request)
        form = await request.form()
        if not (is_same_origin(request, site) and carries_token(form, request.cookies.get(LOGIN_CSRF_COOKIE))):
            return web.render(request, "shared/forbidden.html", {}, status=403)
        try:
            session_id, session = await sign_in_with_token(str(form.get("token", "")))
        except Unauthenticated:
            return await sign_in_page(request, status=422, error="token")
        return await start(request, session_id, session, str(form.get("next", "")))

    async def login_link(request: Request) -> Response:
        if request.method == "GET":
            return await link_page(request)
        form = await request.form()
        if not (is_same_origin(request, site) and carries_token(form, request.cookies.get(LOGIN_CSRF_COOKIE))):
            return web.render(request, "shared/forbidden.html", {}, status=403)
        try:
            session_id, session = await sign_in_with_link(request.path_params["code"])
        except Unauthenticated:
            return await link_page(request, status=422, error="link")
        return await start(request, session_id, session, None)

    async def logout(request: Request) -> Response:
        session_id = request.cookies.get(SESSION_COOKIE)
        session = await signed_in(request)
        form = await request.form()
        if session is not None and not (is_same_origin(request, site) and carries_token(form, session.csrf_secret)):
            return web.render(request, "shared/forbidden.html", {}, status=403)
        if session_id:
            await end_session(session_id)
        response = RedirectResponse("/login?done=signed_out", status_code=303)
        clear_session_cookie(request, response)
        return response

    return [
        Route("/login", login, methods=["GET", "POST"]),
        Route(LOGIN_LINK_PATH + "{code}", login_link, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["POST"]),
    ]
