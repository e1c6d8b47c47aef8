"""Root fields for what each tier receives."""

from __future__ import annotations

from typing import Annotated

import strawberry

import models
from schema.alliance.types import MembershipTier
from schema.entitlement.types import MembershipBenefit, benefits_of


@strawberry.type
class EntitlementQuery:
    @strawberry.field(
        description="Each benefit of membership (seed 002, Q4) and whether `tier` includes it, with the reason "
        "when it does not; for a municipality choosing the tier to apply for."
    )
    def membership_benefits(
        self, tier: Annotated[MembershipTier, strawberry.argument(description="The tier.")]
    ) -> list[MembershipBenefit]:
        return benefits_of(models.MembershipTier(tier.value))
