"""Bulletins: the alliance's monthly newsletter (会報), each issue written for an audience."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.partner import Audience


class BulletinStatus(StrEnum):
    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"


class Bulletin(Model):
    """One monthly issue of one alliance, `year` and `month` name the issue (e.g. 2026-11)."""

    id = fields.IntField(primary_key=True)
    alliance: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Alliance", related_name="bulletins", on_delete=fields.RESTRICT
    )
    alliance_id: int
    year = fields.IntField()
    month = fields.IntField()
    title = fields.CharField(max_length=200)
    body = fields.TextField()
    audience = fields.CharEnumField(Audience, max_length=16)
    status = fields.CharEnumField(BulletinStatus, max_length=16, default=BulletinStatus.DRAFT)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    published_at = fields.DatetimeField(null=True)

    class Meta:
        table = "bulletin"
        unique_together = (("alliance", "year", "month"),)
        ordering = ["-year", "-month", "-id"]
