from typing import Any, Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import Audience, OfferingKind


class OfferingSummary(BaseModel):
    id: str
    slug: str
    title: str
    kind: OfferingKind
    audience: Audience
    capacity: Optional[int]
    places_left: Optional[int] = Field(alias="placesLeft")
    starts_on: Optional[Any] = Field(alias="startsOn")
    ends_on: Optional[Any] = Field(alias="endsOn")
    themes: list["OfferingSummaryThemes"]


class OfferingSummaryThemes(BaseModel):
    number: int
    title: str


OfferingSummary.model_rebuild()
