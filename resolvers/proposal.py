"""Proposals for published challenges, their selection, and the projects that follow.

A proposal is private between its partner and the challenge's municipality (and the secretariat);
`visible_proposals` and `is_visible` are the one statement of that rule. Only the challenge's own
municipality shortlists and selects, and moves a selected proposal's project through its phases,
in order: define the challenge → pilot (実証実験) → commercialisation (事業化); any may end instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tortoise.queryset import QuerySet

from i18n import field_label, message
from models import (
    CaseStudy,
    Challenge,
    ChallengeStatus,
    Municipality,
    NotificationKind,
    Offering,
    Partner,
    ProjectPhase,
    Proposal,
    ProposalStatus,
)
from resolvers.access import Actor, is_party, visible_to_parties
from resolvers.audit import Change, assign, created, target_of
from resolvers.calendar import now, today
from resolvers.case_study import CaseStudyDraft, create_case_study
from resolvers.errors import Refused, state_name
from resolvers.notification import Recipient, municipality_named, notify, partner_named

Status = ProposalStatus
Phase = ProjectPhase
PHASE_ORDER = (Phase.DEFINING, Phase.PILOT, Phase.COMMERCIALISATION)
WAITING = (Status.SUBMITTED, Status.SHORTLISTED)


@dataclass(frozen=True, kw_only=True)
class ProposalQuery:
    status: ProposalStatus | None = None
    challenge_id: int | None = None


def visible_proposals(actor: Actor, query: ProposalQuery) -> QuerySet[Proposal]:
    """The secretariat sees all; a municipality the proposals on its challenges; a partner its own."""
    queryset = visible_to_parties(actor, Proposal.all())
    if query.status is not None:
        queryset = queryset.filter(status=query.status)
    if query.challenge_id is not None:
        queryset = queryset.filter(challenge_id=query.challenge_id)
    return queryset.order_by("-id")


def is_visible(actor: Actor, proposal: Proposal) -> bool:
    return is_party(actor, proposal)


async def submit(
    actor: Actor, challenge_id: int, title: str, summary: str, offering_id: int | None
) -> Change[Proposal]:
    partner_id = actor.partner_id
    assert partner_id is not None, "the mutation's rule admits partner staff only"
    # Locked so that a proposal cannot slip in while the municipality closes the challenge.
    challenge = await Challenge.select_for_update().get_or_none(id=challenge_id)
    if challenge is None or challenge.status in (ChallengeStatus.DRAFT, ChallengeStatus.IN_REVIEW):
        raise Refused("NOT_FOUND", message("errors.proposal.no_published_challenge"), field=("input", "challengeId"))
    if challenge.status is not ChallengeStatus.PUBLISHED:
        raise Refused("INVALID_TRANSITION", message("errors.proposal.challenge_not_open", status=state_name(challenge.status)),
                      field=("input", "challengeId"))
    if challenge.deadline is None or challenge.deadline < today():
        raise Refused("OUTSIDE_PERIOD", message("errors.proposal.deadline_passed", deadline=challenge.deadline), field=("input", "challengeId"))
    if not title.strip() or not summary.strip():
        field = "title" if not title.strip() else "summary"
        raise Refused("INVALID", message("errors.proposal.text_missing", field=field_label(field)), field=("input", field))
    if offering_id is not None and not await Offering.exists(id=offering_id, partner_id=partner_id):
        raise Refused("NOT_FOUND", message("errors.offering.no_such_own_offering"), field=("input", "offeringId"))
    if await Proposal.exists(challenge_id=challenge.id, partner_id=partner_id):
        raise Refused("ALREADY_EXISTS", message("errors.proposal.already_proposed"),
                      field=("input", "challengeId"))
    proposal = await Proposal.create(
        challenge=challenge,
        partner_id=partner_id,
        municipality_id=challenge.municipality_id,
        offering_id=offering_id,
        title=title.strip(),
        summary=summary,
        submitted_by_id=actor.user_id,
    )
    await notify(
        Recipient(municipality_id=challenge.municipality_id),
        NotificationKind.PROPOSAL_RECEIVED,
        proposal,
        "Proposal",
        proposal=proposal.title,
        challenge=challenge.title,
        partner=await partner_named(partner_id),
    )
    return Change(proposal, target_of(proposal), created(proposal, "challenge_id", "partner_id", "status"))


async def proposal_for_municipality(actor: Actor, proposal_id: int) -> Proposal:
    """A proposal on one of the caller's municipality's challenges, locked for the change."""
    proposal = await Proposal.select_for_update().get_or_none(id=proposal_id)
    if proposal is None or not actor.is_staff_of_municipality(proposal.municipality_id):
        raise Refused("NOT_FOUND", message("errors.proposal.no_such_proposal_on_challenges"), field=("input", "proposalId"))
    return proposal


def require_status(proposal: Proposal, *allowed: ProposalStatus, doing: str) -> None:
    if proposal.status not in allowed:
        raise Refused("INVALID_TRANSITION", message("errors.proposal.bad_transition", status=state_name(proposal.status), step=message(f"errors.steps.{doing}")),
                      field=("input", "proposalId"))


async def open_challenge_of(proposal: Proposal) -> Challenge:
    challenge = await Challenge.get(id=proposal.challenge_id)
    if challenge.status is not ChallengeStatus.PUBLISHED:
        raise Refused("INVALID_TRANSITION", message("errors.proposal.challenge_status", status=state_name(challenge.status)), field=("input", "proposalId"))
    return challenge


async def shortlist(actor: Actor, proposal_id: int) -> Change[Proposal]:
    proposal = await proposal_for_municipality(actor, proposal_id)
    require_status(proposal, Status.SUBMITTED, doing="shortlisted")
    challenge = await open_challenge_of(proposal)
    changes = assign(proposal, status=Status.SHORTLISTED)
    await proposal.save()
    await notify(Recipient(partner_id=proposal.partner_id), NotificationKind.PROPOSAL_SHORTLISTED,
                 proposal, "Proposal", proposal=proposal.title, challenge=challenge.title,
                 municipality=await municipality_named(proposal.municipality_id))
    return Change(proposal, target_of(proposal), changes)


async def select(actor: Actor, proposal_id: int) -> Change[Proposal]:
    """Select a proposal: it becomes a project in its first phase, defining the challenge."""
    proposal = await proposal_for_municipality(actor, proposal_id)
    require_status(proposal, *WAITING, doing="selected")
    challenge = await open_challenge_of(proposal)
    changes = assign(proposal, status=Status.SELECTED, decided_at=now(), phase=Phase.DEFINING, phase_changed_at=now())
    await proposal.save()
    await notify(Recipient(partner_id=proposal.partner_id), NotificationKind.PROPOSAL_SELECTED,
                 proposal, "Proposal", proposal=proposal.title, challenge=challenge.title,
                 municipality=await municipality_named(proposal.municipality_id))
    return Change(proposal, target_of(proposal), changes)


MAX_DECLINE_MESSAGE = 2000


async def decline(actor: Actor, proposal_id: int, note: str) -> Change[Proposal]:
    """Decide against one proposal while the challenge is still open, telling its partner why."""
    proposal = await proposal_for_municipality(actor, proposal_id)
    require_status(proposal, *WAITING, doing="declined")
    challenge = await open_challenge_of(proposal)
    if not note.strip():
        raise Refused("INVALID", message("errors.proposal.decline_message_missing"), field=("input", "message"))
    if len(note) > MAX_DECLINE_MESSAGE:
        raise Refused("INVALID", message("errors.proposal.decline_message_too_long", limit=MAX_DECLINE_MESSAGE),
                      field=("input", "message"))
    changes = assign(proposal, status=Status.NOT_SELECTED, decided_at=now(), decline_message=note.strip())
    await proposal.save()
    await notify(Recipient(partner_id=proposal.partner_id), NotificationKind.PROPOSAL_DECLINED,
                 proposal, "Proposal", proposal=proposal.title, challenge=challenge.title, message=note.strip(),
                 municipality=await municipality_named(proposal.municipality_id))
    return Change(proposal, target_of(proposal), changes)


async def own_proposal(actor: Actor, proposal_id: int) -> Proposal:
    """A proposal of the caller's organisation, locked for the change; any other is as if it did not exist."""
    proposal = await Proposal.select_for_update().get_or_none(id=proposal_id)
    if proposal is None or not actor.is_staff_of_partner(proposal.partner_id):
        raise Refused("NOT_FOUND", message("errors.proposal.no_such_own_proposal"), field=("input", "proposalId"))
    return proposal


