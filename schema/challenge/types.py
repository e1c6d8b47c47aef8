"""Challenges, proposals and the projects that follow, as the API shows them."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Any, Self

import strawberry
from strawberry import relay

import models
from resolvers import challenge as challenge_resolvers
from resolvers import proposal as proposal_resolvers
from resolvers.access import Actor, may_act_for_municipality
from resolvers.calendar import today
from resolvers.db.pagination import paginate_list
from resolvers.matching import ChallengeProfile
from schema.case_study.types import CaseStudy
from schema.context import Info
from schema.matching.types import OfferingMatch, RecommendationCountArg, recommended_offerings
from schema.node import ModelNode
from schema.pagination import (
    AfterArg,
    BeforeArg,
    Connection,
    FirstArg,
    LastArg,
    page_request,
    to_connection,
)
from schema.partner.types import Offering, Partner
from schema.registry.types import Municipality
from schema.relation import Loaded, related, relation
from schema.theme.types import Theme


@strawberry.enum(description="Where a challenge stands.")
class ChallengeStatus(Enum):
    _value_: str
    DRAFT = strawberry.enum_value("DRAFT", description="Being written; seen only by its municipality and the secretariat.")
    IN_REVIEW = strawberry.enum_value("IN_REVIEW", description="Sent to the secretariat for review; cannot be edited or published meanwhile.")
    PUBLISHED = strawberry.enum_value("PUBLISHED", description="Public; partners may propose until the deadline.")
    CLOSED = strawberry.enum_value("CLOSED", description="Public; no more proposals, selection done.")
    WITHDRAWN = strawberry.enum_value("WITHDRAWN", description="Taken back by its municipality; private history.")


@strawberry.enum(description="The secretariat's answer to a review request.")
class ReviewOutcome(Enum):
    _value_: str
    APPROVED = strawberry.enum_value("APPROVED", description="Ready to publish.")
    RETURNED = strawberry.enum_value("RETURNED", description="Sent back with comments to act on.")


@strawberry.enum(description="Where a proposal stands.")
class ProposalStatus(Enum):
    _value_: str
    SUBMITTED = strawberry.enum_value("SUBMITTED", description="Sent; awaiting the municipality.")
    SHORTLISTED = strawberry.enum_value("SHORTLISTED", description="On the municipality's shortlist.")
    SELECTED = strawberry.enum_value("SELECTED", description="Selected: it is now a project.")
    NOT_SELECTED = strawberry.enum_value("NOT_SELECTED", description="Declined by the municipality, or the challenge ended without selecting it.")
    WITHDRAWN = strawberry.enum_value("WITHDRAWN", description="Taken back by the partner.")


@strawberry.enum(description="The phases of a co-creation project (seed 004), in order.")
class ProjectPhase(Enum):
    _value_: str
    DEFINING = strawberry.enum_value("DEFINING", description="Defining the challenge together (課題の明確化).")
    PILOT = strawberry.enum_value("PILOT", description="Piloting it (実証実験).")
    COMMERCIALISATION = strawberry.enum_value("COMMERCIALISATION", description="Turning it into a business (事業化).")
    ENDED = strawberry.enum_value("ENDED", description="Ended before or after commercialisation; see the reason.")


@strawberry.type(description="A document a challenge links to.")
class Attachment:
    title: str = strawberry.field(description="What the document is.")
    url: str = strawberry.field(description="Where it is (https).")


@strawberry.type(description="The secretariat's review of a challenge; seen by its municipality and the secretariat.")
class ChallengeReview:
    outcome: ReviewOutcome = strawberry.field(description="Approved or returned.")
    comment: str | None = strawberry.field(description="What the secretariat wrote.")


@strawberry.type(
    description="A regional challenge (地域課題) a municipality publishes for partners to propose "
    "solutions to: the government pitch (ガバメントピッチ)."
)
class Challenge(ModelNode):
    model = models.Challenge
    columns_read = {
        "is_open": ("status", "deadline"),
        "recommended_offerings": ("title", "background", "desired_outcome"),
    }
    id: relay.NodeID[int]
    title: str = strawberry.field(description="The challenge in a line.")
    background: str = strawberry.field(description="The situation behind it.")
    desired_outcome: str = strawberry.field(description="What the municipality wants to achieve.")
    budget_note: str | None = strawberry.field(description="What budget there is, in words.")
    deadline: dt.date | None = strawberry.field(description="The last day for proposals (Japan time).")
    status: ChallengeStatus = strawberry.field(description="Where it stands.")
    created_at: dt.datetime = strawberry.field(description="When it was drafted.")
    published_at: dt.datetime | None = strawberry.field(description="When it was published.")
    closed_at: dt.datetime | None = strawberry.field(description="When it was closed or withdrawn.")
    attachment_rows: strawberry.Private[list[dict[str, str]]]
    municipality_id: strawberry.Private[int]
    review_outcome: strawberry.Private[str | None]
    review_comment: strawberry.Private[str | None]

    @classmethod
    def from_model(cls, row: models.Challenge) -> Self:
        return cls(
            id=row.id, title=row.title, background=row.background, desired_outcome=row.desired_outcome,
            budget_note=row.budget_note, deadline=row.deadline, status=ChallengeStatus(row.status.value),
            created_at=row.created_at, published_at=row.published_at, closed_at=row.closed_at,
            attachment_rows=list(row.attachments), municipality_id=row.municipality_id,
            review_outcome=row.review_outcome, review_comment=row.review_comment,
        )

    @classmethod
    def is_visible(cls, actor: Actor, row: Any) -> bool:
        return challenge_resolvers.is_visible(actor, row)

    @strawberry.field(description="Documents it links to.")
    def attachments(self) -> list[Attachment]:
        return [Attachment(title=a["title"], url=a["url"]) for a in self.attachment_rows]

    @strawberry.field(description="Whether partners may propose now: published and the deadline not passed.")
    def is_open(self) -> bool:
        return self.status is ChallengeStatus.PUBLISHED and self.deadline is not None and self.deadline >= today()

    @strawberry.field(description="The secretariat's last review; null if none or if the caller is not the municipality's staff or the secretariat.")
    def review(self, info: Info) -> ChallengeReview | None:
        if self.review_outcome is None or not may_act_for_municipality(info.context.actor, self.municipality_id):
            return None
        return ChallengeReview(outcome=ReviewOutcome(self.review_outcome), comment=self.review_comment)

    @relation("Municipality", description="The municipality with the challenge.")
    def municipality(self, info: Info) -> Loaded[Municipality]:
        return related(
            info.context.loaders.municipality_by_id, self.municipality_id, Municipality.from_model
        )

    @relation("list[Theme]", description="The themes it falls under, by number.")
    def themes(self, info: Info) -> Loaded[list[Theme]]:
        return related(info.context.loaders.themes_by_challenge, self.id, Theme.from_models)

    @strawberry.field(description="How many proposals it has received (withdrawn ones not counted); public.")
    async def proposal_count(self, info: Info) -> int:
        return await info.context.loaders.proposal_count_by_challenge.load(self.id)

    @strawberry.field(
        description="Partner offerings that fit the challenge, best first, each with a score and "
        "its reasons: shared themes, text similarity to the offering and to the partner's past "
        "proposals, and the partner's record. Proposals and offering requests are private, so they "
        "count only where the caller may see them: anonymous callers and other partners get scores "
        "from public facts alone."
    )
    async def recommended_offerings(self, info: Info, first: RecommendationCountArg = 10) -> list[OfferingMatch]:
        themes = {t.number for t in await info.context.loaders.themes_by_challenge.load(self.id)}
        text = " ".join([self.title, self.background, self.desired_outcome])
        return await recommended_offerings(info, ChallengeProfile(self.id, text, themes), first)

    @strawberry.field(
        description="The proposals the caller may see, oldest first; paged: the municipality's staff "
        "and the secretariat see all, a partner only its own, anyone else (anonymous callers "
        "included) none; `proposalCount` is the public count."
    )
    async def proposals(
        self, info: Info, first: FirstArg = None, after: AfterArg = None, last: LastArg = None, before: BeforeArg = None
    ) -> Connection[Proposal]:
        actor = info.context.actor
        rows = await info.context.loaders.proposals_by_challenge.load(self.id)
        visible = [row for row in rows if proposal_resolvers.is_visible(actor, row)]
        return to_connection(paginate_list(visible, page_request(first, after, last, before)), Proposal.from_model)


@strawberry.type(description="The pilot (実証実験) of a project.")
class Pilot:
    starts_on: dt.date = strawberry.field(description="When it started.")
    ends_on: dt.date | None = strawberry.field(description="When it ended, or is planned to end.")
    scale: str = strawberry.field(description="How big it is: where, with whom, how many.")
    result: str | None = strawberry.field(description="What it showed; null while it runs.")


@strawberry.type(description="The project a selected proposal became, and the phase it has reached.")
class Project:
    phase: ProjectPhase = strawberry.field(description="The phase it is in.")
    phase_changed_at: dt.datetime | None = strawberry.field(description="When it last changed phase.")
    pilot: Pilot | None = strawberry.field(description="Its pilot, once started.")
    ended_reason: str | None = strawberry.field(description="Why it ended, if it did.")
    case_study_id: strawberry.Private[int | None]

    @relation("CaseStudy | None", description="The case study it was published as, if any.")
    def case_study(self, info: Info) -> Loaded[CaseStudy | None]:
        if self.case_study_id is None:
            return None
        return related(
            info.context.loaders.case_study_by_id, self.case_study_id, CaseStudy.from_model
        )


@strawberry.type(
    description="A partner's proposal for a challenge. Private: seen only by the proposing "
    "partner's staff, the challenge's municipality's staff and the secretariat."
)
class Proposal(ModelNode):
    model = models.Proposal
    id: relay.NodeID[int]
    title: str = strawberry.field(description="The proposal in a line.")
    summary: str = strawberry.field(description="What the partner proposes.")
    status: ProposalStatus = strawberry.field(description="Where it stands.")
    submitted_at: dt.datetime = strawberry.field(description="When it was sent.")
    decided_at: dt.datetime | None = strawberry.field(description="When it was selected, not selected or withdrawn.")
    project: Project | None = strawberry.field(description="The project it became; null unless selected.")
    decline_message: str | None = strawberry.field(description="What the municipality wrote when it declined the proposal; null unless declined.")
    challenge_id: strawberry.Private[int]
    partner_id: strawberry.Private[int]
    offering_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: models.Proposal) -> Self:
        project = None
        if row.phase is not None:
            pilot = None
            if row.pilot_starts_on is not None:
                pilot = Pilot(starts_on=row.pilot_starts_on, ends_on=row.pilot_ends_on,
                              scale=row.pilot_scale or "", result=row.pilot_result)
            project = Project(phase=ProjectPhase(row.phase.value), phase_changed_at=row.phase_changed_at,
                              pilot=pilot, ended_reason=row.ended_reason, case_study_id=row.case_study_id)
        return cls(
            id=row.id, title=row.title, summary=row.summary, status=ProposalStatus(row.status.value),
            submitted_at=row.submitted_at, decided_at=row.decided_at, project=project,
            decline_message=row.decline_message,
            challenge_id=row.challenge_id, partner_id=row.partner_id, offering_id=row.offering_id,
        )

    @classmethod
    def is_visible(cls, actor: Actor, row: Any) -> bool:
        return proposal_resolvers.is_visible(actor, row)

    @relation("Challenge", description="The challenge it answers.")
    def challenge(self, info: Info) -> Loaded[Challenge]:
        return related(
            info.context.loaders.challenge_by_id, self.challenge_id, Challenge.from_model
        )

    @relation("Partner", description="The partner proposing.")
    def partner(self, info: Info) -> Loaded[Partner]:
        return related(info.context.loaders.partner_by_id, self.partner_id, Partner.from_model)

    @relation("Offering | None", description="The partner's offering it builds on, if any.")
    def offering(self, info: Info) -> Loaded[Offering | None]:
        if self.offering_id is None:
            return None
        return related(info.context.loaders.offering_by_id, self.offering_id, Offering.from_model)


@strawberry.input(description="Narrows challenges; every given field must match.")
class ChallengeFilter:
    status: ChallengeStatus | None = strawberry.field(default=None, description="Only this status.")
    theme_number: int | None = strawberry.field(default=None, description="Only challenges under this theme (1 to 10).")
    municipality_code: str | None = strawberry.field(default=None, description="Only this municipality's (six-digit code).")
    open_only: bool = strawberry.field(default=False, description="Only those taking proposals now.")
    search: str | None = strawberry.field(
        default=None, description="Text in a published challenge's title, background or outcome (at most 100 characters)."
    )


ChallengeFilterArg = Annotated[ChallengeFilter | None, strawberry.argument(description="Which challenges to include.")]


@strawberry.input(description="Narrows proposals; every given field must match.")
class ProposalFilter:
    status: ProposalStatus | None = strawberry.field(default=None, description="Only this status.")
    challenge_id: relay.GlobalID | None = strawberry.field(default=None, description="Only proposals for this Challenge.")
