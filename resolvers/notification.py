"""Telling an organisation about its own business, in the database and to live subscribers.

A notification is addressed to a municipality or a partner; all of that organisation's staff see
it. It is stored in the mutation's transaction and published to subscribers only after that
transaction commits (`after_commit`), so nobody hears of a change that was rolled back.

What a notification says is stored as its kind and the parameters of its message (titles, names
in both languages, figures), never as text in the language of whoever caused it: `message_of`
renders it when it is read, in the reader's language, from `notification.<KIND>` in the catalogue
(`i18n/locales/*/notifications.toml`; a kind with variants, such as a project's phase change,
names the variant in the `change` parameter). The organisations a notification concerns (the
municipality, the partner, the organiser) and the offering are among its parameters; one stored
without them, or whose name could not be found, reads with `notification.unnamed.<parameter>`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol

from tortoise.expressions import Q
from tortoise.models import Model
from tortoise.queryset import QuerySet

from i18n import Listed, Named, Text, catalogue, message
from models import Municipality, Notification, NotificationKind, Partner
from resolvers.access import Actor
from resolvers.accounts import reauthenticate
from resolvers.calendar import now
from resolvers.cluster.broker import broker
from resolvers.db.transaction import after_commit
from resolvers.errors import Forbidden, Unauthenticated
from resolvers.mail.mailings import mail_notifications


@dataclass(frozen=True)
class Recipient:
    """One organisation: exactly one of the two ids is set."""

    municipality_id: int | None = None
    partner_id: int | None = None

    @property
    def channel(self) -> str:
        if self.municipality_id is not None:
            return f"municipality:{self.municipality_id}"
        return f"partner:{self.partner_id}"

    @classmethod
    def of_channel(cls, channel: str) -> Recipient:
        """The recipient whose `channel` this is."""
        kind, _, number = channel.partition(":")
        return cls(municipality_id=int(number)) if kind == "municipality" else cls(partner_id=int(number))

    @classmethod
    def of(cls, actor: Actor) -> Recipient | None:
        """The organisation the caller works for; the secretariat has none."""
        if actor.municipality_id is not None:
            return cls(municipality_id=actor.municipality_id)
        if actor.partner_id is not None:
            return cls(partner_id=actor.partner_id)
        return None


LEGACY = "legacy"
"""The parameter of a notification stored as text before messages were rendered when read."""


def stored(value: Any) -> Any:
    """A message parameter as a JSON column holds it: a `Named` in both its spellings, an enum
    member as `{"enum": <its class>, "value": <its value>}` so that it reads as its label, a
    list item by item."""
    if isinstance(value, list | tuple):
        return [stored(item) for item in value]
    if isinstance(value, Named):
        return value.stored()
    if isinstance(value, Enum):
        return {"enum": type(value).__name__, "value": value.value}
    return value


def rendered(value: Any) -> Any:
    """A stored parameter as the message shows it (the reverse of `stored`); a list as one."""
    if isinstance(value, list):
        return Listed(tuple(rendered(item) for item in value))
    if isinstance(value, dict) and "enum" in value:
        key = f"enum.{value['enum']}.{value['value']}"
        return Text(key) if key in catalogue("ja") else value["value"]
    return Named.from_stored(value)


def message_key(kind: Enum | str, params: Mapping[str, Any]) -> str:
    if LEGACY in params:
        return "notification.LEGACY"
    key = f"notification.{kind.value if isinstance(kind, Enum) else kind}"
    return f"{key}.{params['change']}" if "change" in params else key


class Said(Protocol):
    """A notification as a row or as the API's object: what its message is made of."""

    @property
    def kind(self) -> Enum: ...

    @property
    def params(self) -> Mapping[str, Any] | None: ...


NAMED = ("municipality", "partner", "offering", "organiser")
"""The parameters that name what a notification concerns, each with its wording for when it is missing."""


def message_of(notification: Said) -> Text:
    """What the notification says, rendered when read (`str()`) in the reader's language."""
    params = notification.params or {}
    values: dict[str, Any] = {name: Text(f"notification.unnamed.{name}") for name in NAMED}
    values |= {name: rendered(value) for name, value in params.items() if name != "change"}
    return Text(message_key(notification.kind, params), values)


async def municipality_named(municipality_id: int) -> Named:
    """A municipality's name in both languages, as a notification's `municipality` or `organiser`."""
    return Named.of(await Municipality.get(id=municipality_id))


async def partner_named(partner_id: int) -> Named:
    """A partner's name in both languages, as a notification's `partner`."""
    return Named.of(await Partner.get(id=partner_id))


