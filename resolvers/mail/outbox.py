"""The outbox: messages written in the transaction of the change that causes them, claimed by one
sender at a time, and their outcome recorded.

`enqueue` writes with the connection of the current transaction (the mutation's, see
`resolvers.audit.perform`), so a change that rolls back leaves no message behind and one that
commits has its messages stored with it. A sender `claim`s due messages by marking them SENDING
with a lease (`next_attempt_at` moves to the lease's end): on PostgreSQL the rows are selected
`FOR UPDATE SKIP LOCKED`, so concurrent senders take disjoint batches; elsewhere each row is taken
by a conditional UPDATE that only one sender can win. A sender that dies holding a lease leaves the
message to be claimed again once the lease runs out: the one message in flight may be sent twice,
with the same Message-ID.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from tortoise import connections, timezone
from tortoise.expressions import F, Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from i18n import DEFAULT_LANGUAGE, LANGUAGES, message
from models import (
    MAX_STORED_FILE_BYTES,
    OutboundEmail,
    OutboundEmailAttachment,
    OutboundEmailStatus,
    StoredFile,
)
from resolvers.audit import Change, assign, target_of
from resolvers.errors import Refused
from resolvers.mail.address import is_plain_address
from resolvers.mail.letter import Letter

LEASE = dt.timedelta(minutes=5)
FIRST_RETRY = dt.timedelta(seconds=30)
LONGEST_RETRY = dt.timedelta(hours=1)
MAX_ATTEMPTS = 8
BATCH = 50
BULK_ROWS = 500
CONTENT_TYPE = re.compile(
    r"[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*(?:; ?[a-z0-9-]+=[a-z0-9._-]+)*"
)
"""`type/subtype`, with parameters such as `; charset=utf-8`: nothing that could end the header."""
URL = re.compile(r"https?://[!-~]+")
"""A link as a header carries it: printable ASCII, no space or line break (`<` and `>` are refused below)."""


def now() -> dt.datetime:
    """The time in the ORM's zone: on SQLite, times are compared as text, so every time written
    to or compared with `next_attempt_at` must carry the same offset."""
    return timezone.localtime()


async def enqueue(
    to: str,
    letter: Letter,
    language: str | None,
    *,
    attachments: Sequence[StoredFile] = (),
    unsubscribe_url: str | None = None,
) -> OutboundEmail:
    """Store `letter` for `to` (an address checked by `resolvers.mail.address`), in `language`,
    with `attachments` (files already stored) and, for mail a reader may stop, `unsubscribe_url`.

    What goes into a header is checked here, so that nothing can add a header line: the address
    must be one plain address, the link one printable line (a ValueError otherwise: the caller
    let through what it should have checked); the subject is one line (`Letter.subject_in`)."""
    if not is_plain_address(to):
        raise ValueError(f"{to!r} is not one plain address")
    if unsubscribe_url is not None and not (URL.fullmatch(unsubscribe_url) and not set("<>") & set(unsubscribe_url)):
        raise ValueError(f"{unsubscribe_url!r} cannot stand in a List-Unsubscribe header")
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    row = await OutboundEmail.create(
        to_address=to,
        subject=letter.subject_in(language)[:255],
        text_body=letter.text_in(language),
        html_body=letter.html_in(language),
        language=language,
        message_id=f"<{uuid.uuid4()}@tsunagu>",
        next_attempt_at=now(),
        unsubscribe_url=unsubscribe_url,
    )
    if attachments:
        await OutboundEmailAttachment.bulk_create(
            [OutboundEmailAttachment(email_id=row.id, file_id=file.id) for file in attachments]
        )
    return row


@dataclass(frozen=True)
class Written:
    """One message already written in its reader's language, for `enqueue_many`."""

    to: str
    subject: str
    text_body: str
    html_body: str
    language: str
    unsubscribe_url: str | None = None


async def enqueue_many(messages: Sequence[Written], *, attachments: Sequence[StoredFile] = ()) -> list[int]:
    """Store many messages with a few multi-row INSERTs (a bulletin to every contact); returns
    their ids in the order given."""
    moment = now()
    rows = [
        OutboundEmail(
            to_address=written.to,
            subject=" ".join(written.subject.split())[:255],
            text_body=written.text_body,
            html_body=written.html_body,
            language=written.language if written.language in LANGUAGES else DEFAULT_LANGUAGE,
            message_id=f"<{uuid.uuid4()}@tsunagu>",
            next_attempt_at=moment,
            created_at=moment,
            unsubscribe_url=written.unsubscribe_url,
        )
        for written in messages
    ]
    await OutboundEmail.bulk_create(rows, batch_size=BULK_ROWS)
    ids_by_message: dict[str, int] = {}
    for start in range(0, len(rows), BULK_ROWS):
        chunk = [row.message_id for row in rows[start : start + BULK_ROWS]]
        ids_by_message.update(await OutboundEmail.filter(message_id__in=chunk).values_list("message_id", "id"))
    ids = [ids_by_message[row.message_id] for row in rows]
    links = [OutboundEmailAttachment(email_id=id_, file_id=file.id) for id_ in ids for file in attachments]
    await OutboundEmailAttachment.bulk_create(links, batch_size=BULK_ROWS)
    return ids


