"""Delivering the outbox: MIME messages built from stored rows, sent over SMTP or to a maildir.

`send_due` claims a batch (`outbox.claim`) and delivers it over one SMTP connection. A connection
that cannot be made, or breaks, and a 4xx answer are temporary: the message waits for a later
attempt (`outbox.record_deferred`). A 5xx answer is permanent: FAILED with the server's answer.
`run_sender` repeats that until stopped (the server's lifespan), queueing the daily digests that
are due before each round (`digest`); `tsunagu send-mail --once` delivers what is due once.
"""

from __future__ import annotations

import asyncio
import logging
import mailbox
from collections.abc import Sequence
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

from models import OutboundEmail, StoredFile
from resolvers import calendar
from resolvers.cluster.data_version import data_version
from resolvers.mail import outbox
from resolvers.mail.address import is_plain_address
from resolvers.mail.digest import send_due_digests
from settings import Settings

LOG = logging.getLogger("tsunagu.mail")
POLL_INTERVAL = 2.0
SMTP_TIMEOUT = 30.0


def mime_message(row: OutboundEmail, sender: str, files: Sequence[StoredFile] = ()) -> EmailMessage:
    """The message as it goes out: UTF-8, the subject as RFC 2047 encoded-words (policy SMTP),
    a plain-text part and an HTML alternative, then the attached files (names per RFC 2231); for
    mail a reader may stop, RFC 8058's one-click unsubscribe headers.

    A ValueError for a row that would add a header line or a recipient (a line break in any header,
    more than one address): `email` refuses line breaks in every header it writes, and the
    recipient is checked here."""
    if not is_plain_address(row.to_address):
        raise ValueError("the recipient is not one plain address")
    mime = EmailMessage(policy=SMTP)
    mime["From"] = sender
    mime["To"] = row.to_address
    mime["Subject"] = row.subject
    mime["Date"] = format_datetime(row.created_at)
    mime["Message-ID"] = row.message_id
    mime["Auto-Submitted"] = "auto-generated"
    if row.unsubscribe_url:
        mime["List-Unsubscribe"] = f"<{row.unsubscribe_url}>"
        mime["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mime.set_content(row.text_body, charset="utf-8")
    mime.add_alternative(row.html_body, subtype="html", charset="utf-8")
    for file in files:
        maintype, subtype, params = media_type(file.content_type)
        mime.add_attachment(
            bytes(file.content), maintype=maintype, subtype=subtype, filename=file.filename, params=params
        )
    mime["Content-Language"] = row.language  # after the content: set_content clears Content-* headers
    return mime


def media_type(content_type: str) -> tuple[str, str, dict[str, str]]:
    """`text/calendar; charset=utf-8` as ("text", "calendar", {"charset": "utf-8"}): a text file
    keeps its charset, so that a reader decodes it as written."""
    kind, *parameters = (part.strip() for part in content_type.split(";"))
    maintype, _, subtype = kind.partition("/")
    params = dict(parameter.partition("=")[::2] for parameter in parameters if "=" in parameter)
    return maintype, subtype, params


class Temporary(Exception):
    """Worth another attempt later (no connection, 4xx)."""


class Permanent(Exception):
    """Never worth another attempt (5xx)."""


class Transport(Protocol):
    async def __aenter__(self) -> Transport: ...

    async def __aexit__(self, *exc: object) -> None: ...

    async def deliver(self, row: OutboundEmail, mime: EmailMessage) -> None: ...


class Maildir:
    """Messages written to a local maildir for a developer to read (no SMTP_URL)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    async def __aenter__(self) -> Maildir:
        self.box = mailbox.Maildir(self.path, create=True)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.box.close()

    async def deliver(self, row: OutboundEmail, mime: EmailMessage) -> None:
        self.box.add(mime)


class Smtp:
    """One SMTP session for a batch, from `smtp[s]://user:pass@host:port?starttls=1`."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
            raise ValueError(f"SMTP_URL: {parts.scheme}://… is not smtp://host:port or smtps://host:port")
        query = parse_qs(parts.query)
        self.client = aiosmtplib.SMTP(
            hostname=parts.hostname,
            port=parts.port or (465 if parts.scheme == "smtps" else 25),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            use_tls=parts.scheme == "smtps",
            start_tls=query.get("starttls", ["0"])[0] in {"1", "true", "yes"},
            timeout=SMTP_TIMEOUT,
        )

    async def __aenter__(self) -> Smtp:
        try:
            await self.client.connect()
        except (aiosmtplib.SMTPException, OSError) as error:
            raise Temporary(f"cannot connect to the SMTP server: {error}") from error
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.client.is_connected:
            try:
                await self.client.quit()
            except (aiosmtplib.SMTPException, OSError):
                self.client.close()

    async def deliver(self, row: OutboundEmail, mime: EmailMessage) -> None:
        try:
            await self.client.send_message(mime, sender=parseaddr(mime["From"])[1], recipients=[row.to_address])
        except aiosmtplib.SMTPRecipientsRefused as refused:
            answer = refused.recipients[0]
            raise classify(answer.code, answer.message) from refused
        except aiosmtplib.SMTPResponseException as answer:
            raise classify(answer.code, answer.message) from answer
        except (aiosmtplib.SMTPException, OSError) as error:
            raise Temporary(f"the SMTP connection failed: {error}") from error


def classify(code: int, text: str) -> Temporary | Permanent:
    answer = f"{code} {text}"
    return Permanent(answer) if 500 <= code < 600 else Temporary(answer)


def transport_for(settings: Settings) -> Transport:
    if settings.smtp_url:
        return Smtp(settings.smtp_url)
    return Maildir(settings.mail_directory)


async def send_due(settings: Settings) -> int:
    """Claim one batch of due messages and deliver it; returns how many were claimed."""
    rows = await outbox.claim()
    if not rows:
        return 0
    files = await outbox.attachments_of(rows)
    try:
        async with transport_for(settings) as transport:
            for row in rows:
                await deliver_one(transport, row, settings.mail_from, files.get(row.id, []))
    except Temporary as unreachable:
        LOG.warning("mail server unreachable: %s", unreachable)
        for row in rows:
            await outbox.record_deferred(row, str(unreachable))
    await data_version.bump()  # the API shows where messages stand (outboundEmails, a bulletin's delivery)
    return len(rows)


async def deliver_one(transport: Transport, row: OutboundEmail, sender: str, files: Sequence[StoredFile]) -> None:
    try:
        mime = mime_message(row, sender, files)
    except ValueError as unsafe:
        await outbox.record_failed(row, f"not sent: a header would be unsafe ({unsafe})")
        return
    try:
        await transport.deliver(row, mime)
    except Permanent as refused:
        await outbox.record_failed(row, str(refused))
        return
    except Temporary as deferred:
        await outbox.record_deferred(row, str(deferred))
        return
    await outbox.record_sent(row)


async def send_all_due(settings: Settings) -> int:
    """Deliver batches until none is due; returns how many messages were claimed."""
    total = 0
    while claimed := await send_due(settings):
        total += claimed
    return total


async def run_sender(settings: Settings, stop: asyncio.Event) -> None:
    """The server's sender: queue the digests due, deliver what is due, then wait a little, until
    `stop` is set."""
    while not stop.is_set():
        try:
            await send_due_digests(settings.link_origin, calendar.now())
            await send_all_due(settings)
        except Exception:  # a fault (the database away) must not end the sender for good
            LOG.exception("sending the outbox failed")
        try:
            await asyncio.wait_for(stop.wait(), POLL_INTERVAL)
        except TimeoutError:
            pass
