"""Delivering the outbox: MIME messages built from stored rows, sent over SMTP or to a maildir.

`send_due` claims a batch (`outbox.claim`) and delivers it over one SMTP connection. A connection
that cannot be made, or breaks, and a 4xx answer are temporary: the message waits for a later
attempt (`outbox.record_deferred`). A 5xx answer is permanent: FAILED with the server's answer.
Before each round, `queue_due` queues what is due by the clock rather than by a change: the daily
digests (`digest`) and the event reminders (`resolvers.event_mail`). `run_sender` repeats rounds
until stopped (`tsunagu send-mail`, which `tsunagu serve` runs beside itself: `edge.mail_sender`);
`tsunagu send-mail --once` runs one round. A sender delivers at most `Settings.mail_rate`
messages a second (`Pace`).
"""

from __future__ import annotations

import asyncio
import logging
import mailbox
import time
import uuid
from collections.abc import Sequence
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import EmailMessage, MIMEPart
from email.policy import SMTP
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

from models import OutboundEmail, StoredFile
from resolvers import calendar
from resolvers.cluster.data_version import data_version
from resolvers.event_mail import queue_due_reminders
from resolvers.mail import outbox
from resolvers.mail.address import is_plain_address
from resolvers.mail.digest import send_due_digests
from settings import Settings

LOG = logging.getLogger("tsunagu.mail")
POLL_INTERVAL = 2.0
SMTP_TIMEOUT = 30.0


class Headers(HeaderRegistry):
    """The standard header classes, each made once: `HeaderRegistry` makes a new class for every
    header it writes, a good part of the time a message takes to build."""

    def __init__(self) -> None:
        super().__init__()
        self.made: dict[str, type[BaseHeader]] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        key = name.lower()
        made = self.made.get(key)
        if made is None:
            made = self.made[key] = super().__getitem__(key)
        return made


SEVEN_BIT = SMTP.clone(cte_type="7bit", header_factory=Headers())


