"""Case studies: documented initiatives that other municipalities can learn from, and the
municipalities that took one up (横展開), which is how the library shows what spread."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.partner import Partner
from models.registry import Municipality, Prefecture
from models.theme import Theme


class CaseStudy(Model):
    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=96, unique=True)
    title = fields.CharField(max_length=200)
    organisation = fields.CharField(max_length=128)
    category = fields.CharField(max_length=128, null=True)
    summary = fields.TextField()
    outcome = fields.TextField(null=True)
    year = fields.IntField(null=True)
    source = fields.CharField(max_length=32)
    proposals_received = fields.IntField(null=True)
    proposals_selected = fields.IntField(null=True)
    programme = fields.CharField(max_length=128, null=True)
    co_creators: fields.JSONField[list[str]] = fields.JSONField(default=list)
    themes: fields.ManyToManyRelation[Theme] = fields.ManyToManyField(
        "models.Theme", related_name="case_studies", through="case_study_theme"
    )
    municipalities: fields.ManyToManyRelation[Municipality] = fields.ManyToManyField(
        "models.Municipality", related_name="case_studies", through="case_study_municipality"
    )
    prefectures: fields.ManyToManyRelation[Prefecture] = fields.ManyToManyField(
        "models.Prefecture", related_name="case_studies", through="case_study_prefecture"
    )
    partners: fields.ManyToManyRelation[Partner] = fields.ManyToManyField(
        "models.Partner", related_name="case_studies", through="case_study_partner"
    )

    adoptions: fields.ReverseRelation[CaseStudyAdoption]

    class Meta:
        table = "case_study"
        ordering = ["id"]


class CaseStudyAdoption(Model):
    """A municipality's record that it took up a case (横展開), at most one per case and place."""

    id = fields.IntField(primary_key=True)
    case_study: fields.ForeignKeyRelation[CaseStudy] = fields.ForeignKeyField(
        "models.CaseStudy", related_name="adoptions", on_delete=fields.CASCADE
    )
    case_study_id: int
    municipality: fields.ForeignKeyRelation[Municipality] = fields.ForeignKeyField(
        "models.Municipality", related_name="case_study_adoptions", on_delete=fields.RESTRICT
    )
    municipality_id: int
    adopted_on = fields.DateField()
    note = fields.CharField(max_length=1000, null=True)
    recorded_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "case_study_adoption"
        unique_together = (("case_study", "municipality"),)
        ordering = ["-adopted_on", "-id"]
