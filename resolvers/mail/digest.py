"""The daily digest: at 08:00 Japan time, the past day's notifications in one email per user who
chose DAILY, in their language, once per user per day however many senders run.

The day is claimed before anything is written: a conditional UPDATE of the user's
`last_digest_on` from the value read to today's date, in the transaction that enqueues the
digest. Only one sender's UPDATE matches (on PostgreSQL the second waits for the first to commit
and then finds the row changed), so only one digest is queued; a sender that fails before its
commit leaves the day to the next. A day with nothing new is claimed all the same and sends nothing.
"""

from __future__ import annotations

import datetime as dt

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from i18n import LANGUAGES, Named, Translator, message
from models import Notification, NotificationEmail, Role, User
from resolvers.calendar import JAPAN, in_japan
from resolvers.mail.letter import Letter
from resolvers.mail.outbox import enqueue
from resolvers.mail.unsubscribe import signing_secret, unsubscribe_url
from resolvers.notification import message_of

DIGEST_TIME = dt.time(8, 0)
NOTIFICATIONS_PAGE = {Role.MUNICIPALITY: "/portal/notifications", Role.PARTNER: "/partner/notifications"}


def digest_day(moment: dt.datetime) -> dt.date | None:
    """The Japan date whose digest is due at `moment`: today from 08:00 on, none before."""
    local = in_japan(moment)
    return local.date() if local.time() >= DIGEST_TIME else None


def digest_window(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The day a digest covers: from 08:00 the day before to 08:00 on `day`, Japan time."""
    end = dt.datetime.combine(day, DIGEST_TIME, tzinfo=JAPAN)
    return end - dt.timedelta(days=1), end


async def send_due_digests(origin: str, moment: dt.datetime) -> int:
    """Queue the digests due at `moment` that no sender has taken yet; returns how many were queued."""
    day = digest_day(moment)
    if day is None:
        return 0
    waiting = await User.filter(
        Q(last_digest_on__isnull=True) | Q(last_digest_on__lt=day),
        notification_email=NotificationEmail.DAILY,
        email__isnull=False,
    ).order_by("id")
    if not waiting:
        return 0
    secret = await signing_secret()
    queued = 0
    for user in waiting:
        queued += await queue_digest(user, day, unsubscribe_url(origin, secret, user.id), origin)
    return queued


async def claim_day(user: User, day: dt.date) -> bool:
    """Take `day`'s digest for `user`, unless another sender took it since `user` was read."""
    taken = User.filter(id=user.id, notification_email=NotificationEmail.DAILY)
    if user.last_digest_on is None:
        taken = taken.filter(last_digest_on__isnull=True)
    else:
        taken = taken.filter(last_digest_on=user.last_digest_on)
    return bool(await taken.update(last_digest_on=day))


async def queue_digest(user: User, day: dt.date, unsubscribe: str, origin: str) -> int:
    async with in_transaction():
        if not await claim_day(user, day):
            return 0
        since, until = digest_window(day)
        notifications = await Notification.filter(
            municipality_id=user.municipality_id,
            partner_id=user.partner_id,
            created_at__gte=since,
            created_at__lt=until,
        ).order_by("id")
        if not notifications:
            return 0
        link = origin + NOTIFICATIONS_PAGE[user.role] if user.role in NOTIFICATIONS_PAGE else None
        assert user.email is not None, "`send_due_digests` reads users with an address"
        await enqueue(user.email, digest_letter(user, notifications, unsubscribe, link), user.language, unsubscribe_url=unsubscribe)
        return 1


def digest_letter(user: User, notifications: list[Notification], unsubscribe: str, link: str | None) -> Letter:
    items = tuple(
        message("email.digest.item", time=when(notification), kind=kind_of(notification), said=message_of(notification))
        for notification in notifications
    )
    return Letter(
        subject=message("email.digest.subject", count=len(notifications)),
        paragraphs=(
            message("email.digest.greeting", name=user.name),
            message("email.digest.intro", count=len(notifications)),
            *items,
            message("email.digest.unsubscribe", url=unsubscribe),
        ),
        link=link,
    )


def kind_of(notification: Notification) -> Named:
    ja, en = (Translator(language).enum("NotificationKind", notification.kind.value) for language in LANGUAGES)
    return Named(ja, en)


def when(notification: Notification) -> str:
    """The time of day in Japan, written the same in both languages (24-hour clock)."""
    return in_japan(notification.created_at).strftime("%m/%d %H:%M")
