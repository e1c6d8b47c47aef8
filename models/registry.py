"""The official registry of Japanese local governments (全国地方公共団体コード, JIS X 0402).

Every prefecture and municipality is here, members of an alliance or not.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class MunicipalityKind(StrEnum):
    CITY = "CITY"
    TOWN = "TOWN"
    VILLAGE = "VILLAGE"
    SPECIAL_WARD = "SPECIAL_WARD"


class Prefecture(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=2, unique=True)
    name = fields.CharField(max_length=8)
    name_kana = fields.CharField(max_length=16)
    name_en = fields.CharField(max_length=32)
    local_government_code = fields.CharField(max_length=6, unique=True)
    # Where the prefectural office is: the distance between two prefectures, for mutual aid.
    latitude = fields.FloatField(null=True)
    longitude = fields.FloatField(null=True)

    municipalities: fields.ReverseRelation[Municipality]

    class Meta:
        table = "prefecture"
        ordering = ["code"]


class Municipality(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=6, unique=True)
    name = fields.CharField(max_length=16, db_index=True)
    name_kana = fields.CharField(max_length=32)
    name_en = fields.CharField(max_length=64)
    kind = fields.CharEnumField(MunicipalityKind, max_length=16)
    prefecture: fields.ForeignKeyRelation[Prefecture] = fields.ForeignKeyField(
        "models.Prefecture", related_name="municipalities", on_delete=fields.RESTRICT
    )
    prefecture_id: int

    class Meta:
        table = "municipality"
        ordering = ["code"]
