"""The benefits of a tier and who an event or an offering admits, with the reason for each "no"."""

from __future__ import annotations

from enum import Enum

import strawberry

import models
from resolvers import entitlements
from resolvers.entitlements import Verdict
from schema.alliance.types import MembershipTier
from schema.mutations import UserErrorCode


@strawberry.enum(description="A benefit of membership (seed 002, Q4).")
class Benefit(Enum):
    _value_: str
    BULLETIN = strawberry.enum_value("BULLETIN", description="The monthly bulletin.")
    ONLINE_SEMINARS = strawberry.enum_value("ONLINE_SEMINARS", description="Seminars that can be attended online.")
    WORKING_GROUPS = strawberry.enum_value("WORKING_GROUPS", description="Taking part in working groups.")
    PROJECTS = strawberry.enum_value(
        "PROJECTS", description="Taking part in projects: regional challenges, joint procurement."
    )
    PARTNER_OFFERINGS = strawberry.enum_value(
        "PARTNER_OFFERINGS",
        description="Using partner offerings (a partner may open an offering to all members or to the public).",
    )
    SECRETARIAT_SUPPORT = strawberry.enum_value(
        "SECRETARIAT_SUPPORT", description="The secretariat's support, e.g. appointments for trips to Tokyo."
    )


@strawberry.type(description="One benefit of a membership's tier: whether the tier includes it, and why not.")
class MembershipBenefit:
    benefit: Benefit = strawberry.field(description="The benefit.")
    included: bool = strawberry.field(description="Whether the tier includes it.")
    reason: str | None = strawberry.field(
        description="Why the tier does not include it, in the caller's language; null when it does."
    )


@strawberry.type(description="Whether the members of one tier, or non-members, may take part, and why not.")
class TierAdmission:
    tier: MembershipTier | None = strawberry.field(
        description="The tier; null for a municipality that is not an active member."
    )
    admitted: bool = strawberry.field(description="Whether they may take part.")
    code: UserErrorCode | None = strawberry.field(
        description="The userError code a refusal would carry; null when admitted."
    )
    reason: str | None = strawberry.field(
        description="Why not, in the caller's language: the message a refusal would carry; null when admitted."
    )

    @classmethod
    def of(cls, tier: models.MembershipTier | None, verdict: Verdict) -> TierAdmission:
        return cls(
            tier=MembershipTier(tier.value) if tier is not None else None,
            admitted=verdict.allowed,
            code=UserErrorCode[verdict.code] if verdict.code is not None else None,
            reason=str(verdict.reason) if verdict.reason is not None else None,
        )


def benefits_of(tier: models.MembershipTier) -> list[MembershipBenefit]:
    verdicts = ((benefit, entitlements.may_use(tier, benefit)) for benefit in entitlements.Benefit)
    return [
        MembershipBenefit(
            benefit=Benefit(benefit.value),
            included=verdict.allowed,
            reason=str(verdict.reason) if verdict.reason is not None else None,
        )
        for benefit, verdict in verdicts
    ]


def event_admissions(audience: models.Audience, kind: models.EventKind, format: models.EventFormat) -> list[TierAdmission]:
    return [
        TierAdmission.of(tier, entitlements.may_attend(tier, audience, kind, format))
        for tier in entitlements.TIERS_THEN_NON_MEMBERS
    ]


def offering_admissions(audience: models.Audience) -> list[TierAdmission]:
    return [
        TierAdmission.of(tier, entitlements.may_request(tier, audience)) for tier in entitlements.TIERS_THEN_NON_MEMBERS
    ]
