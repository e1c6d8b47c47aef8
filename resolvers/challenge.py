"""Regional challenges: drafting, the secretariat's optional review, publishing and closing.

Who sees what is decided here once: published and closed challenges are public; drafts, those
in review and withdrawn ones only to the municipality's own staff and the secretariat.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from i18n import field_label, message
from models import (
    Challenge,
    ChallengeStatus,
    NotificationKind,
    Proposal,
    ProposalStatus,
    ReviewOutcome,
    SearchKind,
)
from resolvers.access import Actor, may_act_for_municipality, require_current_member_with
from resolvers.audit import Change, assign, created, target_of
from resolvers.calendar import now, today
from resolvers.db.rows import column
from resolvers.entitlements import Benefit
from resolvers.errors import Refused, state_name
from resolvers.notification import Recipient, municipality_named, notify
from resolvers.partner import themes_numbered
from resolvers.registry import check_municipality_code
from resolvers.search import body, index, matching_ids, unindex

PUBLIC_STATUSES = (ChallengeStatus.PUBLISHED, ChallengeStatus.CLOSED)
MAX_ATTACHMENTS = 10
MAX_URL_LENGTH = 500


@dataclass(frozen=True)
class Attachment:
    """A document the challenge links to; the files themselves live elsewhere."""

    title: str
    url: str


@dataclass(frozen=True, kw_only=True)
class ChallengeDraft:
    """A challenge's fields as a mutation gives them; None leaves a field as it is on update."""

    title: str | None = None
    background: str | None = None
    desired_outcome: str | None = None
    budget_note: str | None = None
    deadline: dt.date | None = None
    attachments: list[Attachment] | None = None
    theme_numbers: list[int] | None = None


@dataclass(frozen=True, kw_only=True)
class ChallengeQuery:
    status: ChallengeStatus | None = None
    theme_number: int | None = None
    municipality_code: str | None = None
    open_only: bool = False
    search: str | None = None


def visible_challenges(actor: Actor, query: ChallengeQuery) -> QuerySet[Challenge]:
    """Public challenges, plus the caller's municipality's own (the secretariat sees all)."""
    queryset = Challenge.all()
    if not actor.is_admin:
        visible = Q(status__in=PUBLIC_STATUSES)
        if actor.municipality_id is not None:
            visible |= Q(municipality_id=actor.municipality_id)
        queryset = queryset.filter(visible)
    if query.status is not None:
        queryset = queryset.filter(status=query.status)
    if query.theme_number is not None:
        queryset = queryset.filter(themes__number=query.theme_number)
    if query.municipality_code is not None:
        queryset = queryset.filter(municipality__code=check_municipality_code(query.municipality_code))
    if query.open_only:
        queryset = queryset.filter(status=ChallengeStatus.PUBLISHED, deadline__gte=today())
    if query.search is not None:
        queryset = queryset.filter(id__in=matching_ids(SearchKind.CHALLENGE, query.search))
    return queryset.distinct().order_by("-published_at", "-id")


def is_visible(actor: Actor, challenge: Challenge) -> bool:
    """The same rule as `visible_challenges`, for one challenge already loaded."""
    return challenge.status in PUBLIC_STATUSES or may_act_for_municipality(actor, challenge.municipality_id)


def challenge_body(challenge: Challenge) -> str:
    return body([challenge.title], [challenge.background, challenge.desired_outcome])


async def owned_challenge(actor: Actor, challenge_id: int) -> Challenge:
    """A challenge of the caller's own municipality, locked for the change; any other is as if it
    did not exist."""
    challenge = await Challenge.select_for_update().get_or_none(id=challenge_id)
    if challenge is None or not actor.is_staff_of_municipality(challenge.municipality_id):
        raise Refused("NOT_FOUND", message("errors.challenge.no_such_own_challenge"), field=("input", "challengeId"))
    return challenge


