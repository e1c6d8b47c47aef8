"""The outbox: every email Tsunagu sends, written in the transaction of the change that causes it."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

MAX_STORED_FILE_BYTES = 10 * 1024 * 1024


class OutboundEmailStatus(StrEnum):
    QUEUED = "QUEUED"
    SENDING = "SENDING"
    SENT = "SENT"
    FAILED = "FAILED"


class OutboundEmail(Model):
    """One message to one address. A sender claims it (SENDING, until `next_attempt_at`: the lease),
    delivers it and records SENT; a temporary refusal puts it back to QUEUED for later, a permanent
    one (or too many attempts) makes it FAILED with `last_error`."""

    id = fields.IntField(primary_key=True)
    to_address = fields.CharField(max_length=254)
    subject = fields.CharField(max_length=255)
    text_body = fields.TextField()
    html_body = fields.TextField()
    language = fields.CharField(max_length=8)
    message_id = fields.CharField(max_length=128, unique=True)
    """`<uuid@tsunagu>`, the same on every attempt, so that a duplicate can be recognised."""
    status = fields.CharEnumField(OutboundEmailStatus, max_length=16, default=OutboundEmailStatus.QUEUED)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    last_error = fields.CharField(max_length=1000, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    sent_at = fields.DatetimeField(null=True)
    unsubscribe_url = fields.CharField(max_length=500, null=True)
    """For mail a reader may stop (bulletins, digests): sent as `List-Unsubscribe` with RFC 8058's
    one-click `List-Unsubscribe-Post`; a POST to this URL must unsubscribe without a sign-in."""

    class Meta:
        table = "outbound_email"
        ordering = ["-id"]
        indexes = (("status", "next_attempt_at"),)


class StoredFile(Model):
    """A file kept in the database (at most `MAX_STORED_FILE_BYTES`), so that every worker and host
    reads the same bytes: a bulletin's attachment, an event's calendar entry. A file attached to many
    emails is stored once."""

    id = fields.IntField(primary_key=True)
    filename = fields.CharField(max_length=255)
    content_type = fields.CharField(max_length=100)
    size = fields.IntField()
    sha256 = fields.CharField(max_length=64)
    content = fields.BinaryField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "stored_file"


class OutboundEmailAttachment(Model):
    """A file sent with one email, in the order attached."""

    id = fields.IntField(primary_key=True)
    email: fields.ForeignKeyRelation[OutboundEmail] = fields.ForeignKeyField(
        "models.OutboundEmail", related_name="attachments", on_delete=fields.CASCADE
    )
    file: fields.ForeignKeyRelation[StoredFile] = fields.ForeignKeyField(
        "models.StoredFile", related_name="emails", on_delete=fields.RESTRICT
    )

    class Meta:
        table = "outbound_email_attachment"
        ordering = ["id"]


class SigningKey(Model):
    """A secret shared by every worker and host through the database, made on first use: it signs
    the links in emails that act without a sign-in (one-click unsubscribe)."""

    id = fields.IntField(primary_key=True)
    purpose = fields.CharField(max_length=32, unique=True)
    secret = fields.CharField(max_length=128)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "signing_key"
