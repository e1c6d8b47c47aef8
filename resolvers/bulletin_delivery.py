"""Bulletins by email: one message per current contact of every member municipality in the
audience, written in the publishing transaction, and the one-click unsubscribe it carries.

Each message has its own unsubscribe link (`/unsubscribe/bulletins/<token>`): the token is 32 random bytes,
sent only in that email; the database keeps its SHA-256 (`BulletinDelivery.token_hash`), so the
link names no address and cannot be guessed or forged, and a database copy cannot unsubscribe
anyone. Following it unsubscribes the contact's address (`BulletinUnsubscribe`), so a person
named again in a later fiscal year stays unsubscribed. An address is mailed once per bulletin,
whatever roles its person holds. The reader's language is their account's (a user with the same
address), else Japanese.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from tortoise.expressions import Q, Subquery
from tortoise.functions import Count
from tortoise.transactions import in_transaction

from i18n import DEFAULT_LANGUAGE, LANGUAGES, catalogue, message
from models import (
    AuditOutcome,
    Bulletin,
    BulletinDelivery,
    BulletinUnsubscribe,
    Contact,
    OutboundEmailStatus,
    StoredFile,
    User,
)
from resolvers.access import Actor
from resolvers.audit import record, target_of
from resolvers.calendar import today
from resolvers.mail.letter import HTML_PAGE
from resolvers.mail.outbox import Written, enqueue_many
from resolvers.markdown import safe_html

TOKEN_BYTES = 32


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Recipient:
    contact_id: int
    name: str
    address: str
    language: str


async def recipients(municipality_ids: Sequence[int]) -> list[Recipient]:
    """The current contacts with an address of these municipalities, one per address, minus
    the addresses that unsubscribed."""
    on = today()
    contacts = await (
        Contact.filter(municipality_id__in=list(municipality_ids), email__isnull=False)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on), started_on__lte=on)
        .exclude(email__in=Subquery(BulletinUnsubscribe.all().values("address")))
        .order_by("municipality_id", "role", "id")
        .values_list("id", "name", "email")
    )
    addresses = {address for _, _, address in contacts}
    languages = dict(await User.filter(email__in=list(addresses), language__isnull=False).values_list("email", "language"))
    chosen: dict[str, Recipient] = {}
    for contact_id, name, address in contacts:
        language = languages.get(address)
        chosen.setdefault(address, Recipient(contact_id, name, address, language if language in LANGUAGES else DEFAULT_LANGUAGE))
    return list(chosen.values())


@dataclass(frozen=True)
class Edition:
    """The bulletin as mailed in one language; `for_reader` adds the greeting and the link."""

    subject: str
    text: str
    html: str
    reading: str
    greeting: str
    unsubscribe: str
    footer: str

    @classmethod
    def of(cls, bulletin: Bulletin, language: str, reading_url: str) -> Edition:
        words = catalogue(language)
        return cls(
            subject=message("bulletins.email.subject", year=bulletin.year, month=bulletin.month, title=bulletin.title).render(language),
            text=bulletin.body.strip(),
            html=safe_html(bulletin.body),
            reading=message("bulletins.email.read_online", url=reading_url).render(language),
            greeting=words["bulletins.email.greeting"],
            unsubscribe=words["bulletins.email.unsubscribe"],
            footer=words["email.footer"],
        )

    def for_reader(self, recipient: Recipient, unsubscribe_url: str) -> Written:
        greeting = self.greeting.format(name=recipient.name)
        text = "\n\n".join([greeting, self.text, self.reading, f"{self.unsubscribe}\n{unsubscribe_url}", self.footer]) + "\n"
        body = "\n".join([
            f"<p>{escape(greeting)}</p>",
            self.html,
            f"<p>{escape(self.reading)}</p>",
            f'<p><small>{escape(self.unsubscribe)} <a href="{escape(unsubscribe_url)}">{escape(unsubscribe_url)}</a></small></p>',
            f"<p><small>{escape(self.footer)}</small></p>",
        ])
        html = HTML_PAGE.format(language=recipient.language, subject=escape(self.subject), body=body)
        return Written(recipient.address, self.subject, text, html, recipient.language, unsubscribe_url)


async def mail_bulletin(bulletin: Bulletin, municipality_ids: Sequence[int], origin: str) -> int:
    """Enqueue the bulletin, with its files, for every recipient; returns how many were queued."""
    people = await recipients(municipality_ids)
    if not people:
        return 0
    editions = {language: Edition.of(bulletin, language, f"{origin}/portal/bulletins/{bulletin.id}") for language in LANGUAGES}
    tokens = [secrets.token_urlsafe(TOKEN_BYTES) for _ in people]
    files = await StoredFile.filter(bulletin_attachments__bulletin_id=bulletin.id).order_by("bulletin_attachments__id")
    ids = await enqueue_many(
        [editions[person.language].for_reader(person, f"{origin}/unsubscribe/bulletins/{token}") for person, token in zip(people, tokens, strict=True)],
        attachments=files,
    )
    await BulletinDelivery.bulk_create(
        [
            BulletinDelivery(bulletin_id=bulletin.id, contact_id=person.contact_id, email_id=email_id, token_hash=token_hash(token))
            for person, token, email_id in zip(people, tokens, ids, strict=True)
        ],
        batch_size=500,
    )
    return len(people)


@dataclass(frozen=True)
class DeliveryCounts:
    queued: int = 0
    sent: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.queued + self.sent + self.failed


async def delivery_counts(bulletin_ids: Sequence[int]) -> dict[int, DeliveryCounts]:
    """Per bulletin, its emails waiting (queued or being sent), sent and failed, in one query."""
    rows = await (
        BulletinDelivery.filter(bulletin_id__in=list(bulletin_ids))
        .annotate(count=Count("id"))
        .group_by("bulletin_id", "email__status")
        .values_list("bulletin_id", "email__status", "count")
    )
    tallies: dict[int, dict[str, int]] = {}
    for bulletin_id, status, count in rows:
        tally = tallies.setdefault(bulletin_id, {"queued": 0, "sent": 0, "failed": 0})
        key = {OutboundEmailStatus.SENT: "sent", OutboundEmailStatus.FAILED: "failed"}.get(OutboundEmailStatus(status), "queued")
        tally[key] += count
    return {bulletin_id: DeliveryCounts(**tallies.get(bulletin_id, {})) for bulletin_id in bulletin_ids}


async def delivery_of(token: str) -> BulletinDelivery | None:
    """The delivery an unsubscribe link belongs to, with its email and bulletin; None for an unknown token."""
    if not token or len(token) > 100:
        return None
    return await BulletinDelivery.get_or_none(token_hash=token_hash(token)).prefetch_related("email", "bulletin")


async def unsubscribe(token: str) -> bool:
    """Stop bulletins to the address the link was sent to, recorded in the audit log (by nobody
    signed in, about the bulletin the link came with); False for an unknown link. Following it
    again changes nothing."""
    delivery = await delivery_of(token)
    if delivery is None:
        return False
    address = delivery.email.to_address
    async with in_transaction():
        _, created = await BulletinUnsubscribe.get_or_create(address=address)
        if created:
            await record(
                Actor(), "unsubscribeBulletins", AuditOutcome.ACCEPTED,
                target=target_of(delivery.bulletin), changes={"email": [None, address]}, subject=delivery.bulletin,
            )
    return True
