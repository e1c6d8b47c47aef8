"""The Tortoise models of Tsunagu, one module per domain, and the single ORM configuration."""

from models.account import ApiToken, Role, TokenScope, User
from models.alliance import Alliance, Officer, OfficerRole, SecretariatSeat
from models.audit import AuditEntry, AuditOutcome
from models.bulletin import Bulletin, BulletinStatus
from models.challenge import (
    Challenge,
    ChallengeStatus,
    ProjectPhase,
    Proposal,
    ProposalStatus,
    ReviewOutcome,
)
from models.case_study import CaseStudy, CaseStudyAdoption
from models.contact import Contact, ContactRole
from models.contract import DeprecatedUsage, PersistedOperation
from models.dues import Dues, DuesStatus
from models.event import (
    Event,
    EventFormat,
    EventKind,
    EventRegistration,
    EventRegistrationStatus,
    EventStatus,
    OrganiserKind,
)
from models.membership import (
    Membership,
    MembershipChange,
    MembershipChangeKind,
    MembershipStatus,
    MembershipTier,
)
from models.notification import Notification, NotificationKind
from models.partner import (
    Audience,
    Offering,
    OfferingKind,
    OfferingRequest,
    OfferingRequestStatus,
    Partner,
    PartnerKind,
)
from models.procurement import ProcurementGroup, ProcurementParticipation, ProcurementStatus
from models.portal import LoginLink, PortalSession
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
    "models.challenge",
    "models.search",
    "models.account",
    "models.contact",
    "models.dues",
    "models.audit",
    "models.notification",
    "models.event",
    "models.bulletin",
    "models.procurement",
    "models.contract",
    "models.portal",
]


def tortoise_config(db_url: str) -> dict:
    """The one ORM configuration used by the server, the CLI and the tests."""
    return {
        "connections": {"default": db_url},
        "apps": {
            "models": {"models": MODEL_MODULES, "default_connection": "default", "migrations": "migrations"}
        },
        "use_tz": True,
        "timezone": "Asia/Tokyo",
    }


__all__ = [
    "Alliance",
    "ApiToken",
    "Audience",
    "AuditEntry",
    "AuditOutcome",
    "Bulletin",
    "BulletinStatus",
    "CaseStudy",
    "Challenge",
    "ChallengeStatus",
    "CaseStudyAdoption",
    "Contact",
    "ContactRole",
    "DeprecatedUsage",
    "Dues",
    "DuesStatus",
    "Event",
    "EventFormat",
    "EventKind",
    "EventRegistration",
    "EventRegistrationStatus",
    "EventStatus",
    "LoginLink",
    "MODEL_MODULES",
    "Membership",
    "MembershipChange",
    "MembershipChangeKind",
    "MembershipStatus",
    "MembershipTier",
    "Municipality",
    "MunicipalityKind",
    "Notification",
    "NotificationKind",
    "Offering",
    "OfferingKind",
    "OfferingRequest",
    "OfferingRequestStatus",
    "Officer",
    "OfficerRole",
    "OrganiserKind",
    "Partner",
    "PartnerKind",
    "Pillar",
    "PillarKey",
    "PersistedOperation",
    "PortalSession",
    "Prefecture",
    "ProjectPhase",
    "Proposal",
    "ProposalStatus",
    "ReviewOutcome",
    "ProcurementGroup",
    "ProcurementParticipation",
    "ProcurementStatus",
    "Role",
    "SearchEntry",
    "SearchKind",
    "SecretariatSeat",
    "Theme",
    "TokenScope",
    "User",
    "WorkingGroup",
    "WorkingGroupParticipant",
    "tortoise_config",
]


# The configuration Tortoise's own command reads, for `makemigrations` after a model change:
#   python -m tortoise -c models.TORTOISE_ORM makemigrations
TORTOISE_ORM = tortoise_config("sqlite://tsunagu.sqlite3")
