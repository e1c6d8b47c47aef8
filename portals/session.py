"""The session cookie and protection against cross-site request forgery.

The cookie `tsunagu_session` holds a random session id (the database keeps its digest): HttpOnly,
SameSite=Lax, Path=/, and Secure when the request came over HTTPS, directly or through a trusted
proxy that says so with `X-Forwarded-Proto` (`Settings.forwarded_allow_ips`, applied to the whole
app by `server.create_app`; the header from anyone else is ignored). Every POST must come from
this site (its `Origin`, or failing that its `Referer`, is `Settings.public_origin`, or names the
request's own host when that is not set) and carry a synchronizer token: the session's CSRF
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
    """The request came over HTTPS (a trusted proxy's word already in the scheme)."""
    return request.url.scheme == "https"


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


def is_same_origin(request: Request, public_origin: str | None) -> bool:
    """The browser says the form was posted from this site: from `public_origin` when the operator
    set one (a `Host` header proves nothing behind a proxy that passes any), else from the host
    the request names."""
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source or source == "null":
        return False
    parts = urlsplit(source.lower())
    if public_origin is not None:
        return f"{parts.scheme}://{parts.netloc}" == public_origin
    return parts.netloc == request.headers.get("host", "").lower()


def carries_token(form: FormData, expected: str | None) -> bool:
    if not expected:
        return False
    sent = form.get(CSRF_FIELD)
    return isinstance(sent, str) and secrets.compare_digest(sent, expected)
