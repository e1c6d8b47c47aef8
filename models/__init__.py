"""The Tortoise models of Tsunagu, one module per domain, and the single ORM configuration."""

from typing import Any

from tortoise.backends.base.config_generator import expand_db_url

from models.account import ApiToken, NotificationEmail, Role, TokenScope, User
from models.alliance import Alliance, Officer, OfficerRole, SecretariatSeat
from models.audit import AuditEntry, AuditOutcome
from models.bulletin import (
    Bulletin,
    BulletinAttachment,
    BulletinDelivery,
    BulletinStatus,
    BulletinUnsubscribe,
)
from models.case_study import CaseStudy, CaseStudyAdoption
from models.challenge import (
    Challenge,
    ChallengeStatus,
    ProjectPhase,
    Proposal,
    ProposalStatus,
    ReviewOutcome,
)
from models.contact import Contact, ContactRole
from models.contract import DeprecatedUsage, PersistedOperation
from models.dues import Dues, DuesStatus
from models.event import (
    CalendarFeed,
    Event,
    EventFormat,
    EventKind,
    EventRegistration,
    EventRegistrationStatus,
    EventStatus,
    EventUpdateField,
    OrganiserKind,
)
from models.idempotency import IdempotencyKey
from models.introduction import Introduction, IntroductionStatus
from models.mail import (
    MAX_STORED_FILE_BYTES,
    OutboundEmail,
    OutboundEmailAttachment,
    OutboundEmailStatus,
    SigningKey,
    StoredFile,
)
from models.membership import (
    Membership,
    MembershipChange,
    MembershipChangeKind,
    MembershipNoteKind,
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
    OfferingStatus,
    Partner,
    PartnerKind,
)
from models.portal import LoginLink, PortalSession
from models.procurement import ProcurementGroup, ProcurementParticipation, ProcurementStatus
from models.registry import Municipality, MunicipalityKind, Prefecture
from models.search import SearchBodyFormat, SearchEntry, SearchKind
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
    "models.idempotency",
    "models.mail",
    "models.introduction",
]


def tortoise_config(db_url: str) -> dict:
    """The one ORM configuration used by the server, the CLI and the tests."""
    return {
        "connections": {"default": connection_config(db_url)},
        "apps": {
            "models": {"models": MODEL_MODULES, "default_connection": "default", "migrations": "migrations"}
        },
        "use_tz": True,
        "timezone": "Asia/Tokyo",
    }


def connection_config(db_url: str) -> str | dict[str, Any]:
    """The database URL, or its expanded form: for SQLite with the client that several processes
    can share (`database.sqlite`), for PostgreSQL with the pool's own `reset`."""
    if db_url.startswith("sqlite://"):
        return {**expand_db_url(db_url), "engine": "database.sqlite"}
    if not db_url.startswith(("postgres://", "postgresql://", "asyncpg://")):
        return db_url
    config = expand_db_url(db_url)
    config["credentials"]["reset"] = keep_session
    return config


async def keep_session(connection: Any) -> None:
    """What asyncpg's pool does to a connection handed back, after rolling back any transaction
    left open: nothing more.

    By default the pool also sends `SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *;
    RESET ALL`, a round trip to PostgreSQL after every statement Tortoise runs outside a
    transaction. Tsunagu leaves no session state behind it: it takes no advisory lock, opens
    no cursor that outlives its statement, listens to no channel and sets no session setting.
    """


__all__ = [
    "Alliance",
    "ApiToken",
    "Audience",
    "AuditEntry",
    "AuditOutcome",
    "Bulletin",
    "BulletinAttachment",
    "BulletinDelivery",
    "BulletinStatus",
    "BulletinUnsubscribe",
    "CaseStudy",
    "Challenge",
    "ChallengeStatus",
    "CaseStudyAdoption",
    "Contact",
    "ContactRole",
    "DeprecatedUsage",
    "Dues",
    "DuesStatus",
    "CalendarFeed",
    "Event",
    "EventFormat",
    "EventKind",
    "EventRegistration",
    "EventRegistrationStatus",
    "EventStatus",
    "EventUpdateField",
    "IdempotencyKey",
    "LoginLink",
    "MODEL_MODULES",
    "Membership",
    "MembershipChange",
    "MembershipChangeKind",
    "MembershipNoteKind",
    "MembershipStatus",
    "MembershipTier",
    "Municipality",
    "MunicipalityKind",
    "Introduction",
    "IntroductionStatus",
    "Notification",
    "NotificationEmail",
    "NotificationKind",
    "Offering",
    "OfferingKind",
    "OfferingRequest",
    "OfferingRequestStatus",
    "OfferingStatus",
    "Officer",
    "OfficerRole",
    "OrganiserKind",
    "MAX_STORED_FILE_BYTES",
    "OutboundEmail",
    "OutboundEmailAttachment",
    "OutboundEmailStatus",
    "SigningKey",
    "StoredFile",
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
    "SearchBodyFormat",
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
