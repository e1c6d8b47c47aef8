from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import MembershipStatus, MembershipTier, MunicipalityKind


class Municipalities(BaseModel):
    municipalities: "MunicipalitiesMunicipalities"


class MunicipalitiesMunicipalities(BaseModel):
    total_count: int = Field(alias="totalCount")
    page_info: "MunicipalitiesMunicipalitiesPageInfo" = Field(alias="pageInfo")
    nodes: list["MunicipalitiesMunicipalitiesNodes"]


class MunicipalitiesMunicipalitiesPageInfo(BaseModel):
    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: Optional[str] = Field(alias="endCursor")


class MunicipalitiesMunicipalitiesNodes(BaseModel):
    code: str
    name: str
    name_en: Optional[str] = Field(alias="nameEn")
    kind: MunicipalityKind
    prefecture: "MunicipalitiesMunicipalitiesNodesPrefecture"
    memberships: list["MunicipalitiesMunicipalitiesNodesMemberships"]


class MunicipalitiesMunicipalitiesNodesPrefecture(BaseModel):
    code: str
    name: str


class MunicipalitiesMunicipalitiesNodesMemberships(BaseModel):
    tier: MembershipTier
    status: MembershipStatus
    alliance: "MunicipalitiesMunicipalitiesNodesMembershipsAlliance"


class MunicipalitiesMunicipalitiesNodesMembershipsAlliance(BaseModel):
    slug: str


Municipalities.model_rebuild()
MunicipalitiesMunicipalities.model_rebuild()
MunicipalitiesMunicipalitiesNodes.model_rebuild()
MunicipalitiesMunicipalitiesNodesMemberships.model_rebuild()
