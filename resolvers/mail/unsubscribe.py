"""One-click unsubscribe links (RFC 8058): signed, so a link works without a sign-in and cannot be
made up for someone else.

A link names the user and carries an HMAC of that name under a secret kept in the database
(`SigningKey`, made on first use), so every worker and host signs and checks alike. Following it
(a POST, as a mail client does for `List-Unsubscribe-Post: List-Unsubscribe=One-Click`) turns
the user's notification emails OFF.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models import AuditOutcome, NotificationEmail, SigningKey, User
from resolvers.access import Actor
from resolvers.audit import plain, record, target_of

PURPOSE = "unsubscribe"
UNSUBSCRIBE_PATH = "/unsubscribe/notifications/"
SIGNATURE_CHARS = 32


async def signing_secret() -> bytes:
    """The shared secret, made by whichever worker needs it first."""
    key = await SigningKey.get_or_none(purpose=PURPOSE)
    if key is None:
        try:
            key = await SigningKey.create(purpose=PURPOSE, secret=secrets.token_urlsafe(48))
        except IntegrityError:
            key = await SigningKey.get(purpose=PURPOSE)
    return key.secret.encode()


def signature(secret: bytes, user_id: int) -> str:
    digest = hmac.new(secret, f"notifications:{user_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:SIGNATURE_CHARS]


def unsubscribe_url(origin: str, secret: bytes, user_id: int) -> str:
    """The link in a user's mail that stops their notification emails."""
    return f"{origin}{UNSUBSCRIBE_PATH}{user_id}.{signature(secret, user_id)}"


async def user_of_token(token: str) -> User | None:
    """The user a link was signed for; None for a link that is not one of ours."""
    number, _, sent = token.partition(".")
    if not number.isdigit() or len(number) > 12:
        return None
    key = await SigningKey.get_or_none(purpose=PURPOSE)
    if key is None or not hmac.compare_digest(sent, signature(key.secret.encode(), int(number))):
        return None
    return await User.get_or_none(id=int(number))


async def unsubscribe(user: User) -> None:
    """No more notification emails, immediate or daily; the audit log records it as the user's
    own act (once: following the link again changes nothing)."""
    async with in_transaction():
        if not await User.filter(id=user.id).exclude(notification_email=NotificationEmail.OFF).update(
            notification_email=NotificationEmail.OFF
        ):
            return
        actor = Actor(user_id=user.id, role=user.role, municipality_id=user.municipality_id, partner_id=user.partner_id)
        changes = {"notification_email": [plain(user.notification_email), NotificationEmail.OFF.value]}
        await record(actor, "unsubscribeNotifications", AuditOutcome.ACCEPTED, target=target_of(user), changes=changes, subject=user)
