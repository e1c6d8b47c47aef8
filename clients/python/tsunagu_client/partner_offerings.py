from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import OfferingSummary


class PartnerOfferings(BaseModel):
    offerings: "PartnerOfferingsOfferings"


class PartnerOfferingsOfferings(BaseModel):
    total_count: int = Field(alias="totalCount")
    page_info: "PartnerOfferingsOfferingsPageInfo" = Field(alias="pageInfo")
    nodes: list["PartnerOfferingsOfferingsNodes"]


class PartnerOfferingsOfferingsPageInfo(BaseModel):
    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: Optional[str] = Field(alias="endCursor")


PartnerOfferingsOfferingsNodes = OfferingSummary
PartnerOfferings.model_rebuild()
PartnerOfferingsOfferings.model_rebuild()