def checked_attachments(attachments: list[Attachment]) -> list[dict[str, str]]:
    field = ("input", "attachments")
    if len(attachments) > MAX_ATTACHMENTS:
        raise Refused("INVALID", message("errors.challenge.too_many_attachments", limit=MAX_ATTACHMENTS), field=field)
    for attachment in attachments:
        url = urlsplit(attachment.url)
        if url.scheme not in ("https", "http") or not url.netloc or len(attachment.url) > MAX_URL_LENGTH:
            raise Refused("INVALID", message("errors.challenge.attachment_link"), field=field)
        if not attachment.title.strip():
            raise Refused("INVALID", message("errors.challenge.attachment_title_missing"), field=field)
    return [{"title": a.title.strip(), "url": a.url} for a in attachments]


def check_text(challenge: Challenge) -> None:
    for name, field in (("title", "title"), ("background", "background"), ("desired_outcome", "desiredOutcome")):
        if not getattr(challenge, name).strip():
            raise Refused("INVALID", message("errors.challenge.text_missing", field=field_label(field)), field=("input", field))


async def set_themes(challenge: Challenge, numbers: list[int]) -> list[int]:
    """Replace the themes; returns the numbers before."""
    before = sorted(await column(challenge.themes.all(), "number"))
    themes = await themes_numbered(numbers)
    await challenge.themes.clear()
    await challenge.themes.add(*themes)
    return before


async def create_challenge(actor: Actor, draft: ChallengeDraft) -> Change[Challenge]:
    municipality_id = actor.municipality_id
    assert municipality_id is not None, "the mutation's rule admits municipality staff only"
    await require_current_member_with(municipality_id, Benefit.PROJECTS)
    challenge = Challenge(
        municipality_id=municipality_id,
        title=(draft.title or "").strip(),
        background=draft.background or "",
        desired_outcome=draft.desired_outcome or "",
        budget_note=draft.budget_note,
        deadline=draft.deadline,
        attachments=checked_attachments(draft.attachments or []),
        created_by_id=actor.user_id,
    )
    check_text(challenge)
    await challenge.save()
    await set_themes(challenge, draft.theme_numbers or [])
    return Change(challenge, target_of(challenge), created(challenge, "municipality_id", "title", "status"))


async def update_challenge(actor: Actor, challenge_id: int, draft: ChallengeDraft) -> Change[Challenge]:
    challenge = await owned_challenge(actor, challenge_id)
    if challenge.status is not ChallengeStatus.DRAFT:
        raise Refused("INVALID_TRANSITION", message("errors.challenge.only_draft_editable", status=state_name(challenge.status)), field=("input", "challengeId"))
    values = {
        name: value
        for name, value in vars(draft).items()
        if value is not None and name not in ("theme_numbers", "attachments")
    }
    if draft.attachments is not None:
        values["attachments"] = checked_attachments(draft.attachments)
    changes = assign(challenge, **values)
    check_text(challenge)
    await challenge.save()
    if draft.theme_numbers is not None:
        before = await set_themes(challenge, draft.theme_numbers)
        if before != sorted(set(draft.theme_numbers)):
            changes["theme_numbers"] = [before, sorted(set(draft.theme_numbers))]
    return Change(challenge, target_of(challenge), changes)


def require_status(challenge: Challenge, *allowed: ChallengeStatus, doing: str) -> None:
    if challenge.status not in allowed:
        raise Refused(
            "INVALID_TRANSITION",
            message("errors.challenge.bad_transition", status=state_name(challenge.status), step=message(f"errors.steps.{doing}")),
            field=("input", "challengeId"),
        )


async def request_review(actor: Actor, challenge_id: int) -> Change[Challenge]:
    challenge = await owned_challenge(actor, challenge_id)
    require_status(challenge, ChallengeStatus.DRAFT, doing="sent_for_review")
    changes = assign(challenge, status=ChallengeStatus.IN_REVIEW, review_outcome=None, review_comment=None)
    await challenge.save()
    return Change(challenge, target_of(challenge), changes)


