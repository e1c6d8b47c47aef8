from .async_base_client import AsyncBaseClient
from .base_model import BaseModel, Upload
from .client import TsunaguClient
from .enums import (
    Audience,
    MembershipStatus,
    MembershipTier,
    MunicipalityKind,
    OfferingKind,
    PartnerKind,
    PillarKey,
    Role,
    TokenScope,
)
from .exceptions import (
    GraphQLClientError,
    GraphQLClientGraphQLError,
    GraphQLClientGraphQLMultiError,
    GraphQLClientHttpError,
    GraphQLClientInvalidResponseError,
)
from .fragments import OfferingSummary, OfferingSummaryThemes
from .input_types import MunicipalityFilter
from .municipalities import (
    Municipalities,
    MunicipalitiesMunicipalities,
    MunicipalitiesMunicipalitiesNodes,
    MunicipalitiesMunicipalitiesNodesMemberships,
    MunicipalitiesMunicipalitiesNodesMembershipsAlliance,
    MunicipalitiesMunicipalitiesNodesPrefecture,
    MunicipalitiesMunicipalitiesPageInfo,
)
from .offerings_by_theme import (
    OfferingsByTheme,
    OfferingsByThemeOfferings,
    OfferingsByThemeOfferingsNodes,
    OfferingsByThemeOfferingsNodesPartner,
)
from .partner_offerings import (
    PartnerOfferings,
    PartnerOfferingsOfferings,
    PartnerOfferingsOfferingsNodes,
    PartnerOfferingsOfferingsPageInfo,
)
from .partners import (
    Partners,
    PartnersPartners,
    PartnersPartnersNodes,
    PartnersPartnersPageInfo,
)
from .themes import Themes, ThemesThemes, ThemesThemesPillar
from .viewer import Viewer, ViewerViewer, ViewerViewerMunicipality, ViewerViewerPartner

__all__ = [
    "AsyncBaseClient",
    "Audience",
    "BaseModel",
    "GraphQLClientError",
    "GraphQLClientGraphQLError",
    "GraphQLClientGraphQLMultiError",
    "GraphQLClientHttpError",
    "GraphQLClientInvalidResponseError",
    "MembershipStatus",
    "MembershipTier",
    "Municipalities",
    "MunicipalitiesMunicipalities",
    "MunicipalitiesMunicipalitiesNodes",
    "MunicipalitiesMunicipalitiesNodesMemberships",
    "MunicipalitiesMunicipalitiesNodesMembershipsAlliance",
    "MunicipalitiesMunicipalitiesNodesPrefecture",
    "MunicipalitiesMunicipalitiesPageInfo",
    "MunicipalityFilter",
    "MunicipalityKind",
    "OfferingKind",
    "OfferingSummary",
    "OfferingSummaryThemes",
    "OfferingsByTheme",
    "OfferingsByThemeOfferings",
    "OfferingsByThemeOfferingsNodes",
    "OfferingsByThemeOfferingsNodesPartner",
    "PartnerKind",
    "PartnerOfferings",
    "PartnerOfferingsOfferings",
    "PartnerOfferingsOfferingsNodes",
    "PartnerOfferingsOfferingsPageInfo",
    "Partners",
    "PartnersPartners",
    "PartnersPartnersNodes",
    "PartnersPartnersPageInfo",
    "PillarKey",
    "Role",
    "Themes",
    "ThemesThemes",
    "ThemesThemesPillar",
    "TokenScope",
    "TsunaguClient",
    "Upload",
    "Viewer",
    "ViewerViewer",
    "ViewerViewerMunicipality",
    "ViewerViewerPartner",
]
