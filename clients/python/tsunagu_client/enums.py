from enum import Enum


class Audience(str, Enum):
    FULL_MEMBERS = "FULL_MEMBERS"
    ALL_MEMBERS = "ALL_MEMBERS"
    PUBLIC = "PUBLIC"


class MembershipStatus(str, Enum):
    APPLIED = "APPLIED"
    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"
    WITHDRAWN = "WITHDRAWN"
    REJECTED = "REJECTED"
    TRANSFERRED = "TRANSFERRED"


class MembershipTier(str, Enum):
    FULL = "FULL"
    SUPPORTING = "SUPPORTING"


class MunicipalityKind(str, Enum):
    CITY = "CITY"
    TOWN = "TOWN"
    VILLAGE = "VILLAGE"
    SPECIAL_WARD = "SPECIAL_WARD"


class OfferingKind(str, Enum):
    SEMINAR = "SEMINAR"
    WORKSHOP = "WORKSHOP"
    MATCHING_EVENT = "MATCHING_EVENT"
    PLATFORM = "PLATFORM"
    DEMO_ACCOUNT = "DEMO_ACCOUNT"
    TRAINING = "TRAINING"
    CONSULTATION = "CONSULTATION"
    PROGRAMME = "PROGRAMME"


class PartnerKind(str, Enum):
    COMPANY = "COMPANY"
    PUBLIC_AGENCY = "PUBLIC_AGENCY"
    ASSOCIATION = "ASSOCIATION"
    CONSORTIUM = "CONSORTIUM"


class PillarKey(str, Enum):
    EMPOWERING = "EMPOWERING"
    CONNECTING = "CONNECTING"
    SAVING = "SAVING"


class Role(str, Enum):
    ADMIN = "ADMIN"
    MUNICIPALITY = "MUNICIPALITY"
    PARTNER = "PARTNER"


class TokenScope(str, Enum):
    READ = "READ"
    WRITE = "WRITE"
