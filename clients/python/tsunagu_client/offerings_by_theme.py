from pydantic import Field

from .base_model import BaseModel
from .fragments import (
    OfferingSummary,
    OfferingSummaryThemes,  # noqa: F401
)


class OfferingsByTheme(BaseModel):
    offerings: "OfferingsByThemeOfferings"


class OfferingsByThemeOfferings(BaseModel):
    total_count: int = Field(alias="totalCount")
    nodes: list["OfferingsByThemeOfferingsNodes"]


class OfferingsByThemeOfferingsNodes(OfferingSummary):
    partner: "OfferingsByThemeOfferingsNodesPartner"


class OfferingsByThemeOfferingsNodesPartner(BaseModel):
    slug: str
    name: str


OfferingsByTheme.model_rebuild()
OfferingsByThemeOfferings.model_rebuild()
OfferingsByThemeOfferingsNodes.model_rebuild()
