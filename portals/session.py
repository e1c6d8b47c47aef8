"""The session cookie and protection against cross-site request forgery.

The cookie `tsunagu_session` holds a random session id (the database keeps its digest): HttpOnly,
SameSite=Lax, Path=/, and Secure when the request came over HTTPS, directly or through a proxy
that says so with `X-Forwarded-Proto`. Every POST must come from this site (its `Origin`, or
failing that its `Referer`, names this host) and carry a synchronizer token: the session's CSRF
secret for signed-in forms, or, for the sign-in forms themselves, the value of a short-lived
`tsunagu_login_csrf` cookie (double submit), so that nobody can sign a browser in as someone else.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from resolvers.portal_session import SESSION_LIFETIME

SESSION_COOKIE = "tsunagu_session"
LOGIN_CSRF_COOKIE = "tsunagu_login_csrf"
CSRF_FIELD = "csrf_token"
LOGIN_CSRF_LIFETIME_SECONDS = 3600


def is_https(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path="/", httponly=True, samesite="lax", secure=is_https(request)
    )


def set_session_cookie(request: Request, response: Response, session_id: str) -> None:
    set_cookie(request, response, SESSION_COOKIE, session_id, int(SESSION_LIFETIME.total_seconds()))


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=is_https(request))


def login_csrf_token(request: Request) -> str:
    """The sign-in forms' token: the cookie's value if the browser has one, else a new one."""
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)


def remember_login_csrf(request: Request, response: Response, token: str) -> None:
    set_cookie(request, response, LOGIN_CSRF_COOKIE, token, LOGIN_CSRF_LIFETIME_SECONDS)


def is_same_origin(request: Request) -> bool:
    """The browser says the form was posted from this host."""
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source or source == "null":
        return False
    return urlsplit(source).netloc == request.headers.get("host")


def carries_token(form: FormData, expected: str | None) -> bool:
    sent = form.get(CSRF_FIELD)
    return bool(expected) and isinstance(sent, str) and secrets.compare_digest(sent, expected)
