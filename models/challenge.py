"""Regional challenges (地域課題) and the partners' proposals for them: the government pitch.

A municipality drafts a challenge, may ask the secretariat to review it, and publishes it; partners
propose until the deadline; the municipality shortlists and selects. Each selected proposal is a
project that moves through the three phases of seed 004 (define → pilot → commercialise) or ends.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.theme import Theme


class ChallengeStatus(StrEnum):
    DRAFT = "DRAFT"
    IN_REVIEW = "IN_REVIEW"
    PUBLISHED = "PUBLISHED"
    CLOSED = "CLOSED"
    WITHDRAWN = "WITHDRAWN"


class ReviewOutcome(StrEnum):
    APPROVED = "APPROVED"
    RETURNED = "RETURNED"


class Challenge(Model):
    id = fields.IntField(primary_key=True)
    municipality: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Municipality", related_name="challenges", on_delete=fields.RESTRICT
    )
    municipality_id: int
    title = fields.CharField(max_length=200)
    background = fields.TextField()
    desired_outcome = fields.TextField()
    budget_note = fields.CharField(max_length=500, null=True)
    deadline = fields.DateField(null=True)
    attachments: fields.JSONField[list[dict[str, str]]] = fields.JSONField(default=list)
    status = fields.CharEnumField(ChallengeStatus, max_length=16, default=ChallengeStatus.DRAFT)
    review_outcome = fields.CharEnumField(ReviewOutcome, max_length=16, null=True)
    review_comment = fields.TextField(null=True)
    created_by_id = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    published_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)
    themes: fields.ManyToManyRelation[Theme] = fields.ManyToManyField(
        "models.Theme", related_name="challenges", through="challenge_theme"
    )

    class Meta:
        table = "challenge"
        ordering = ["-id"]


class ProposalStatus(StrEnum):
    SUBMITTED = "SUBMITTED"
    SHORTLISTED = "SHORTLISTED"
    SELECTED = "SELECTED"
    NOT_SELECTED = "NOT_SELECTED"
    WITHDRAWN = "WITHDRAWN"


class ProjectPhase(StrEnum):
    """The phases of seed 004's co-creation, in order; ENDED may follow any of the first three."""

    DEFINING = "DEFINING"
    PILOT = "PILOT"
    COMMERCIALISATION = "COMMERCIALISATION"
    ENDED = "ENDED"


class Proposal(Model):
    """A partner's proposal: private between the proposer and the challenge's municipality.

    `municipality` repeats the challenge's, so that who may see a proposal is decided from the row.
    """

    id = fields.IntField(primary_key=True)
    challenge: fields.ForeignKeyRelation[Challenge] = fields.ForeignKeyField(
        "models.Challenge", related_name="proposals", on_delete=fields.RESTRICT
    )
    challenge_id: int
    partner: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Partner", related_name="proposals", on_delete=fields.RESTRICT
    )
    partner_id: int
    municipality: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Municipality", related_name="proposals_received", on_delete=fields.RESTRICT
    )
    municipality_id: int
    offering: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Offering", related_name="proposals", null=True, on_delete=fields.SET_NULL
    )
    offering_id: int | None
    title = fields.CharField(max_length=200)
    summary = fields.TextField()
    submitted_by_id = fields.IntField(null=True)
    status = fields.CharEnumField(ProposalStatus, max_length=16, default=ProposalStatus.SUBMITTED)
    submitted_at = fields.DatetimeField(auto_now_add=True)
    decided_at = fields.DatetimeField(null=True)
    decline_message = fields.TextField(null=True)
    phase = fields.CharEnumField(ProjectPhase, max_length=20, null=True)
    pilot_starts_on = fields.DateField(null=True)
    pilot_ends_on = fields.DateField(null=True)
    pilot_scale = fields.CharField(max_length=500, null=True)
    pilot_result = fields.TextField(null=True)
    ended_reason = fields.TextField(null=True)
    phase_changed_at = fields.DatetimeField(null=True)
    case_study: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.CaseStudy", related_name="proposals", null=True, on_delete=fields.SET_NULL
    )
    case_study_id: int | None

    class Meta:
        table = "proposal"
        ordering = ["id"]
        unique_together = (("challenge_id", "partner_id"),)