@dataclass(frozen=True, kw_only=True)
class ProposalChanges:
    """A proposal's fields as updateProposal gives them; None leaves a field as it is."""

    title: str | None = None
    summary: str | None = None
    offering_id: int | None = None


async def update(actor: Actor, proposal_id: int, changes_asked: ProposalChanges) -> Change[Proposal]:
    """Change a proposal the municipality has not yet acted on, before the challenge's deadline."""
    proposal = await own_proposal(actor, proposal_id)
    require_status(proposal, Status.SUBMITTED, doing="changed")
    challenge = await open_challenge_of(proposal)
    if challenge.deadline is None or challenge.deadline < today():
        raise Refused("OUTSIDE_PERIOD", message("errors.proposal.deadline_passed", deadline=challenge.deadline),
                      field=("input", "proposalId"))
    for name in ("title", "summary"):
        value = getattr(changes_asked, name)
        if value is not None and not value.strip():
            raise Refused("INVALID", message("errors.proposal.text_missing", field=name), field=("input", name))
    offering_id = changes_asked.offering_id
    if offering_id is not None and not await Offering.exists(id=offering_id, partner_id=proposal.partner_id):
        raise Refused("NOT_FOUND", message("errors.offering.no_such_own_offering"), field=("input", "offeringId"))
    values = {name: value for name, value in vars(changes_asked).items() if value is not None}
    if changes_asked.title is not None:
        values["title"] = changes_asked.title.strip()
    changes = assign(proposal, **values)
    await proposal.save()
    if changes:
        await notify(Recipient(municipality_id=proposal.municipality_id), NotificationKind.PROPOSAL_UPDATED,
                     proposal, "Proposal", proposal=proposal.title, challenge=challenge.title,
                     partner=await partner_named(proposal.partner_id))
    return Change(proposal, target_of(proposal), changes)


