from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import MunicipalityKind


class MunicipalityFilter(BaseModel):
    """Narrows the registry; every given field must match."""

    prefecture_code: Optional[str] = Field(alias="prefectureCode", default=None)
    'Only this prefecture ("01" to "47").'
    kind: Optional[MunicipalityKind] = None
    "Only this kind."
    search: Optional[str] = None
    "Part of the name, reading (kana) or romaji (at most 100 characters)."
