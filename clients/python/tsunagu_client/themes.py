from pydantic import Field

from .base_model import BaseModel
from .enums import PillarKey


class Themes(BaseModel):
    themes: list["ThemesThemes"]


class ThemesThemes(BaseModel):
    number: int
    roman: str
    title: str
    title_en: str = Field(alias="titleEn")
    pillar: "ThemesThemesPillar"


class ThemesThemesPillar(BaseModel):
    key: PillarKey
    name_en: str = Field(alias="nameEn")


Themes.model_rebuild()
ThemesThemes.model_rebuild()
