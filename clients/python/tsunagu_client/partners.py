from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import PartnerKind


class Partners(BaseModel):
    partners: "PartnersPartners"


class PartnersPartners(BaseModel):
    total_count: int = Field(alias="totalCount")
    page_info: "PartnersPartnersPageInfo" = Field(alias="pageInfo")
    nodes: list["PartnersPartnersNodes"]


class PartnersPartnersPageInfo(BaseModel):
    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: Optional[str] = Field(alias="endCursor")


class PartnersPartnersNodes(BaseModel):
    slug: str
    name: str
    name_en: Optional[str] = Field(alias="nameEn")
    kind: PartnerKind


Partners.model_rebuild()
PartnersPartners.model_rebuild()
