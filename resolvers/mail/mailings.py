"""What Tsunagu tells people by email: each function enqueues in the current transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tortoise.expressions import Q
from tortoise.models import Model

from i18n import LANGUAGES, Named, Text, Translator, message
from models import Notification, NotificationEmail, User
from resolvers.mail.letter import Letter
from resolvers.mail.outbox import enqueue
from resolvers.mail.unsubscribe import signing_secret, unsubscribe_url
from resolvers.portal_pages import portal_path
from settings import Settings


async def mail_login_link(user: User, url: str, minutes: int) -> bool:
    """A login link to its user; False when the user has no address (the link is handed over by hand)."""
    if user.email is None:
        return False
    letter = Letter(
        subject=message("email.login_link.subject"),
        paragraphs=(
            message("email.login_link.greeting", name=user.name),
            message("email.login_link.body", minutes=minutes),
            message("email.login_link.not_you"),
        ),
        link=url,
    )
    await enqueue(user.email, letter, user.language)
    return True


async def mail_notifications(
    notifications: Sequence[Notification], said: Callable[[Notification], Text], subject: Model, subject_type: str
) -> int:
    """One email per notification to each staff member of the notified organisation who has an
    address and wants notifications immediately, saying `said(notification)` in their language,
    with a link to the page of their portal that shows the notifications' `subject` (of the
    GraphQL type `subject_type`; `resolvers.portal_pages`) and the one-click link that stops such
    mail (RFC 8058, as on digests), both on the service's public origin (`TSUNAGU_PUBLIC_ORIGIN`);
    returns how many were queued."""
    municipalities = {n.municipality_id for n in notifications if n.municipality_id is not None}
    partners = {n.partner_id for n in notifications if n.partner_id is not None}
    staff = await User.filter(
        Q(municipality_id__in=municipalities) | Q(partner_id__in=partners),
        email__isnull=False,
        notification_email=NotificationEmail.IMMEDIATE,
    ).order_by("id")
    if not staff:
        return 0
    origin, secret = Settings.from_env().link_origin, await signing_secret()
    queued = 0
    for notification in notifications:
        path = portal_path(subject, subject_type, notification.municipality_id)
        kind = Named(*(Translator(language).enum("NotificationKind", notification.kind.value) for language in LANGUAGES))
        for user in staff:
            if (user.municipality_id, user.partner_id) != (notification.municipality_id, notification.partner_id):
                continue
            unsubscribe = unsubscribe_url(origin, secret, user.id)
            letter = Letter(
                subject=message("email.notification.subject", kind=kind),
                paragraphs=(
                    message("email.notification.greeting", name=user.name),
                    said(notification),
                    *((message("email.notification.open"),) if path is not None else ()),
                ),
                link=origin + path if path is not None else None,
                postscript=(message("email.notification.unsubscribe", url=unsubscribe),),
            )
            assert user.email is not None, "staff are read with an address"
            await enqueue(user.email, letter, user.language, unsubscribe_url=unsubscribe)
            queued += 1
    return queued