def message_bytes(row: OutboundEmail, sender: str, attachments: Sequence[bytes] = ()) -> bytes:
    """The message as it goes out, 7-bit clean so that no server or client library encodes it
    again: UTF-8 text as base64 or quoted-printable (whichever is shorter), the subject as RFC 2047
    encoded-words, a plain-text part and an HTML alternative, then the attachments (`attachment_part`,
    encoded once for a whole batch); for mail a reader may stop, RFC 8058's one-click unsubscribe
    headers. `MIME-Version` stands in the message's header only, not in its parts.

    A ValueError for a row that would add a header line or a recipient (a line break in any header,
    more than one address): `email` refuses line breaks in every header it writes, and the
    recipient is checked here."""
    if not is_plain_address(row.to_address):
        raise ValueError("the recipient is not one plain address")
    mime = EmailMessage(policy=SEVEN_BIT)
    mime["From"] = sender
    mime["To"] = row.to_address
    mime["Subject"] = row.subject
    mime["Date"] = format_datetime(row.created_at)
    mime["Message-ID"] = row.message_id
    mime["Auto-Submitted"] = "auto-generated"
    if row.unsubscribe_url:
        mime["List-Unsubscribe"] = f"<{row.unsubscribe_url}>"
        mime["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mime["MIME-Version"] = "1.0"
    text, html = MIMEPart(policy=SEVEN_BIT), MIMEPart(policy=SEVEN_BIT)
    text.set_content(row.text_body, charset="utf-8")
    html.set_content(row.html_body, subtype="html", charset="utf-8")
    # Boundaries made here, not by `email` (which compiles a pattern for each to search the text
    # for it): "=_" starts no base64 or quoted-printable line, and no header line Tsunagu writes.
    # Neither boundary begins the other.
    # The parts are `MIMEPart`s, not `EmailMessage`s, which would each carry a `MIME-Version` of
    # their own; typeshed types `attach` as taking only the latter.
    token = uuid.uuid4().hex
    boundary = f"=_m{token}"
    if attachments:
        alternative = MIMEPart(policy=SEVEN_BIT)
        alternative.make_alternative(boundary=f"=_a{token}")
        alternative.attach(text)
        alternative.attach(html)
        mime.make_mixed(boundary=boundary)
        mime.attach(alternative)  # type: ignore[arg-type]
    else:
        mime.make_alternative(boundary=boundary)
        mime.attach(text)  # type: ignore[arg-type]
        mime.attach(html)  # type: ignore[arg-type]
    mime["Content-Language"] = row.language  # after make_*: they move Content-* headers into a part
    flat = mime.as_bytes()
    if not attachments:
        return flat
    # The attachments go in before the closing delimiter, as they are: written once per batch.
    before, closing, after = flat.rpartition(f"--{boundary}--".encode())
    parts = b"".join(b"--%s\r\n%s\r\n" % (boundary.encode(), part) for part in attachments)
    return before + parts + closing + after


def attachment_part(file: StoredFile) -> bytes:
    """A file as a MIME part (headers and base64 body), its name per RFC 2231, without the final line break."""
    maintype, subtype, params = media_type(file.content_type)
    part = MIMEPart(policy=SEVEN_BIT)
    part.set_content(
        bytes(file.content), maintype=maintype, subtype=subtype, disposition="attachment",
        filename=file.filename, params=params,
    )
    return part.as_bytes().rstrip(b"\r\n")


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

    async def deliver(self, row: OutboundEmail, sender: str, message: bytes) -> None: ...


class Maildir:
    """Messages written to a local maildir for a developer to read (no SMTP_URL)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    async def __aenter__(self) -> Maildir:
        self.box = mailbox.Maildir(self.path, create=True)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.box.close()

    async def deliver(self, row: OutboundEmail, sender: str, message: bytes) -> None:
        self.box.add(message)


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
            if self.client.is_ehlo_or_helo_needed:
                await self.client.ehlo()
        except (aiosmtplib.SMTPException, OSError) as error:
            raise Temporary(f"cannot connect to the SMTP server: {error}") from error
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.client.is_connected:
            try:
                await self.client.quit()
            except (aiosmtplib.SMTPException, OSError):
                self.client.close()

    async def deliver(self, row: OutboundEmail, sender: str, message: bytes) -> None:
        """MAIL, RCPT and DATA, as `sendmail` sends them, but with the size known: `message_bytes`
        writes CRLF line ends only (`sendmail` would rewrite the whole message once more to count them)."""
        size = [f"SIZE={len(message)}"] if self.client.supports_extension("size") else []
        try:
            await self.client.mail(parseaddr(sender)[1], options=size)
            await self.client.rcpt(row.to_address)
            await self.client.data(message)
        except aiosmtplib.SMTPResponseException as answer:
            await self.reset()
            raise classify(answer.code, answer.message) from answer
        except (aiosmtplib.SMTPException, OSError) as error:
            raise Temporary(f"the SMTP connection failed: {error}") from error

    async def reset(self) -> None:
        """RSET after a refusal, so that the next message starts a new transaction."""
        try:
            await self.client.rset()
        except (aiosmtplib.SMTPException, OSError):
            pass


def classify(code: int, text: str) -> Temporary | Permanent:
    answer = f"{code} {text}"
    return Permanent(answer) if 500 <= code < 600 else Temporary(answer)


class Pace:
    """At most `rate` deliveries a second, spread evenly (0: no limit).

    A sender beside the service shares the machine, the database and often the SMTP relay with
    it: sending evenly, it takes them a little at a time instead of in bursts that lengthen the
    service's slowest reads (`bench/mail_send.py`), and stays under the rate relays allow."""

    def __init__(self, rate: float) -> None:
        self.interval = 1 / rate if rate > 0 else 0.0
        self.next_at = 0.0

    async def wait(self) -> None:
        """Return when the next delivery may start."""
        if not self.interval:
            return
        now = time.monotonic()
        if self.next_at > now:
            await asyncio.sleep(self.next_at - now)
        self.next_at = max(now, self.next_at) + self.interval


def transport_for(settings: Settings) -> Transport:
    if settings.smtp_url:
        return Smtp(settings.smtp_url)
    return Maildir(settings.mail_directory)


async def send_due(settings: Settings, pace: Pace | None = None) -> int:
    """Claim one batch of due messages and deliver it at the pace given (else `settings.mail_rate`);
    returns how many were claimed."""
    pace = pace or Pace(settings.mail_rate)
    rows = await outbox.claim()
    if not rows:
        return 0
    files = await outbox.attachments_of(rows)
    parts: dict[int, bytes] = {}  # each file's MIME part, written once for the batch
    try:
        async with transport_for(settings) as transport:
            for row in rows:
                await pace.wait()
                await deliver_one(transport, row, settings.mail_from, files.get(row.id, []), parts)
    except Temporary as unreachable:
        LOG.warning("mail server unreachable: %s", unreachable)
        for row in rows:
            await outbox.record_deferred(row, str(unreachable))
    await data_version.bump()  # the API shows where messages stand (outboundEmails, a bulletin's delivery)
    return len(rows)


async def deliver_one(
    transport: Transport, row: OutboundEmail, sender: str, files: Sequence[StoredFile], parts: dict[int, bytes]
) -> None:
    try:
        for file in files:
            if file.id not in parts:
                parts[file.id] = attachment_part(file)
        message = message_bytes(row, sender, [parts[file.id] for file in files])
    except ValueError as unsafe:
        await outbox.record_failed(row, f"not sent: a header would be unsafe ({unsafe})")
        return
    try:
        await transport.deliver(row, sender, message)
    except Permanent as refused:
        await outbox.record_failed(row, str(refused))
        return
    except Temporary as deferred:
        await outbox.record_deferred(row, str(deferred))
        return
    await outbox.record_sent(row)


async def send_all_due(settings: Settings, pace: Pace | None = None) -> int:
    """Deliver batches until none is due, at one pace; returns how many messages were claimed."""
    pace = pace or Pace(settings.mail_rate)
    total = 0
    while claimed := await send_due(settings, pace):
        total += claimed
    return total


async def queue_due(settings: Settings) -> None:
    """Queue the daily digests and the event reminders due now that no sender has queued yet."""
    await send_due_digests(settings.link_origin, calendar.now())
    await queue_due_reminders()


async def run_sender(settings: Settings, stop: asyncio.Event) -> None:
    """Queue what is due, deliver what is due, then wait a little, until `stop` is set."""
    pace = Pace(settings.mail_rate)
    while not stop.is_set():
        try:
            await queue_due(settings)
            await send_all_due(settings, pace)
        except Exception:  # a fault (the database away) must not end the sender for good
            LOG.exception("sending the outbox failed")
        try:
            await asyncio.wait_for(stop.wait(), POLL_INTERVAL)
        except TimeoutError:
            pass