async def notify(
    recipient: Recipient, kind: NotificationKind, subject: Model, subject_type: str, **params: Any
) -> Notification:
    """Store a notification and publish it once the current mutation commits.

    `subject_type` is the GraphQL type name of `subject`, so that clients get a global ID; `params`
    are those of the kind's message in the catalogue.
    """
    notification = await Notification.create(
        kind=kind,
        municipality_id=recipient.municipality_id,
        partner_id=recipient.partner_id,
        params={name: stored(value) for name, value in params.items()},
        subject_type=subject_type,
        subject_id=subject.pk,
    )
    await mail_notifications([notification], message_of, subject, subject_type)

    async def publish() -> None:
        await broker.publish(recipient.channel, notification.id)

    await after_commit(publish)
    return notification


async def notify_all(
    recipients: Sequence[Recipient], kind: NotificationKind, subject: Model, subject_type: str, **params: Any
) -> int:
    """`notify` for many organisations at once: one INSERT batch, whatever their number.

    A bulk insert does not return the new ids, so they are read back as the notifications of this
    kind about this subject newer than the newest one before the batch. The caller holds the
    subject's row lock, so no other batch about the same subject can interleave. Returns how many
    were sent.
    """
    if not recipients:
        return 0
    about = Notification.filter(kind=kind, subject_type=subject_type, subject_id=subject.pk)
    newest_before = max(await about.order_by("-id").limit(1).values_list("id", flat=True), default=0)
    await Notification.bulk_create(
        Notification(
            kind=kind,
            municipality_id=recipient.municipality_id,
            partner_id=recipient.partner_id,
            params={name: stored(value) for name, value in params.items()},
            subject_type=subject_type,
            subject_id=subject.pk,
        )
        for recipient in recipients
    )
    sent = await about.filter(id__gt=newest_before).order_by("id")
    await mail_notifications(sent, message_of, subject, subject_type)

    async def publish() -> None:
        for notification in sent:
            await broker.publish(Recipient(notification.municipality_id, notification.partner_id).channel, notification.id)

    await after_commit(publish)
    return len(sent)


async def published_since(channels: frozenset[str], since: float) -> list[tuple[str, int]]:
    """The notifications sent to `channels` since `since` (seconds since the epoch), oldest first,
    as the broker publishes them: what its subscribers missed while Redis was away."""
    if not channels:
        return []
    recipients = [Recipient.of_channel(channel) for channel in channels]
    municipalities = [r.municipality_id for r in recipients if r.municipality_id is not None]
    partners = [r.partner_id for r in recipients if r.partner_id is not None]
    rows = await Notification.filter(
        Q(municipality_id__in=municipalities) | Q(partner_id__in=partners),
        created_at__gte=dt.datetime.fromtimestamp(since, dt.UTC),
    ).order_by("id").values_list("id", "municipality_id", "partner_id")
    return [(Recipient(municipality_id, partner_id).channel, id_) for id_, municipality_id, partner_id in rows]


def _addressed_to(recipient: Recipient) -> QuerySet[Notification]:
    return Notification.filter(municipality_id=recipient.municipality_id, partner_id=recipient.partner_id)


def notifications_for(recipient: Recipient, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The organisation's notifications, newest first."""
    queryset = _addressed_to(recipient)
    if unread_only:
        queryset = queryset.filter(read_at=None)
    return queryset.order_by("-id")


def is_visible(actor: Actor, notification: Notification) -> bool:
    return Recipient.of(actor) == Recipient(notification.municipality_id, notification.partner_id)


async def mark_read(recipient: Recipient, ids: list[int] | None) -> int:
    """Mark the given notifications (or all) of the organisation read; returns how many changed."""
    queryset = _addressed_to(recipient).filter(read_at=None)
    if ids is not None:
        queryset = queryset.filter(id__in=ids)
    return await queryset.update(read_at=now())


def subscriber(actor: Actor) -> Recipient:
    """The organisation whose notifications the caller may follow live."""
    if not actor.is_authenticated:
        raise Unauthenticated(
            message("errors.notification.sign_in_to_subscribe")
        )
    recipient = Recipient.of(actor)
    if recipient is None:
        raise Forbidden(message("errors.notification.secretariat_has_none_subscribe"))
    return recipient


async def arriving(actor: Actor, recipient: Recipient) -> AsyncIterator[Notification]:
    """The recipient's notifications as they are published, each read afresh from the database.

    Before each one the caller's token is checked again: once it is revoked or has expired the
    stream ends with `Unauthenticated`.
    """
    async with broker.subscribe(recipient.channel) as queue:
        while True:
            notification_id = await queue.get()
            await reauthenticate(actor)
            notification = await Notification.get_or_none(id=notification_id)
            if notification is not None:
                yield notification
