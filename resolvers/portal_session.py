"""Portal sessions and one-time login links, both bound to an API token.

A session lasts at most `SESSION_LIFETIME` (and never beyond its token's expiry); a login link
works once, within `LOGIN_LINK_LIFETIME`. The session id and the link's code are random secrets
handed to the browser; only their digests are stored.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from i18n import message
from models import ApiToken, LoginLink, PortalSession
from resolvers.access import Actor
from resolvers.accounts import actor_of, digest, looks_like_token, token_row
from resolvers.audit import Change, Changes, target_of
from resolvers.calendar import now
from resolvers.errors import Refused, Unauthenticated
from resolvers.mail.mailings import mail_login_link

SESSION_LIFETIME = dt.timedelta(hours=12)
LOGIN_LINK_LIFETIME = dt.timedelta(minutes=15)
SECRET_BYTES = 32
LOGIN_LINK_PATH = "/login/link/"


@dataclass(frozen=True)
class OpenSession:
    """A session as one request sees it: who acts, and the secret its forms must carry."""

    actor: Actor
    user_name: str
    csrf_secret: str
    expires_at: dt.datetime


class SessionEnded(Unauthenticated):
    """The session's token was revoked or expired, or the session itself expired."""


async def sign_in_with_token(token: str) -> tuple[str, OpenSession]:
    """Open a session for a pasted bearer token; returns the new session id and the session."""
    token = token.strip()
    if not looks_like_token(token):
        raise Unauthenticated(message("errors.accounts.not_a_token"))
    return await _open(await token_row(token))


async def sign_in_with_link(code: str) -> tuple[str, OpenSession]:
    """Use a login link, once: of two concurrent uses, only the first marks it used."""
    link = await LoginLink.get_or_none(digest=digest(code))
    if link is None or link.used_at is not None or link.expires_at <= now():
        raise Unauthenticated(message("errors.accounts.login_link_unusable"))
    if not await LoginLink.filter(id=link.id, used_at=None).update(used_at=now()):
        raise Unauthenticated(message("errors.accounts.login_link_unusable"))
    return await _open(await ApiToken.get(id=link.token_id).select_related("user"))


async def create_login_link(token: ApiToken) -> tuple[str, dt.datetime]:
    """A new single-use link code for the token's user, and when it expires."""
    code = secrets.token_urlsafe(SECRET_BYTES)
    link = await LoginLink.create(digest=digest(code), token=token, expires_at=now() + LOGIN_LINK_LIFETIME)
    return code, link.expires_at


@dataclass(frozen=True)
class IssuedLink:
    path: str
    expires_at: dt.datetime
    emailed_to: str | None
    """The address the link was sent to; None when the user has none (hand the link over)."""


async def issue_login_link(token_id: int, origin: str) -> Change[IssuedLink]:
    """The secretariat's way to hand a portal sign-in to a token's user: the link's path, shown
    once, and when it expires; emailed to the user (links on `origin`) when they have an address.
    The audit entry records the token and the expiry, never the code."""
    field = ("input", "tokenId")
    row = await ApiToken.get_or_none(id=token_id).select_related("user")
    if row is None:
        raise Refused("NOT_FOUND", message("errors.accounts.no_such_token"), field=field)
    try:
        actor_of(row)
    except Unauthenticated as error:
        raise Refused("INVALID_TRANSITION", message("errors.accounts.issue_new_token_first", reason=error.text), field=field) from error
    code, expires_at = await create_login_link(row)
    path = LOGIN_LINK_PATH + code
    minutes = int(LOGIN_LINK_LIFETIME.total_seconds() // 60)
    emailed = await mail_login_link(row.user, origin + path, minutes)
    changes: Changes = {"login_link_expires_at": [None, expires_at.isoformat()], "login_link_emailed": [None, emailed]}
    return Change(IssuedLink(path, expires_at, row.user.email if emailed else None), target_of(row), changes)


async def current_session(session_id: str) -> OpenSession | None:
    """The session named by a cookie; None if there is none. An ended session is deleted."""
    row = await PortalSession.get_or_none(digest=digest(session_id)).select_related("token__user")
    if row is None:
        return None
    try:
        if row.expires_at <= now():
            raise SessionEnded(message("errors.accounts.session_expired"))
        actor = actor_of(row.token)
    except Unauthenticated as error:
        await row.delete()
        raise SessionEnded(error.text) from error
    return OpenSession(actor, row.token.user.name, row.csrf_secret, row.expires_at)


async def end_session(session_id: str) -> None:
    await PortalSession.filter(digest=digest(session_id)).delete()


async def _open(token: ApiToken) -> tuple[str, OpenSession]:
    actor = actor_of(token)
    moment = now()
    await PortalSession.filter(expires_at__lte=moment).delete()
    expires_at = moment + SESSION_LIFETIME
    if token.expires_at is not None:
        expires_at = min(expires_at, token.expires_at)
    session_id = secrets.token_urlsafe(SECRET_BYTES)
    row = await PortalSession.create(
        digest=digest(session_id),
        user_id=token.user_id,
        token=token,
        csrf_secret=secrets.token_urlsafe(SECRET_BYTES),
        expires_at=expires_at,
    )
    return session_id, OpenSession(actor, token.user.name, row.csrf_secret, row.expires_at)