async def review(challenge_id: int, outcome: ReviewOutcome, comment: str | None) -> Change[Challenge]:
    """The secretariat's answer sends the challenge back to its municipality as a draft."""
    challenge = await Challenge.select_for_update().get_or_none(id=challenge_id)
    if challenge is None:
        raise Refused("NOT_FOUND", message("errors.challenge.no_such_challenge"), field=("input", "challengeId"))
    require_status(challenge, ChallengeStatus.IN_REVIEW, doing="reviewed")
    if outcome is ReviewOutcome.RETURNED and not (comment or "").strip():
        raise Refused("INVALID", message("errors.challenge.return_needs_comment"), field=("input", "comment"))
    changes = assign(challenge, status=ChallengeStatus.DRAFT, review_outcome=outcome, review_comment=comment)
    await challenge.save()
    await notify(Recipient(municipality_id=challenge.municipality_id), NotificationKind.CHALLENGE_REVIEWED,
                 challenge, "Challenge", change=outcome.value, challenge=challenge.title, comment=(comment or "").strip())
    return Change(challenge, target_of(challenge), changes)


async def publish(actor: Actor, challenge_id: int) -> Change[Challenge]:
    challenge = await owned_challenge(actor, challenge_id)
    if challenge.status is ChallengeStatus.IN_REVIEW:
        raise Refused("INVALID_TRANSITION", message("errors.challenge.in_review"),
                      field=("input", "challengeId"))
    require_status(challenge, ChallengeStatus.DRAFT, doing="published")
    await require_current_member_with(challenge.municipality_id, Benefit.PROJECTS)
    if challenge.deadline is None:
        raise Refused("INVALID", message("errors.challenge.deadline_missing"), field=("input", "deadline"))
    if challenge.deadline < today():
        raise Refused("INVALID", message("errors.challenge.deadline_passed"), field=("input", "deadline"))
    if not await challenge.themes.all().exists():
        raise Refused("INVALID", message("errors.challenge.theme_missing"), field=("input", "themeNumbers"))
    changes = assign(challenge, status=ChallengeStatus.PUBLISHED, published_at=now())
    await challenge.save()
    await index(SearchKind.CHALLENGE, challenge.id, challenge_body(challenge))
    return Change(challenge, target_of(challenge), changes)


async def decline_pending(challenge: Challenge) -> int:
    """Every proposal still waiting is not selected, and its partner is told."""
    pending = await Proposal.select_for_update().filter(
        challenge_id=challenge.id, status__in=(ProposalStatus.SUBMITTED, ProposalStatus.SHORTLISTED)
    )
    municipality = await municipality_named(challenge.municipality_id) if pending else None
    for proposal in pending:
        proposal.status = ProposalStatus.NOT_SELECTED
        proposal.decided_at = now()
        await proposal.save(update_fields=["status", "decided_at"])
        await notify(
            Recipient(partner_id=proposal.partner_id),
            NotificationKind.PROPOSAL_NOT_SELECTED,
            proposal,
            "Proposal",
            challenge=challenge.title,
            proposal=proposal.title,
            municipality=municipality,
        )
    return len(pending)


async def close(actor: Actor, challenge_id: int) -> Change[Challenge]:
    """No more proposals; every proposal not selected is told so."""
    challenge = await owned_challenge(actor, challenge_id)
    require_status(challenge, ChallengeStatus.PUBLISHED, doing="closed")
    changes = assign(challenge, status=ChallengeStatus.CLOSED, closed_at=now())
    await challenge.save()
    changes["not_selected"] = [None, await decline_pending(challenge)]
    return Change(challenge, target_of(challenge), changes)


async def withdraw(actor: Actor, challenge_id: int) -> Change[Challenge]:
    """Take back a challenge that has no selected proposal; it stays, private, as history."""
    challenge = await owned_challenge(actor, challenge_id)
    require_status(challenge, ChallengeStatus.DRAFT, ChallengeStatus.IN_REVIEW, ChallengeStatus.PUBLISHED,
                   doing="withdrawn")
    if await Proposal.exists(challenge_id=challenge.id, status=ProposalStatus.SELECTED):
        raise Refused("INVALID_TRANSITION", message("errors.challenge.proposal_selected"),
                      field=("input", "challengeId"))
    changes = assign(challenge, status=ChallengeStatus.WITHDRAWN, closed_at=now())
    await challenge.save()
    changes["not_selected"] = [None, await decline_pending(challenge)]
    await unindex(SearchKind.CHALLENGE, challenge.id)
    return Change(challenge, target_of(challenge), changes)
