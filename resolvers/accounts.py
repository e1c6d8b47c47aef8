"""Users and their API tokens: issuing, revoking, and recognising a bearer token."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from tortoise.queryset import QuerySet

from i18n import message
from models import ApiToken, Municipality, Partner, Role, TokenScope, User
from resolvers.access import ANONYMOUS, Actor
from resolvers.audit import Change, assign, created, target_of
from resolvers.calendar import now
from resolvers.errors import Refused, Unauthenticated
from resolvers.lookup import municipality_by_code
from resolvers.mail.address import optional_address

TOKEN_PREFIX = "tsu_"
TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 128


def digest(token: str) -> str:
    """Tokens carry 256 random bits, so a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(token.encode()).hexdigest()


async def find_staff_target(
    role: Role, municipality_code: str | None, partner_slug: str | None
) -> tuple[Municipality | None, Partner | None]:
    """The municipality or partner a user of `role` belongs to, checked against the role."""
    field = ("input",)
    if role is Role.MUNICIPALITY:
        if partner_slug is not None or municipality_code is None:
            raise Refused("INVALID", message("errors.accounts.municipality_staff_target"), field=field)
        return await municipality_by_code(municipality_code, (*field, "municipalityCode")), None
    if role is Role.PARTNER:
        if municipality_code is not None or partner_slug is None:
            raise Refused("INVALID", message("errors.accounts.partner_staff_target"), field=field)
        partner = await Partner.get_or_none(slug=partner_slug)
        if partner is None:
            raise Refused("NOT_FOUND", message("errors.accounts.no_partner_with_slug", slug=partner_slug), field=(*field, "partnerSlug"))
        return None, partner
    if municipality_code is not None or partner_slug is not None:
        raise Refused("INVALID", message("errors.accounts.admin_target"), field=field)
    return None, None


async def create_user_with_token(
    *,
    name: str,
    role: Role,
    municipality_code: str | None = None,
    partner_slug: str | None = None,
    scopes: frozenset[TokenScope] = frozenset(TokenScope),
    expires_at: dt.datetime | None = None,
    email: str | None = None,
) -> tuple[ApiToken, str]:
    """Create a user and its first token; returns the token row and the token, shown only now."""
    if not name.strip():
        raise Refused("INVALID", message("errors.accounts.user_name_missing"), field=("input", "name"))
    if not scopes:
        raise Refused("INVALID", message("errors.accounts.scope_missing"), field=("input", "scopes"))
    if expires_at is not None and expires_at <= now():
        raise Refused("INVALID", message("errors.accounts.expiry_in_past"), field=("input", "expiresAt"))
    address = optional_address(email, ("input", "email"))
    municipality, partner = await find_staff_target(role, municipality_code, partner_slug)
    user = await User.create(
        name=name.strip(), role=role, municipality=municipality, partner=partner, email=address
    )
    token = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    row = await ApiToken.create(
        user=user,
        digest=digest(token),
        hint=token[: len(TOKEN_PREFIX) + 4],
        scopes=sorted(scope.value for scope in scopes),
        expires_at=expires_at,
    )
    return row, token


async def issue_token(
    *,
    name: str,
    role: Role,
    municipality_code: str | None,
    partner_slug: str | None,
    scopes: frozenset[TokenScope],
    expires_at: dt.datetime | None,
    email: str | None = None,
) -> Change[tuple[ApiToken, str]]:
    row, token = await create_user_with_token(
        name=name,
        role=role,
        municipality_code=municipality_code,
        partner_slug=partner_slug,
        scopes=scopes,
        expires_at=expires_at,
        email=email,
    )
    return Change((row, token), target_of(row), created(row, "user_id", "scopes", "expires_at"))


async def revoke_token(token_id: int) -> Change[ApiToken]:
    row = await ApiToken.get_or_none(id=token_id)
    if row is None:
        raise Refused("NOT_FOUND", message("errors.accounts.no_such_token"), field=("input", "tokenId"))
    if row.revoked_at is not None:
        raise Refused("INVALID_TRANSITION", message("errors.accounts.token_already_revoked"), field=("input", "tokenId"))
    changes = assign(row, revoked_at=now())
    await row.save(update_fields=["revoked_at"])
    return Change(row, target_of(row), changes)


async def set_preferences(actor: Actor, preferences: dict[str, Any]) -> Change[User]:
    """Save the caller's own preferences given (`language`, `email`, `notification_email`).

    The language (None: no preference, Japanese unless the request's Accept-Language asks
    otherwise) applies from their next request on; the address (None: none) is checked.
    """
    assert actor.user_id is not None, "the mutation's rule admits signed-in users only"
    if "email" in preferences:
        preferences = {**preferences, "email": optional_address(preferences["email"], ("input", "email"))}
    user = await User.get(id=actor.user_id)
    changes = assign(user, **preferences)
    await user.save(update_fields=list(preferences) or None)
    return Change(user, target_of(user), changes)


async def set_user_email(token_id: int, email: str | None) -> Change[User]:
    """The secretariat sets (or, with None, removes) the address of a token's user."""
    address = optional_address(email, ("input", "email"))
    token = await ApiToken.get_or_none(id=token_id).select_related("user")
    if token is None:
        raise Refused("NOT_FOUND", message("errors.accounts.no_such_token"), field=("input", "tokenId"))
    user = token.user
    changes = assign(user, email=address)
    await user.save(update_fields=["email"])
    return Change(user, target_of(user), changes)


async def actor_for(authorization: str | None) -> Actor:
    """The caller named by an `Authorization` header; no header means an anonymous caller."""
    if authorization is None:
        return ANONYMOUS
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not looks_like_token(token):
        raise Unauthenticated(message("errors.accounts.bad_authorization_header"))
    return actor_of(await token_row(token))


def looks_like_token(token: str) -> bool:
    return token.startswith(TOKEN_PREFIX) and len(token) <= MAX_TOKEN_LENGTH


async def token_row(token: str) -> ApiToken:
    """The row of a token, with its user; an unknown token is refused."""
    row = await ApiToken.get_or_none(digest=digest(token)).select_related("user")
    if row is None:
        raise Unauthenticated(message("errors.accounts.unknown_token"))
    return row


async def reauthenticate(actor: Actor) -> Actor:
    """The same caller, checked against its token again now.

    A subscription outlives the moment its token was checked: it asks again before each message,
    so that revoking or expiring the token silences it.
    """
    if actor.token_id is None:
        return actor
    row = await ApiToken.get_or_none(id=actor.token_id).select_related("user")
    if row is None:
        raise Unauthenticated(message("errors.accounts.unknown_token"))
    return actor_of(row)


def actor_of(row: ApiToken) -> Actor:
    """The caller acting through a token row (its user loaded); a revoked or expired token is refused."""
    if row.revoked_at is not None:
        raise Unauthenticated(message("errors.accounts.unknown_token"))
    if row.expires_at is not None and row.expires_at <= now():
        raise Unauthenticated(message("errors.accounts.token_expired"))
    return Actor(
        user_id=row.user_id,
        token_id=row.id,
        role=row.user.role,
        municipality_id=row.user.municipality_id,
        partner_id=row.user.partner_id,
        scopes=frozenset(TokenScope(scope) for scope in row.scopes),
        language=row.user.language,
    )


def tokens() -> QuerySet[ApiToken]:
    return ApiToken.all().order_by("-id")
