"""Drafting, reviewing, publishing and closing challenges; proposing, selecting and running projects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Annotated

import strawberry
from strawberry import relay

import models
from resolvers import challenge as challenge_resolvers
from resolvers import proposal as proposal_resolvers
from resolvers.audit import Change
from resolvers.challenge import Attachment, ChallengeDraft
from resolvers.proposal import PilotPlan, ProposalChanges
from schema.case_study.types import CaseStudy
from schema.challenge.types import Challenge, ProjectPhase, Proposal, ReviewOutcome
from schema.context import Info
from schema.mutations import Payload, mutate, node_id


@strawberry.input(description="A document to link to.")
class AttachmentInput:
    title: str = strawberry.field(description="What the document is.")
    url: str = strawberry.field(description="Where it is (https://…).")


@strawberry.input(description="A new challenge, saved as a draft of the caller's municipality.")
class CreateChallengeInput:
    title: str = strawberry.field(description="The challenge in a line.")
    background: str = strawberry.field(description="The situation behind it.")
    desired_outcome: str = strawberry.field(description="What the municipality wants to achieve.")
    theme_numbers: list[int] = strawberry.field(description="The themes it falls under (1 to 10).")
    budget_note: str | None = strawberry.field(default=None, description="What budget there is, in words.")
    deadline: dt.date | None = strawberry.field(default=None, description="The last day for proposals; needed to publish.")
    attachments: list[AttachmentInput] | None = strawberry.field(default=None, description="Documents to link to (at most 10).")


@strawberry.input(description="Changes to a draft challenge; fields left null stay as they are.")
class UpdateChallengeInput:
    challenge_id: relay.GlobalID = strawberry.field(description="The Challenge's ID.")
    title: str | None = strawberry.field(default=None, description="A new title.")
    background: str | None = strawberry.field(default=None, description="A new background.")
    desired_outcome: str | None = strawberry.field(default=None, description="A new desired outcome.")
    theme_numbers: list[int] | None = strawberry.field(default=None, description="The new set of themes.")
    budget_note: str | None = strawberry.field(default=None, description="A new budget note.")
    deadline: dt.date | None = strawberry.field(default=None, description="A new deadline.")
    attachments: list[AttachmentInput] | None = strawberry.field(default=None, description="The new set of attachments.")


@strawberry.input(description="The challenge to act on.")
class ChallengeActionInput:
    challenge_id: relay.GlobalID = strawberry.field(description="The Challenge's ID.")


@strawberry.input(description="The secretariat's answer to a review request.")
class ReviewChallengeInput:
    challenge_id: relay.GlobalID = strawberry.field(description="The Challenge's ID.")
    outcome: ReviewOutcome = strawberry.field(description="Approve, or return with comments.")
    comment: str | None = strawberry.field(default=None, description="What to change; needed to return.")


@strawberry.type(description="The result of a mutation on a challenge.")
class ChallengePayload(Payload):
    challenge: Challenge | None = strawberry.field(default=None, description="The challenge as it now is.")


@strawberry.input(description="A proposal for a published challenge, from the caller's partner organisation.")
class SubmitProposalInput:
    challenge_id: relay.GlobalID = strawberry.field(description="The Challenge's ID.")
    title: str = strawberry.field(description="The proposal in a line.")
    summary: str = strawberry.field(description="What the partner proposes.")
    offering_id: relay.GlobalID | None = strawberry.field(default=None, description="One of the partner's Offerings it builds on.")


@strawberry.input(description="The proposal to act on.")
class ProposalActionInput:
    proposal_id: relay.GlobalID = strawberry.field(description="The Proposal's ID.")


@strawberry.input(description="A proposal to decline, with a message to its partner.")
class DeclineProposalInput:
    proposal_id: relay.GlobalID = strawberry.field(description="The Proposal's ID.")
    message: str = strawberry.field(description="Why it is declined, for the partner (at most 2000 characters).")


@strawberry.input(description="Changes to a submitted proposal; fields left null stay as they are.")
class UpdateProposalInput:
    proposal_id: relay.GlobalID = strawberry.field(description="The Proposal's ID.")
    title: str | None = strawberry.field(default=None, description="A new title.")
    summary: str | None = strawberry.field(default=None, description="A new summary.")
    offering_id: relay.GlobalID | None = strawberry.field(default=None, description="Another of the partner's Offerings it builds on.")


@strawberry.input(description="The plan of a pilot (実証実験).")
class PilotInput:
    starts_on: dt.date = strawberry.field(description="When it starts.")
    scale: str = strawberry.field(description="How big it is: where, with whom, how many.")
    ends_on: dt.date | None = strawberry.field(default=None, description="When it is planned to end.")


@strawberry.input(description="Move a project to its next phase.")
class AdvanceProjectInput:
    proposal_id: relay.GlobalID = strawberry.field(description="The selected Proposal's ID.")
    phase: ProjectPhase = strawberry.field(description="The next phase: PILOT, then COMMERCIALISATION.")
    pilot: PilotInput | None = strawberry.field(default=None, description="The pilot's plan; needed to move to PILOT.")


@strawberry.input(description="The end of a project's pilot.")
class EndPilotInput:
    proposal_id: relay.GlobalID = strawberry.field(description="The selected Proposal's ID.")
    ended_on: dt.date = strawberry.field(description="The pilot's last day.")
    result: str = strawberry.field(description="What the pilot showed.")


@strawberry.input(description="The end of a project.")
class EndProjectInput:
    proposal_id: relay.GlobalID = strawberry.field(description="The selected Proposal's ID.")
    reason: str = strawberry.field(description="Why it ends.")


@strawberry.input(description="A commercialised project to publish in the case-study library.")
class PublishProjectCaseStudyInput:
    proposal_id: relay.GlobalID = strawberry.field(description="The selected Proposal's ID.")
    summary: str = strawberry.field(description="What was done, where and with whom.")
    outcome: str | None = strawberry.field(default=None, description="What came of it; the pilot's result if null.")


@strawberry.type(description="The result of publishProjectCaseStudy.")
class PublishProjectCaseStudyPayload(Payload):
    case_study: CaseStudy | None = strawberry.field(default=None, description="The new case study.")


@strawberry.type(description="The result of a mutation on a proposal or its project.")
class ProposalPayload(Payload):
    proposal: Proposal | None = strawberry.field(default=None, description="The proposal as it now is.")


def challenge_id(input: ChallengeActionInput | UpdateChallengeInput | ReviewChallengeInput) -> int:
    return node_id(input.challenge_id, "Challenge", "challengeId")


def proposal_id(
    input: ProposalActionInput | AdvanceProjectInput | EndPilotInput | EndProjectInput | PublishProjectCaseStudyInput
    | DeclineProposalInput | UpdateProposalInput,
) -> int:
    return node_id(input.proposal_id, "Proposal", "proposalId")


def attachments_of(rows: list[AttachmentInput] | None) -> list[Attachment] | None:
    return None if rows is None else [Attachment(title=a.title, url=a.url) for a in rows]


async def challenge_payload(info: Info, change: Callable[[], Awaitable[Change[models.Challenge]]]) -> ChallengePayload:
    row, errors = await mutate(info, change)
    return ChallengePayload(challenge=Challenge.from_model(row) if row else None, user_errors=errors)


async def proposal_payload(info: Info, change: Callable[[], Awaitable[Change[models.Proposal]]]) -> ProposalPayload:
    row, errors = await mutate(info, change)
    return ProposalPayload(proposal=Proposal.from_model(row) if row else None, user_errors=errors)


ChallengeArg = Annotated[ChallengeActionInput, strawberry.argument(description="The challenge.")]
ProposalArg = Annotated[ProposalActionInput, strawberry.argument(description="The proposal.")]


@strawberry.type
class ChallengeMutation:
    @strawberry.mutation(description="Draft a challenge for the caller's municipality.")
    async def create_challenge(
        self, info: Info, input: Annotated[CreateChallengeInput, strawberry.argument(description="The challenge.")]
    ) -> ChallengePayload:
        draft = ChallengeDraft(
            title=input.title, background=input.background, desired_outcome=input.desired_outcome,
            budget_note=input.budget_note, deadline=input.deadline,
            attachments=attachments_of(input.attachments), theme_numbers=input.theme_numbers,
        )
        return await challenge_payload(info, lambda: challenge_resolvers.create_challenge(info.context.actor, draft))

    @strawberry.mutation(description="Change a draft challenge.")
    async def update_challenge(
        self, info: Info, input: Annotated[UpdateChallengeInput, strawberry.argument(description="The changes.")]
    ) -> ChallengePayload:
        draft = ChallengeDraft(
            title=input.title, background=input.background, desired_outcome=input.desired_outcome,
            budget_note=input.budget_note, deadline=input.deadline,
            attachments=attachments_of(input.attachments), theme_numbers=input.theme_numbers,
        )
        return await challenge_payload(
            info, lambda: challenge_resolvers.update_challenge(info.context.actor, challenge_id(input), draft)
        )

    @strawberry.mutation(description="Ask the secretariat to review a draft challenge before it is published.")
    async def request_challenge_review(self, info: Info, input: ChallengeArg) -> ChallengePayload:
        return await challenge_payload(info, lambda: challenge_resolvers.request_review(info.context.actor, challenge_id(input)))

    @strawberry.mutation(description="Answer a review request: approve, or return with comments.")
    async def review_challenge(
        self, info: Info, input: Annotated[ReviewChallengeInput, strawberry.argument(description="The review.")]
    ) -> ChallengePayload:
        outcome = models.ReviewOutcome(input.outcome.value)
        return await challenge_payload(info, lambda: challenge_resolvers.review(challenge_id(input), outcome, input.comment))

    @strawberry.mutation(description="Publish a draft challenge: it becomes public and takes proposals until its deadline.")
    async def publish_challenge(self, info: Info, input: ChallengeArg) -> ChallengePayload:
        return await challenge_payload(info, lambda: challenge_resolvers.publish(info.context.actor, challenge_id(input)))

    @strawberry.mutation(description="Close a published challenge; proposals not selected are told so.")
    async def close_challenge(self, info: Info, input: ChallengeArg) -> ChallengePayload:
        return await challenge_payload(info, lambda: challenge_resolvers.close(info.context.actor, challenge_id(input)))

    @strawberry.mutation(description="Withdraw a challenge that has no selected proposal.")
    async def withdraw_challenge(self, info: Info, input: ChallengeArg) -> ChallengePayload:
        return await challenge_payload(info, lambda: challenge_resolvers.withdraw(info.context.actor, challenge_id(input)))

    @strawberry.mutation(description="Propose a solution to a published challenge, for the caller's organisation.")
    async def submit_proposal(
        self, info: Info, input: Annotated[SubmitProposalInput, strawberry.argument(description="The proposal.")]
    ) -> ProposalPayload:
        async def change() -> Change[models.Proposal]:
            offering_id = node_id(input.offering_id, "Offering", "offeringId") if input.offering_id else None
            return await proposal_resolvers.submit(
                info.context.actor, node_id(input.challenge_id, "Challenge", "challengeId"),
                input.title, input.summary, offering_id,
            )

        return await proposal_payload(info, change)

    @strawberry.mutation(description="Change a proposal the municipality has not yet acted on, before the deadline.")
    async def update_proposal(
        self, info: Info, input: Annotated[UpdateProposalInput, strawberry.argument(description="The changes.")]
    ) -> ProposalPayload:
        async def change() -> Change[models.Proposal]:
            offering_id = node_id(input.offering_id, "Offering", "offeringId") if input.offering_id else None
            changes = ProposalChanges(title=input.title, summary=input.summary, offering_id=offering_id)
            return await proposal_resolvers.update(info.context.actor, proposal_id(input), changes)

        return await proposal_payload(info, change)

    @strawberry.mutation(description="Withdraw a proposal that is not yet decided.")
    async def withdraw_proposal(self, info: Info, input: ProposalArg) -> ProposalPayload:
        return await proposal_payload(info, lambda: proposal_resolvers.withdraw(info.context.actor, proposal_id(input)))

    @strawberry.mutation(description="Put a proposal on the shortlist.")
    async def shortlist_proposal(self, info: Info, input: ProposalArg) -> ProposalPayload:
        return await proposal_payload(info, lambda: proposal_resolvers.shortlist(info.context.actor, proposal_id(input)))

    @strawberry.mutation(description="Decline a proposal not yet decided, telling its partner why; it is then NOT_SELECTED.")
    async def decline_proposal(
        self, info: Info, input: Annotated[DeclineProposalInput, strawberry.argument(description="The decision.")]
    ) -> ProposalPayload:
        return await proposal_payload(
            info, lambda: proposal_resolvers.decline(info.context.actor, proposal_id(input), input.message)
        )

    @strawberry.mutation(description="Select a proposal: it becomes a project, first defining the challenge with the partner.")
    async def select_proposal(self, info: Info, input: ProposalArg) -> ProposalPayload:
        return await proposal_payload(info, lambda: proposal_resolvers.select(info.context.actor, proposal_id(input)))

    @strawberry.mutation(description="Move a project to its next phase: DEFINING → PILOT → COMMERCIALISATION.")
    async def advance_project(
        self, info: Info, input: Annotated[AdvanceProjectInput, strawberry.argument(description="The step.")]
    ) -> ProposalPayload:
        pilot = None
        if input.pilot is not None:
            pilot = PilotPlan(starts_on=input.pilot.starts_on, ends_on=input.pilot.ends_on, scale=input.pilot.scale)
        phase = models.ProjectPhase(input.phase.value)
        return await proposal_payload(
            info, lambda: proposal_resolvers.advance(info.context.actor, proposal_id(input), phase, pilot)
        )

    @strawberry.mutation(description="Record that a project's pilot ended, and what it showed.")
    async def end_pilot(
        self, info: Info, input: Annotated[EndPilotInput, strawberry.argument(description="The pilot's end.")]
    ) -> ProposalPayload:
        return await proposal_payload(
            info, lambda: proposal_resolvers.end_pilot(info.context.actor, proposal_id(input), input.ended_on, input.result)
        )

    @strawberry.mutation(description="End a project, recording why.")
    async def end_project(
        self, info: Info, input: Annotated[EndProjectInput, strawberry.argument(description="The end.")]
    ) -> ProposalPayload:
        return await proposal_payload(
            info, lambda: proposal_resolvers.end(info.context.actor, proposal_id(input), input.reason)
        )

    @strawberry.mutation(
        description="Publish a commercialised project as a case study (with the pitch's figures), so "
        "that other municipalities can learn from and adopt it."
    )
    async def publish_project_case_study(
        self, info: Info, input: Annotated[PublishProjectCaseStudyInput, strawberry.argument(description="The case.")]
    ) -> PublishProjectCaseStudyPayload:
        row, errors = await mutate(
            info,
            lambda: proposal_resolvers.publish_case_study(info.context.actor, proposal_id(input), input.summary, input.outcome),
        )
        return PublishProjectCaseStudyPayload(case_study=CaseStudy.from_model(row) if row else None, user_errors=errors)
