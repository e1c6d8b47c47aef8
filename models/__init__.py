"""The Tortoise models of Tsunagu, one module per domain, and the single ORM configuration."""

from models.alliance import Alliance, Officer, OfficerRole, SecretariatSeat
from models.case_study import CaseStudy
from models.membership import (
    Membership,
    MembershipChange,
    MembershipChangeKind,
    MembershipStatus,
    MembershipTier,
)
from models.partner import Audience, Offering, OfferingKind, Partner, PartnerKind
from models.registry import Municipality, MunicipalityKind, Prefecture
from models.search import SearchEntry, SearchKind
from models.theme import Pillar, PillarKey, Theme, WorkingGroup, WorkingGroupParticipant

MODEL_MODULES = [
    "models.registry",
    "models.alliance",
    "models.membership",
    "models.theme",
    "models.partner",
    "models.case_study",
    "models.search",
]


def tortoise_config(db_url: str) -> dict:
    """The one ORM configuration used by the server, the CLI and the tests."""
    return {
        "connections": {"default": db_url},
        "apps": {"models": {"models": MODEL_MODULES, "default_connection": "default"}},
        "use_tz": True,
        "timezone": "Asia/Tokyo",
    }


__all__ = [
    "Alliance",
    "Audience",
    "CaseStudy",
    "MODEL_MODULES",
    "Membership",
    "MembershipChange",
    "MembershipChangeKind",
    "MembershipStatus",
    "MembershipTier",
    "Municipality",
    "MunicipalityKind",
    "Offering",
    "OfferingKind",
    "Officer",
    "OfficerRole",
    "Partner",
    "PartnerKind",
    "Pillar",
    "PillarKey",
    "Prefecture",
    "SearchEntry",
    "SearchKind",
    "SecretariatSeat",
    "Theme",
    "WorkingGroup",
    "WorkingGroupParticipant",
    "tortoise_config",
]
