"""Partner organisations (連携・パートナー企業等) and the offerings they make to members."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.theme import Theme


class PartnerKind(StrEnum):
    COMPANY = "COMPANY"
    PUBLIC_AGENCY = "PUBLIC_AGENCY"
    ASSOCIATION = "ASSOCIATION"
    CONSORTIUM = "CONSORTIUM"


class OfferingKind(StrEnum):
    SEMINAR = "SEMINAR"
    WORKSHOP = "WORKSHOP"
    MATCHING_EVENT = "MATCHING_EVENT"
    PLATFORM = "PLATFORM"
    DEMO_ACCOUNT = "DEMO_ACCOUNT"
    TRAINING = "TRAINING"
    CONSULTATION = "CONSULTATION"
    PROGRAMME = "PROGRAMME"


class Audience(StrEnum):
    FULL_MEMBERS = "FULL_MEMBERS"
    ALL_MEMBERS = "ALL_MEMBERS"
    PUBLIC = "PUBLIC"


class OfferingStatus(StrEnum):
    ACTIVE = "ACTIVE"
    PAUSED = "PAUSED"
    WITHDRAWN = "WITHDRAWN"


class Partner(Model):
    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=128)
    name_en = fields.CharField(max_length=128, null=True)
    kind = fields.CharEnumField(PartnerKind, max_length=16)
    description = fields.TextField()

    offerings: fields.ReverseRelation[Offering]

    class Meta:
        table = "partner"
        ordering = ["name", "id"]


class Offering(Model):
    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=96, unique=True)
    partner: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField(
        "models.Partner", related_name="offerings", on_delete=fields.CASCADE
    )
    partner_id: int
    title = fields.CharField(max_length=200)
    kind = fields.CharEnumField(OfferingKind, max_length=16)
    summary = fields.TextField()
    legacy_goals: fields.JSONField[list[str]] = fields.JSONField(default=list)
    audience = fields.CharEnumField(Audience, max_length=16)
    capacity = fields.IntField(null=True)
    starts_on = fields.DateField(null=True)
    ends_on = fields.DateField(null=True)
    status = fields.CharEnumField(OfferingStatus, max_length=16, default=OfferingStatus.ACTIVE)
    themes: fields.ManyToManyRelation[Theme] = fields.ManyToManyField(
        "models.Theme", related_name="offerings", through="offering_theme"
    )

    class Meta:
        table = "offering"
        ordering = ["partner_id", "id"]


class OfferingRequestStatus(StrEnum):
    REQUESTED = "REQUESTED"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    COMPLETED = "COMPLETED"


class OfferingRequest(Model):
    """A member municipality asking a partner for one of its offerings (`partner` is the offering's)."""

    id = fields.IntField(primary_key=True)
    offering: fields.ForeignKeyRelation[Offering] = fields.ForeignKeyField(
        "models.Offering", related_name="requests", on_delete=fields.RESTRICT
    )
    offering_id: int
    partner: fields.ForeignKeyRelation[Partner] = fields.ForeignKeyField(
        "models.Partner", related_name="offering_requests", on_delete=fields.RESTRICT
    )
    partner_id: int
    municipality: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Municipality", related_name="offering_requests", on_delete=fields.RESTRICT
    )
    municipality_id: int
    requested_by_id = fields.IntField(null=True)
    contact: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Contact", related_name="offering_requests", null=True, on_delete=fields.RESTRICT
    )
    contact_id: int | None
    """The municipality's staff contact for this request, one of its current contacts when asked."""
    message = fields.TextField(null=True)
    status = fields.CharEnumField(OfferingRequestStatus, max_length=16)
    response = fields.TextField(null=True)
    requested_at = fields.DatetimeField(auto_now_add=True)
    responded_at = fields.DatetimeField(null=True)

    class Meta:
        table = "offering_request"
        ordering = ["-id"]
