"""Case studies: documented initiatives that other municipalities can learn from."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

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
    co_creators = fields.JSONField(default=list)
    themes: fields.ManyToManyRelation[Theme] = fields.ManyToManyField(
        "models.Theme", related_name="case_studies", through="case_study_theme"
    )
    municipalities: fields.ManyToManyRelation[Municipality] = fields.ManyToManyField(
        "models.Municipality", related_name="case_studies", through="case_study_municipality"
    )
    prefectures: fields.ManyToManyRelation[Prefecture] = fields.ManyToManyField(
        "models.Prefecture", related_name="case_studies", through="case_study_prefecture"
    )

    class Meta:
        table = "case_study"
        ordering = ["id"]
