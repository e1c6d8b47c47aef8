"""The outbox: every email Tsunagu sends, written in the transaction of the change that causes it."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


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

    class Meta:
        table = "outbound_email"
        ordering = ["-id"]
        indexes = (("status", "next_attempt_at"),)
