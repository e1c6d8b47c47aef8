"""Files attached to bulletins: PDF, PNG or JPEG, told apart by their first bytes (never by the
name or the type a browser claims), at most `MAX_STORED_FILE_BYTES` each, kept in the database
(`StoredFile`) and linked to the bulletin, so that every worker serves and mails the same bytes.
A file is downloaded by those who may read its bulletin, and by no one else.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from i18n import message
from models import MAX_STORED_FILE_BYTES, Bulletin, BulletinAttachment, StoredFile
from resolvers.audit import Change, created, target_of
from resolvers.bulletin import Reader, locked_bulletin, require_draft
from resolvers.errors import Refused
from resolvers.mail.outbox import store_file

MAX_ATTACHMENTS = 10
MAX_FILE_BYTES = MAX_STORED_FILE_BYTES
MAX_FILENAME = 120
# The file types a bulletin may carry: their signature (magic bytes), type and usual extension.
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)
EXTENSIONS = {"application/pdf": {".pdf"}, "image/png": {".png"}, "image/jpeg": {".jpg", ".jpeg"}}
UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]')


def sniffed_type(content: bytes) -> tuple[str, str] | None:
    """The content type and extension the first bytes say, or None for any other kind of file."""
    return next(((kind, extension) for signature, kind, extension in SIGNATURES if content.startswith(signature)), None)


def safe_filename(name: str, content_type: str, extension: str) -> str:
    """The name without a directory, control or quoting characters, ending as its type does."""
    base = PureWindowsPath(PurePosixPath(name).name).name
    base = UNSAFE_IN_NAME.sub("_", unicodedata.normalize("NFC", base)).strip(" .") or "file"
    if PurePosixPath(base.lower()).suffix not in EXTENSIONS[content_type]:
        base += extension
    stem, suffix = base[: -len(PurePosixPath(base).suffix)], PurePosixPath(base).suffix
    return stem[: MAX_FILENAME - len(suffix)] + suffix


async def attach_file(bulletin_id: int, filename: str, content: bytes) -> Change[BulletinAttachment]:
    """Attach a file to a draft; refused when too large, of another type, or one too many."""
    bulletin = await locked_bulletin(bulletin_id)
    require_draft(bulletin, "changed")
    field = ("input", "content")
    if len(content) > MAX_FILE_BYTES:
        raise Refused("INVALID", message("bulletins.errors.file_too_large", megabytes=MAX_FILE_BYTES // 2**20), field=field)
    sniffed = sniffed_type(content)
    if sniffed is None:
        raise Refused("INVALID", message("bulletins.errors.file_type"), field=field)
    if await BulletinAttachment.filter(bulletin_id=bulletin.id).count() >= MAX_ATTACHMENTS:
        raise Refused("INVALID", message("bulletins.errors.too_many_files", most=MAX_ATTACHMENTS), field=field)
    content_type, extension = sniffed
    stored = await store_file(safe_filename(filename, content_type, extension), content_type, content)
    attachment = await BulletinAttachment.create(bulletin_id=bulletin.id, file_id=stored.id)
    values = created(attachment, "bulletin_id", "file_id") | {"filename": [None, stored.filename], "size": [None, stored.size]}
    return Change(attachment, target_of(attachment), values)


async def remove_attachment(attachment_id: int) -> Change[Bulletin]:
    """Take a file off a draft (the stored bytes go with it)."""
    attachment = await BulletinAttachment.get_or_none(id=attachment_id)
    if attachment is None:
        raise Refused("NOT_FOUND", message("bulletins.errors.no_such_file"), field=("input", "attachmentId"))
    bulletin = await locked_bulletin(attachment.bulletin_id)
    require_draft(bulletin, "changed")
    file_id = attachment.file_id
    await attachment.delete()
    await StoredFile.filter(id=file_id).delete()
    return Change(bulletin, target_of(attachment), {"file_id": [file_id, None]})


async def readable_file(reader: Reader, attachment_id: int) -> StoredFile | None:
    """The attachment's file if `reader` may read its bulletin; None otherwise, as for no file."""
    attachment = await BulletinAttachment.get_or_none(id=attachment_id).prefetch_related("bulletin")
    if attachment is None or not reader.may_read(attachment.bulletin):
        return None
    return await StoredFile.get(id=attachment.file_id)


@dataclass(frozen=True)
class AttachedFile:
    """An attachment as lists show it: no bytes read."""

    id: int
    bulletin_id: int
    filename: str
    content_type: str
    size: int


async def attached_files(bulletin_ids: Sequence[int]) -> list[list[AttachedFile]]:
    """Each bulletin's attachments in the order added, in one query that leaves the bytes alone."""
    rows = await (
        BulletinAttachment.filter(bulletin_id__in=list(bulletin_ids))
        .order_by("id")
        .values_list("id", "bulletin_id", "file__filename", "file__content_type", "file__size")
    )
    grouped: dict[int, list[AttachedFile]] = defaultdict(list)
    for row in rows:
        grouped[row[1]].append(AttachedFile(*row))
    return [grouped[i] for i in bulletin_ids]
