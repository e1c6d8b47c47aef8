"""Recommendations with their scores and the reasons that produced them."""

from __future__ import annotations

import functools
from enum import Enum
from typing import Annotated

import strawberry

import models
from i18n import message
from resolvers import introduction as introduction_resolvers
from resolvers import matching
from resolvers.access import Actor
from resolvers.db.loaders import ONLY_KEY
from resolvers.errors import InvalidArgument
from schema.context import Info
from schema.introduction.types import Introduction
from schema.partner.types import Offering, Partner
from schema.registry.types import Municipality
from schema.relation import Loaded, related, relation

MAX_RECOMMENDATIONS = 50

RecommendationCountArg = Annotated[
    int, strawberry.argument(description=f"How many to return, best first (1 to {MAX_RECOMMENDATIONS}).")
]


@strawberry.enum(description="What made a recommendation score.")
class MatchReasonKind(Enum):
    _value_: str
    SHARED_THEMES = strawberry.enum_value("SHARED_THEMES", description="They work under the same themes.")
    SIMILAR_TEXT = strawberry.enum_value("SIMILAR_TEXT", description="Their texts have much in common.")
    SIMILAR_PAST_PROPOSALS = strawberry.enum_value(
        "SIMILAR_PAST_PROPOSALS",
        description="The partner proposed for similar challenges before: only proposals the caller may see "
        "count (the secretariat all; a partner its own; a municipality those for its challenges).",
    )
    TRACK_RECORD = strawberry.enum_value(
        "TRACK_RECORD",
        description="The partner has selected proposals and completed offering requests: only those the "
        "caller may see count (the secretariat all; a partner its own; a municipality those with it).",
    )
    MUTUAL_AID_DISTANCE = strawberry.enum_value(
        "MUTUAL_AID_DISTANCE",
        description="Far enough away not to share the same disaster (disaster mutual aid): in another "
        f"prefecture, in another of the eight regions and at least {matching.MUTUAL_AID_MIN_KM} km away "
        "(between prefectural offices).",
    )


@strawberry.type(description="One reason behind a recommendation, and how much it added to the score.")
class MatchReason:
    kind: MatchReasonKind = strawberry.field(description="What kind of reason it is.")
    weight: float = strawberry.field(description="What it added to the score (the weights sum to the score).")
    message: str = strawberry.field(description="The reason in words, in the reader's language.")

    @classmethod
    def of(cls, reason: matching.Reason) -> MatchReason:
        return cls(kind=MatchReasonKind(reason.kind.value), weight=reason.weight, message=str(reason.message))


@strawberry.type(description="An offering recommended for a challenge.")
class OfferingMatch:
    score: float = strawberry.field(description="How well it fits, from 0 to 1.")
    reasons: list[MatchReason] = strawberry.field(description="Why, part by part.")
    offering: Offering = strawberry.field(description="The offering.")

    @relation("Partner", description="The partner that offers it.")
    def partner(self, info: Info) -> Loaded[Partner]:
        return related(info.context.loaders.partner_by_id, self.offering.partner_id, Partner.from_model)


@strawberry.type(description="A peer municipality recommended to another.")
class PeerMatch:
    score: float = strawberry.field(description="How good a peer it is, from 0 to 1.")
    reasons: list[MatchReason] = strawberry.field(description="Why, part by part.")
    municipality: Municipality = strawberry.field(description="The peer.")
    # The municipality the peer is recommended to.
    recommended_to_id: strawberry.Private[int]

    @relation(
        "Introduction | None",
        description="The latest request for an introduction between the two municipalities, whichever "
        "asked; null if there is none, and for anyone but the secretariat and the two municipalities' staff. "
        "A peer asked already (REQUESTED or ACCEPTED) cannot be asked again.",
    )
    def introduction(self, info: Info) -> Loaded[Introduction | None]:
        peer_id, actor = self.municipality.id, info.context.actor
        return related(
            info.context.loaders.introductions_by_municipality,
            self.recommended_to_id,
            functools.partial(introduction_with, actor, peer_id),
        )


def introduction_with(actor: Actor, peer_id: int, introductions: list[models.Introduction]) -> Introduction | None:
    """The latest of one municipality's `introductions` with the peer, as the caller may see it."""
    row = introduction_resolvers.latest_between(actor, introductions, peer_id)
    return None if row is None else Introduction.from_model(row)


def check_count(first: int) -> int:
    if not 1 <= first <= MAX_RECOMMENDATIONS:
        raise InvalidArgument(message("errors.matching.first_range", limit=MAX_RECOMMENDATIONS), field="first")
    return first


async def recommended_offerings(info: Info, challenge: matching.ChallengeProfile, first: int) -> list[OfferingMatch]:
    loaders = info.context.loaders
    candidates = await loaders.offering_candidates.load(ONLY_KEY)
    records = await loaders.partner_records_seen_by.load(info.context.actor)
    titles = await loaders.theme_titles.load(ONLY_KEY)
    offerings = {c.offering.id: c.offering for c in candidates}
    matches = matching.match_offerings(candidates, records, challenge, titles)[: check_count(first)]
    return [
        OfferingMatch(
            score=round(m.score, 3),
            reasons=[MatchReason.of(r) for r in m.reasons],
            offering=Offering.from_model(offerings[m.subject_id]),
        )
        for m in matches
    ]


async def recommended_peers(info: Info, municipality_id: int, theme_number: int | None, first: int) -> list[PeerMatch]:
    loaders = info.context.loaders
    profiles = await loaders.peer_profiles.load(ONLY_KEY)
    me = profiles.get(municipality_id)
    if me is None:
        return []
    titles = await loaders.theme_titles.load(ONLY_KEY)
    matches = matching.match_peers(profiles, me, theme_number, titles)[: check_count(first)]
    return [
        PeerMatch(
            score=round(m.score, 3),
            reasons=[MatchReason.of(r) for r in m.reasons],
            municipality=Municipality.from_model(profiles[m.subject_id].municipality),
            recommended_to_id=municipality_id,
        )
        for m in matches
    ]