async def withdraw(actor: Actor, proposal_id: int) -> Change[Proposal]:
    proposal = await own_proposal(actor, proposal_id)
    require_status(proposal, *WAITING, doing="withdrawn")
    changes = assign(proposal, status=Status.WITHDRAWN, decided_at=now())
    await proposal.save()
    return Change(proposal, target_of(proposal), changes)


@dataclass(frozen=True, kw_only=True)
class PilotPlan:
    starts_on: dt.date
    scale: str
    ends_on: dt.date | None = None


async def project_of(actor: Actor, proposal_id: int) -> Proposal:
    proposal = await proposal_for_municipality(actor, proposal_id)
    if proposal.status is not Status.SELECTED:
        raise Refused("INVALID_TRANSITION", message("errors.proposal.only_selected_is_project"), field=("input", "proposalId"))
    return proposal


async def changed_phase(proposal: Proposal, changes: dict, change: str, on: dt.date | None = None) -> Change[Proposal]:
    """Save a phase change and tell the partner; `change` names the notification's variant
    (`notification.PROJECT_PHASE_CHANGED.<change>`), `on` the day it gives."""
    changes |= assign(proposal, phase_changed_at=now())
    await proposal.save()
    dated = {"on": on.isoformat()} if on is not None else {}
    await notify(Recipient(partner_id=proposal.partner_id), NotificationKind.PROJECT_PHASE_CHANGED,
                 proposal, "Proposal", change=change, project=proposal.title,
                 municipality=await municipality_named(proposal.municipality_id), **dated)
    return Change(proposal, target_of(proposal), changes)


async def advance(actor: Actor, proposal_id: int, to: ProjectPhase, pilot: PilotPlan | None) -> Change[Proposal]:
    """Move a project to the next phase, never skipping one or going back."""
    proposal = await project_of(actor, proposal_id)
    current = proposal.phase
    expected = PHASE_ORDER[PHASE_ORDER.index(current) + 1] if current in PHASE_ORDER[:-1] else None
    if to is not expected:
        raise Refused(
            "INVALID_TRANSITION",
            message("errors.proposal.bad_phase", current=state_name(current) if current else message("errors.proposal.no_phase"), to=state_name(to)),
            field=("input", "phase"),
        )
    if to is Phase.PILOT:
        if pilot is None or not pilot.scale.strip():
            raise Refused("INVALID", message("errors.proposal.pilot_missing"), field=("input", "pilot"))
        if pilot.ends_on is not None and pilot.ends_on < pilot.starts_on:
            raise Refused("INVALID", message("errors.proposal.pilot_ends_before_start"), field=("input", "pilot", "endsOn"))
        changes = assign(proposal, phase=to, pilot_starts_on=pilot.starts_on, pilot_ends_on=pilot.ends_on,
                         pilot_scale=pilot.scale.strip())
        return await changed_phase(proposal, changes, "PILOT_STARTED", pilot.starts_on)
    if proposal.pilot_result is None:
        raise Refused("INVALID_TRANSITION", message("errors.proposal.end_pilot_first"),
                      field=("input", "phase"))
    return await changed_phase(proposal, assign(proposal, phase=to), "COMMERCIALISATION")