async def store_file(filename: str, content_type: str, content: bytes) -> StoredFile:
    """Keep `content` in the database for every worker to read; at most MAX_STORED_FILE_BYTES.

    The name is sent in a header (Content-Disposition): it is kept to one line, without control
    characters or folders; a content type that is not `type/subtype` (with plain parameters) is refused."""
    filename = one_line_filename(filename)
    if not CONTENT_TYPE.fullmatch(content_type):
        raise ValueError(f"{content_type!r} is not a content type")
    if len(content) > MAX_STORED_FILE_BYTES:
        raise ValueError(f"{filename}: {len(content)} bytes is more than {MAX_STORED_FILE_BYTES}")
    return await StoredFile.create(
        filename=filename,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
    )


def one_line_filename(filename: str) -> str:
    """The name as one line: line breaks and other control characters become spaces (`総会 Bcc: x.pdf`
    for a name with a line break before `Bcc:`), folders are dropped."""
    printable = "".join(" " if unicodedata.category(char) in {"Cc", "Zl", "Zp"} else char for char in filename)
    return " ".join(printable.replace("\\", "/").rsplit("/", 1)[-1].split())[:255] or "file"


async def attachments_of(rows: Sequence[OutboundEmail]) -> dict[int, list[StoredFile]]:
    """Each message's files, in the order attached; a file shared by the batch is read once."""
    links = await OutboundEmailAttachment.filter(email_id__in=[row.id for row in rows]).values_list(
        "email_id", "file_id"
    )
    files = {file.id: file for file in await StoredFile.filter(id__in={file_id for _, file_id in links})}
    attached: dict[int, list[StoredFile]] = defaultdict(list)
    for email_id, file_id in links:
        attached[email_id].append(files[file_id])
    return attached


def due(moment: dt.datetime) -> QuerySet[OutboundEmail]:
    """Messages waiting to be sent, and those whose sender's lease has run out."""
    waiting = Q(status__in=[OutboundEmailStatus.QUEUED, OutboundEmailStatus.SENDING])
    return OutboundEmail.filter(waiting, next_attempt_at__lte=moment).order_by("id")


async def claim(limit: int = BATCH) -> list[OutboundEmail]:
    """Take up to `limit` due messages for this sender: SENDING, leased, one more attempt counted."""
    moment = now()
    claimed = {"status": OutboundEmailStatus.SENDING, "next_attempt_at": moment + LEASE, "attempts": F("attempts") + 1}
    if connections.get("default").capabilities.dialect == "postgres":
        async with in_transaction():
            # Model rows, not values_list: Tortoise leaves FOR UPDATE out of a values_list query.
            locked = await due(moment).limit(limit).select_for_update(skip_locked=True).only("id")
            ids = [row.id for row in locked]
            await OutboundEmail.filter(id__in=ids).update(**claimed)
    else:
        ids = []
        # Rows another sender won are no longer due: look again, so that losing every race is
        # never taken for an empty outbox (a `send-mail --once` would stop with mail still due).
        while not ids and (candidates := await due(moment).limit(limit).values_list("id", "status", "next_attempt_at")):
            ids = [
                id_
                for id_, status, leased_until in candidates
                if await OutboundEmail.filter(id=id_, status=status, next_attempt_at=leased_until).update(**claimed)
            ]
    return list(await OutboundEmail.filter(id__in=ids).order_by("id"))


async def record_sent(row: OutboundEmail) -> None:
    await OutboundEmail.filter(id=row.id).update(status=OutboundEmailStatus.SENT, sent_at=now(), last_error=None)


async def record_failed(row: OutboundEmail, reason: str) -> None:
    """A permanent refusal: no more attempts."""
    await OutboundEmail.filter(id=row.id).update(status=OutboundEmailStatus.FAILED, last_error=reason[:1000])


async def record_deferred(row: OutboundEmail, reason: str) -> None:
    """A temporary failure: try again after an exponential back-off, or give up after MAX_ATTEMPTS."""
    if row.attempts >= MAX_ATTEMPTS:
        await record_failed(row, f"gave up after {row.attempts} attempts: {reason}")
        return
    await OutboundEmail.filter(id=row.id).update(
        status=OutboundEmailStatus.QUEUED, next_attempt_at=now() + retry_delay(row.attempts), last_error=reason[:1000]
    )


def retry_delay(attempts: int) -> dt.timedelta:
    """30 s after the first attempt, doubling each time, at most an hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def outbound_emails(status: OutboundEmailStatus | None = None) -> QuerySet[OutboundEmail]:
    queryset = OutboundEmail.all()
    if status is not None:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-id")


async def resend(email_id: int) -> Change[OutboundEmail]:
    """Queue a FAILED message again, with the same Message-ID and a fresh count of attempts."""
    row = await OutboundEmail.get_or_none(id=email_id)
    field = ("input", "id")
    if row is None:
        raise Refused("NOT_FOUND", message("email.errors.no_such_email"), field=field)
    if row.status is not OutboundEmailStatus.FAILED:
        raise Refused("INVALID_TRANSITION", message("email.errors.only_failed_resent"), field=field)
    changes = assign(row, status=OutboundEmailStatus.QUEUED, attempts=0, next_attempt_at=now())
    await row.save(update_fields=["status", "attempts", "next_attempt_at"])
    return Change(row, target_of(row), changes)
