"""Mutations on memberships, working groups, officers and the succession of alliances."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry import relay

import models
from resolvers import membership, officer, succession
from resolvers.membership import Decision
from schema.alliance.types import (
    Alliance,
    Membership,
    MembershipTier,
    Officer,
    OfficerRole,
    WorkingGroup,
)
from schema.context import Info
from schema.mutations import Payload, UserError, mutate, node_id
from schema.node import from_row
from schema.reasons import reason_field


@strawberry.input(description="A municipality's application to join an alliance.")
class ApplyForMembershipInput:
    alliance_slug: str = strawberry.field(description='The alliance, e.g. "expo2025".')
    tier: MembershipTier = strawberry.field(description="The tier applied for.")
    municipality_code: str | None = strawberry.field(
        default=None,
        description="The applicant's six-digit code; staff may leave it out (their own), the "
        "secretariat must give it.",
    )
    note: str | None = strawberry.field(default=None, description="A note for the history.")


@strawberry.input(description="A decision of the secretariat on one membership.")
class MembershipDecisionInput:
    membership_id: relay.GlobalID = strawberry.field(description="The Membership's ID.")
    effective_on: dt.date | None = strawberry.field(default=None, description="When it takes effect; today if null.")
    note: str | None = strawberry.field(default=None, description="Why, for the membership's history.")


@strawberry.input(description="Approve an application: the applicant becomes an active member.")
class ApproveMembershipInput(MembershipDecisionInput):
    pass


@strawberry.input(description="Reject an application.")
class RejectMembershipInput(MembershipDecisionInput):
    reason: str | None = reason_field()


@strawberry.input(description="Suspend an active membership.")
class SuspendMembershipInput(MembershipDecisionInput):
    reason: str | None = reason_field()


@strawberry.input(description="Reinstate a suspended membership.")
class ReinstateMembershipInput(MembershipDecisionInput):
    pass


@strawberry.input(description="Record that a member has left the alliance.")
class WithdrawMembershipInput(MembershipDecisionInput):
    reason: str | None = reason_field()


@strawberry.input(description="A new tier for a membership.")
class ChangeMembershipTierInput(MembershipDecisionInput):
    tier: MembershipTier = strawberry.field(description="The new tier.")


@strawberry.type(description="A membership after a mutation.")
class MembershipPayload(Payload):
    membership: Membership | None = strawberry.field(default=None, description="The membership as it now is.")


@strawberry.type(description="The result of applyForMembership.")
class ApplyForMembershipPayload(MembershipPayload):
    pass


@strawberry.type(description="The result of approveMembership.")
class ApproveMembershipPayload(MembershipPayload):
    pass


@strawberry.type(description="The result of rejectMembership.")
class RejectMembershipPayload(MembershipPayload):
    pass


@strawberry.type(description="The result of suspendMembership.")
class SuspendMembershipPayload(MembershipPayload):
    pass


@strawberry.type(description="The result of reinstateMembership.")
class ReinstateMembershipPayload(MembershipPayload):
    pass


@strawberry.type(description="The result of withdrawMembership.")
class WithdrawMembershipPayload(MembershipPayload):
    pass


@strawberry.type(description="The result of changeMembershipTier.")
class ChangeMembershipTierPayload(MembershipPayload):
    pass


@strawberry.input(description="Which working group, and for which municipality.")
class WorkingGroupSeatInput:
    working_group_id: relay.GlobalID = strawberry.field(description="The WorkingGroup's ID.")
    municipality_code: str | None = strawberry.field(
        default=None, description="Staff may leave it out (their own); the secretariat must give it."
    )


@strawberry.input(description="A full member joining a working group.")
class JoinWorkingGroupInput(WorkingGroupSeatInput):
    pass


@strawberry.input(description="A member leaving a working group.")
class LeaveWorkingGroupInput(WorkingGroupSeatInput):
    pass


@strawberry.type(description="A working-group seat after a mutation.")
class WorkingGroupSeatPayload(Payload):
    seat: strawberry.Private[models.WorkingGroupParticipant | None] = None

    @strawberry.field(description="The working group.")
    async def working_group(self, info: Info) -> WorkingGroup | None:
        if self.seat is None:
            return None
        return WorkingGroup.from_model(await info.context.loaders.working_group_by_id.load(self.seat.working_group_id))

    @strawberry.field(description="The member's membership.")
    async def membership(self, info: Info) -> Membership | None:
        if self.seat is None:
            return None
        return Membership.from_model(await info.context.loaders.membership_by_id.load(self.seat.membership_id))


@strawberry.type(description="The result of joinWorkingGroup.")
class JoinWorkingGroupPayload(WorkingGroupSeatPayload):
    pass


@strawberry.type(description="The result of leaveWorkingGroup.")
class LeaveWorkingGroupPayload(WorkingGroupSeatPayload):
    pass


@strawberry.input(description="A successor alliance, founded without dissolving its predecessor.")
class FoundSuccessorAllianceInput:
    predecessor_slug: str = strawberry.field(description="The alliance being succeeded.")
    slug: str = strawberry.field(description="The new alliance's slug.")
    name: str = strawberry.field(description="The official name in Japanese.")
    founded_on: dt.date = strawberry.field(description="The founding date; the carry-over takes effect then.")
    name_en: str | None = strawberry.field(default=None, description="The name in English.")
    short_name: str | None = strawberry.field(default=None, description="The common short name.")
    mission: str | None = strawberry.field(default=None, description="What it sets out to do.")
    vision: str | None = strawberry.field(default=None, description="How it means to get there.")


@strawberry.type(description="The result of foundSuccessorAlliance.")
class FoundSuccessorAlliancePayload(Payload):
    alliance: Alliance | None = strawberry.field(default=None, description="The new alliance.")


@strawberry.input(description="A new officer's term.")
class AppointOfficerInput:
    alliance_slug: str = strawberry.field(description="The alliance.")
    role: OfficerRole = strawberry.field(description="The office.")
    person_name: str = strawberry.field(description="The office holder's name.")
    title: str | None = strawberry.field(default=None, description="Their title, e.g. 高石市長.")
    municipality_code: str | None = strawberry.field(
        default=None, description="The member whose mayor holds the seat; null only for advisers."
    )
    started_on: dt.date | None = strawberry.field(default=None, description="When the term begins; today if null.")


@strawberry.type(description="The result of appointOfficer.")
class AppointOfficerPayload(Payload):
    officer: Officer | None = strawberry.field(default=None, description="The new term.")


@strawberry.input(description="The end of an officer's term.")
class EndOfficerTermInput:
    officer_id: relay.GlobalID = strawberry.field(description="The Officer's ID.")
    ended_on: dt.date | None = strawberry.field(default=None, description="The last day; today if null.")
    reason: str | None = reason_field()


@strawberry.type(description="The result of endOfficerTerm.")
class EndOfficerTermPayload(Payload):
    officer: Officer | None = strawberry.field(default=None, description="The ended term.")


@strawberry.input(description="A new mayor of a municipality that holds officer seats.")
class RecordMayoralChangeInput:
    municipality_code: str = strawberry.field(description="The municipality's six-digit code.")
    person_name: str = strawberry.field(description="The new mayor's name.")
    since: dt.date = strawberry.field(description="The first day of the new mayor's term.")
    title: str | None = strawberry.field(default=None, description="The new holder's title; the seat's own if null.")


@strawberry.type(description="The result of recordMayoralChange.")
class RecordMayoralChangePayload(Payload):
    officers: list[Officer] = strawberry.field(
        default_factory=list, description="The new terms, one per seat the mayor holds."
    )


async def decide(
    info: Info, input: MembershipDecisionInput, decision: Decision, reason: str | None = None
) -> tuple[Membership | None, list[UserError]]:
    row, errors = await mutate(
        info,
        lambda: membership.decide(
            node_id(input.membership_id, "Membership", "membershipId"), decision, input.effective_on, input.note
        ),
        reason=reason,
    )
    return (Membership.from_model(row) if row else None), errors


@strawberry.type
class AllianceMutation:
    @strawberry.mutation(description="Apply to join an alliance; the secretariat approves or rejects.")
    async def apply_for_membership(
        self, info: Info, input: Annotated[ApplyForMembershipInput, strawberry.argument(description="The application.")]
    ) -> ApplyForMembershipPayload:
        row, errors = await mutate(
            info,
            lambda: membership.apply_for_membership(
                info.context.actor,
                input.alliance_slug,
                models.MembershipTier(input.tier.value),
                input.municipality_code,
                input.note,
            ),
        )
        return ApplyForMembershipPayload(membership=Membership.from_model(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="Approve an application (APPLIED → ACTIVE).")
    async def approve_membership(
        self, info: Info, input: Annotated[ApproveMembershipInput, strawberry.argument(description="The decision.")]
    ) -> ApproveMembershipPayload:
        row, errors = await decide(info, input, Decision.APPROVE)
        return ApproveMembershipPayload(membership=row, user_errors=errors)

    @strawberry.mutation(description="Reject an application (APPLIED → REJECTED).")
    async def reject_membership(
        self, info: Info, input: Annotated[RejectMembershipInput, strawberry.argument(description="The decision.")]
    ) -> RejectMembershipPayload:
        row, errors = await decide(info, input, Decision.REJECT, input.reason)
        return RejectMembershipPayload(membership=row, user_errors=errors)

    @strawberry.mutation(description="Suspend a membership (ACTIVE → SUSPENDED).")
    async def suspend_membership(
        self, info: Info, input: Annotated[SuspendMembershipInput, strawberry.argument(description="The decision.")]
    ) -> SuspendMembershipPayload:
        row, errors = await decide(info, input, Decision.SUSPEND, input.reason)
        return SuspendMembershipPayload(membership=row, user_errors=errors)

    @strawberry.mutation(description="Reinstate a membership (SUSPENDED → ACTIVE).")
    async def reinstate_membership(
        self, info: Info, input: Annotated[ReinstateMembershipInput, strawberry.argument(description="The decision.")]
    ) -> ReinstateMembershipPayload:
        row, errors = await decide(info, input, Decision.REINSTATE)
        return ReinstateMembershipPayload(membership=row, user_errors=errors)

    @strawberry.mutation(description="Record a withdrawal (ACTIVE or SUSPENDED → WITHDRAWN); working-group seats end.")
    async def withdraw_membership(
        self, info: Info, input: Annotated[WithdrawMembershipInput, strawberry.argument(description="The decision.")]
    ) -> WithdrawMembershipPayload:
        row, errors = await decide(info, input, Decision.WITHDRAW, input.reason)
        return WithdrawMembershipPayload(membership=row, user_errors=errors)

    @strawberry.mutation(description="Change a membership's tier; a member that becomes SUPPORTING leaves its working groups.")
    async def change_membership_tier(
        self, info: Info, input: Annotated[ChangeMembershipTierInput, strawberry.argument(description="The new tier.")]
    ) -> ChangeMembershipTierPayload:
        row, errors = await mutate(
            info,
            lambda: membership.change_tier(
                node_id(input.membership_id, "Membership", "membershipId"),
                models.MembershipTier(input.tier.value),
                input.effective_on,
                input.note,
            ),
        )
        return ChangeMembershipTierPayload(membership=Membership.from_model(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="Take part in a working group.")
    async def join_working_group(
        self, info: Info, input: Annotated[JoinWorkingGroupInput, strawberry.argument(description="The group.")]
    ) -> JoinWorkingGroupPayload:
        seat, errors = await mutate(
            info,
            lambda: membership.join_working_group(
                info.context.actor, node_id(input.working_group_id, "WorkingGroup", "workingGroupId"), input.municipality_code
            ),
        )
        return JoinWorkingGroupPayload(seat=seat, user_errors=errors)

    @strawberry.mutation(description="Stop taking part in a working group; the seat is ended, not deleted.")
    async def leave_working_group(
        self, info: Info, input: Annotated[LeaveWorkingGroupInput, strawberry.argument(description="The group.")]
    ) -> LeaveWorkingGroupPayload:
        seat, errors = await mutate(
            info,
            lambda: membership.leave_working_group(
                info.context.actor, node_id(input.working_group_id, "WorkingGroup", "workingGroupId"), input.municipality_code
            ),
        )
        return LeaveWorkingGroupPayload(seat=seat, user_errors=errors)

    @strawberry.mutation(
        description="Found a successor alliance without dissolution: active members move across with "
        "their tiers, running officers and the secretariat continue, unpaid dues carry over unsettled."
    )
    async def found_successor_alliance(
        self, info: Info, input: Annotated[FoundSuccessorAllianceInput, strawberry.argument(description="The successor.")]
    ) -> FoundSuccessorAlliancePayload:
        row, errors = await mutate(
            info,
            lambda: succession.found_successor(
                predecessor_slug=input.predecessor_slug,
                slug=input.slug,
                name=input.name,
                name_en=input.name_en,
                short_name=input.short_name,
                founded_on=input.founded_on,
                mission=input.mission,
                vision=input.vision,
            ),
        )
        return FoundSuccessorAlliancePayload(alliance=Alliance.from_model(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="Begin an officer's term.")
    async def appoint_officer(
        self, info: Info, input: Annotated[AppointOfficerInput, strawberry.argument(description="The term.")]
    ) -> AppointOfficerPayload:
        row, errors = await mutate(
            info,
            lambda: officer.appoint_officer(
                alliance_slug=input.alliance_slug,
                role=models.OfficerRole(input.role.value),
                person_name=input.person_name,
                title=input.title,
                municipality_code=input.municipality_code,
                started_on=input.started_on,
            ),
        )
        return AppointOfficerPayload(officer=from_row(Officer, row) if row else None, user_errors=errors)

    @strawberry.mutation(description="End an officer's term; the record stays as history.")
    async def end_officer_term(
        self, info: Info, input: Annotated[EndOfficerTermInput, strawberry.argument(description="The term.")]
    ) -> EndOfficerTermPayload:
        row, errors = await mutate(
            info,
            lambda: officer.end_officer_term(node_id(input.officer_id, "Officer", "officerId"), input.ended_on),
            reason=input.reason,
        )
        return EndOfficerTermPayload(officer=from_row(Officer, row) if row else None, user_errors=errors)

    @strawberry.mutation(
        description="Hand a municipality's officer seats to its new mayor after an election; the "
        "outgoing terms end the day before and stay as history."
    )
    async def record_mayoral_change(
        self, info: Info, input: Annotated[RecordMayoralChangeInput, strawberry.argument(description="The new mayor.")]
    ) -> RecordMayoralChangePayload:
        rows, errors = await mutate(
            info,
            lambda: officer.record_mayoral_change(
                municipality_code=input.municipality_code,
                person_name=input.person_name,
                title=input.title,
                since=input.since,
            ),
        )
        return RecordMayoralChangePayload(officers=[from_row(Officer, row) for row in rows or []], user_errors=errors)