async def end_pilot(actor: Actor, proposal_id: int, ended_on: dt.date, result: str) -> Change[Proposal]:
    proposal = await project_of(actor, proposal_id)
    if proposal.phase is not Phase.PILOT or proposal.pilot_result is not None:
        raise Refused("INVALID_TRANSITION", message("errors.proposal.only_running_pilot_ends"), field=("input", "proposalId"))
    assert proposal.pilot_starts_on is not None
    if ended_on < proposal.pilot_starts_on or ended_on > today():
        raise Refused("INVALID", message("errors.proposal.pilot_end_date"), field=("input", "endedOn"))
    if not result.strip():
        raise Refused("INVALID", message("errors.proposal.pilot_result_missing"), field=("input", "result"))
    changes = assign(proposal, pilot_ends_on=ended_on, pilot_result=result.strip())
    return await changed_phase(proposal, changes, "PILOT_ENDED", ended_on)


async def end(actor: Actor, proposal_id: int, reason: str) -> Change[Proposal]:
    proposal = await project_of(actor, proposal_id)
    if proposal.phase is Phase.ENDED:
        raise Refused("INVALID_TRANSITION", message("errors.proposal.project_ended_already"), field=("input", "proposalId"))
    if not reason.strip():
        raise Refused("INVALID", message("errors.proposal.end_reason_missing"), field=("input", "reason"))
    changes = assign(proposal, phase=Phase.ENDED, ended_reason=reason.strip())
    return await changed_phase(proposal, changes, "ENDED")


PITCH_SOURCE = "tsunagu"


async def publish_case_study(actor: Actor, proposal_id: int, summary: str, outcome: str | None) -> Change[CaseStudy]:
    """A commercialised project becomes a case study, with the pitch's figures, for others to adopt."""
    proposal = await project_of(actor, proposal_id)
    if proposal.phase is not Phase.COMMERCIALISATION:
        raise Refused("INVALID_TRANSITION", message("errors.proposal.only_commercialised_published"),
                      field=("input", "proposalId"))
    if proposal.case_study_id is not None:
        raise Refused("ALREADY_EXISTS", message("errors.proposal.published_already"), field=("input", "proposalId"))
    challenge = await Challenge.get(id=proposal.challenge_id).prefetch_related("themes")
    municipality = await Municipality.get(id=proposal.municipality_id)
    partner = await Partner.get(id=proposal.partner_id)
    case = await create_case_study(CaseStudyDraft(
        slug=f"pitch-{challenge.id}-{proposal.id}",
        title=challenge.title,
        organisation=f"{municipality.name} × {partner.name}",
        summary=summary,
        outcome=outcome or proposal.pilot_result,
        year=today().year,
        source=PITCH_SOURCE,
        theme_ids=tuple(t.id for t in challenge.themes),
        municipality_ids=(municipality.id,),
        partner_ids=(partner.id,),
    ))
    case.programme = f"Tsunagu government pitch, published {challenge.published_at:%Y-%m-%d}" if challenge.published_at else None
    case.proposals_received = await Proposal.filter(challenge_id=challenge.id, status__not=Status.WITHDRAWN).count()
    case.proposals_selected = await Proposal.filter(challenge_id=challenge.id, status=Status.SELECTED).count()
    await case.save(update_fields=["programme", "proposals_received", "proposals_selected"])
    proposal.case_study_id = case.id
    await proposal.save(update_fields=["case_study_id"])
    return Change(case, target_of(case), created(case, "slug", "title", "proposals_received", "proposals_selected"))
