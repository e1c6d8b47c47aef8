from typing import Any, Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import Role, TokenScope


class Viewer(BaseModel):
    viewer: Optional["ViewerViewer"]


class ViewerViewer(BaseModel):
    name: str
    role: Role
    scopes: list[TokenScope]
    token_expires_at: Optional[Any] = Field(alias="tokenExpiresAt")
    partner: Optional["ViewerViewerPartner"]
    municipality: Optional["ViewerViewerMunicipality"]


class ViewerViewerPartner(BaseModel):
    slug: str
    name: str


class ViewerViewerMunicipality(BaseModel):
    code: str
    name: str


Viewer.model_rebuild()
ViewerViewer.model_rebuild()
