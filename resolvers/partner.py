"""Reading partners and their offerings."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from tortoise.queryset import QuerySet

from i18n import message
from models import (
    Audience,
    Offering,
    OfferingKind,
    OfferingStatus,
    Partner,
    PartnerKind,
    SearchKind,
    Theme,
)
from resolvers import lookup
from resolvers.access import Actor, may_act_for_partner, require_partner
from resolvers.audit import Change, assign, created, target_of
from resolvers.db.rows import column
from resolvers.errors import Refused, state_name
from resolvers.lookup import check_slug
from resolvers.offering_request import places_taken
from resolvers.search import index, matching_ids, offering_body, partner_body, unindex


@dataclass(frozen=True, kw_only=True)
class OfferingQuery:
    theme_number: int | None = None
    partner_slug: str | None = None
    audience: Audience | None = None
    kind: OfferingKind | None = None
    search: str | None = None
    status: OfferingStatus | None = None


def partners() -> QuerySet[Partner]:
    return Partner.all().order_by("name", "id")


async def partner_by_slug(slug: str) -> Partner | None:
    return await Partner.get_or_none(slug=slug)


def offerings(query: OfferingQuery) -> QuerySet[Offering]:
    queryset = Offering.all()
    if query.theme_number is not None:
        queryset = queryset.filter(themes__number=query.theme_number)
    if query.partner_slug is not None:
        queryset = queryset.filter(partner__slug=query.partner_slug)
    if query.audience is not None:
        queryset = queryset.filter(audience=query.audience)
    if query.kind is not None:
        queryset = queryset.filter(kind=query.kind)
    if query.search is not None:
        queryset = queryset.filter(id__in=matching_ids(SearchKind.OFFERING, query.search))
    if query.status is None:
        queryset = queryset.exclude(status=OfferingStatus.WITHDRAWN)
    else:
        queryset = queryset.filter(status=query.status)
    return queryset.order_by("partner_id", "id")


async def create_partner(
    *, slug: str, name: str, name_en: str | None, kind: PartnerKind, description: str
) -> Change[Partner]:
    check_slug(slug)
    if await Partner.exists(slug=slug):
        raise Refused("ALREADY_EXISTS", message("errors.partner.slug_taken", slug=slug), field=("input", "slug"))
    if not name.strip():
        raise Refused("INVALID", message("errors.partner.name_missing"), field=("input", "name"))
    partner = await Partner.create(slug=slug, name=name.strip(), name_en=name_en, kind=kind, description=description)
    await index(SearchKind.PARTNER, partner.id, partner_body(partner))
    return Change(partner, target_of(partner), created(partner, "slug", "name", "kind"))


@dataclass(frozen=True, kw_only=True)
class PartnerDraft:
    """A partner's fields as updatePartner gives them; None leaves a field as it is."""

    name: str | None = None
    name_en: str | None = None
    kind: PartnerKind | None = None
    description: str | None = None


async def update_partner(slug: str, draft: PartnerDraft) -> Change[Partner]:
    partner = await lookup.partner_by_slug(slug, ("input", "slug"))
    if draft.name is not None and not draft.name.strip():
        raise Refused("INVALID", message("errors.partner.name_missing"), field=("input", "name"))
    values = {name: value for name, value in vars(draft).items() if value is not None}
    if "name" in values:
        values["name"] = values["name"].strip()
    if "name_en" in values:
        values["name_en"] = values["name_en"].strip() or None
    changes = assign(partner, **values)
    await partner.save()
    await index(SearchKind.PARTNER, partner.id, partner_body(partner))
    for offering in await Offering.filter(partner_id=partner.id).exclude(status=OfferingStatus.WITHDRAWN):
        await index(SearchKind.OFFERING, offering.id, offering_body(offering, partner))
    return Change(partner, target_of(partner), changes)


@dataclass(frozen=True, kw_only=True)
class OfferingDraft:
    """An offering's fields as a mutation gives them; None leaves a field as it is on update."""

    title: str | None = None
    kind: OfferingKind | None = None
    summary: str | None = None
    audience: Audience | None = None
    capacity: int | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    theme_numbers: list[int] | None = None
    confirm_duplicate: bool = False


def title_key(title: str) -> str:
    """A title as the duplicate check compares it: full-width letters and digits as half-width
    (NFKC), without spaces of any width (Japanese titles put them anywhere), no case."""
    return "".join(unicodedata.normalize("NFKC", title).split()).casefold()


async def check_not_duplicate(offering: Offering, confirmed: bool) -> None:
    """Refuse a title the partner already uses for an offering not withdrawn, unless confirmed."""
    if confirmed:
        return
    others = Offering.filter(partner_id=offering.partner_id).exclude(status=OfferingStatus.WITHDRAWN)
    if offering.id is not None:
        others = others.exclude(id=offering.id)
    key = title_key(offering.title)
    for title in await column(others, "title"):
        if title_key(title) == key:
            raise Refused(
                "POSSIBLE_DUPLICATE", message("errors.offering.duplicate_title", title=title), field=("input", "title")
            )


async def owning_partner(actor: Actor, partner_slug: str | None) -> Partner:
    """The partner the caller acts for: their own, or for the secretariat the one named."""
    field = ("input", "partnerSlug")
    if partner_slug is None:
        if actor.partner_id is None:
            raise Refused("INVALID", message("errors.partner.name_the_partner"), field=field)
        return await Partner.get(id=actor.partner_id)
    partner = await lookup.partner_by_slug(partner_slug, field)
    require_partner(actor, partner.id, field=field)
    return partner


async def themes_numbered(numbers: list[int]) -> list[Theme]:
    themes = await Theme.filter(number__in=numbers)
    if len(themes) != len(set(numbers)):
        raise Refused("INVALID", message("errors.partner.theme_range"), field=("input", "themeNumbers"))
    return themes


def check_offering(offering: Offering) -> None:
    if not offering.title.strip():
        raise Refused("INVALID", message("errors.offering.title_missing"), field=("input", "title"))
    if offering.capacity is not None and offering.capacity < 1:
        raise Refused("INVALID", message("errors.common.capacity_at_least_one"), field=("input", "capacity"))
    if offering.starts_on and offering.ends_on and offering.ends_on < offering.starts_on:
        raise Refused("INVALID", message("errors.offering.ends_before_start"), field=("input", "endsOn"))


async def next_offering_slug(partner: Partner) -> str:
    taken = set(await column(Offering.filter(partner_id=partner.id), "slug"))
    number = len(taken) + 1
    while f"{partner.slug}-{number}" in taken:
        number += 1
    return f"{partner.slug}-{number}"


async def create_offering(actor: Actor, partner_slug: str | None, draft: OfferingDraft) -> Change[Offering]:
    partner = await owning_partner(actor, partner_slug)
    offering = Offering(
        partner=partner,
        slug=await next_offering_slug(partner),
        title=(draft.title or "").strip(),
        kind=draft.kind,
        summary=draft.summary or "",
        audience=draft.audience,
        capacity=draft.capacity,
        starts_on=draft.starts_on,
        ends_on=draft.ends_on,
    )
    check_offering(offering)
    await check_not_duplicate(offering, draft.confirm_duplicate)
    themes = await themes_numbered(draft.theme_numbers or [])
    await offering.save()
    await offering.themes.add(*themes)
    await index(SearchKind.OFFERING, offering.id, offering_body(offering, partner))
    return Change(offering, target_of(offering), created(offering, "partner_id", "title", "audience", "capacity"))


async def update_offering(actor: Actor, offering_id: int, draft: OfferingDraft) -> Change[Offering]:
    offering = await Offering.select_for_update().get_or_none(id=offering_id)
    if offering is None or not may_act_for_partner(actor, offering.partner_id):
        raise Refused("NOT_FOUND", message("errors.offering.no_such_own_offering"), field=("input", "offeringId"))
    if offering.status is OfferingStatus.WITHDRAWN:
        raise Refused(
            "INVALID_TRANSITION", message("errors.offering.withdrawn_unchangeable"), field=("input", "offeringId")
        )
    values = {
        name: value
        for name, value in vars(draft).items()
        if value is not None and name not in ("theme_numbers", "confirm_duplicate")
    }
    changes = assign(offering, **values)
    check_offering(offering)
    if "title" in changes:
        await check_not_duplicate(offering, draft.confirm_duplicate)
    if offering.capacity is not None:
        taken = await places_taken(offering.id)
        if offering.capacity < taken:
            raise Refused("INVALID", message("errors.offering.places_taken", taken=taken), field=("input", "capacity"))
    await offering.save()
    if draft.theme_numbers is not None:
        themes = await themes_numbered(draft.theme_numbers)
        before = sorted(await column(offering.themes.all(), "number"))
        await offering.themes.clear()
        await offering.themes.add(*themes)
        if before != sorted(draft.theme_numbers):
            changes["theme_numbers"] = [before, sorted(draft.theme_numbers)]
    await index(SearchKind.OFFERING, offering.id, offering_body(offering, await offering.partner))
    return Change(offering, target_of(offering), changes)


class OfferingStep(StrEnum):
    PAUSE = "PAUSE"
    RESUME = "RESUME"
    WITHDRAW = "WITHDRAW"


# step → (the statuses it leaves, the status it leads to)
OFFERING_STEPS: dict[OfferingStep, tuple[frozenset[OfferingStatus], OfferingStatus]] = {
    OfferingStep.PAUSE: (frozenset({OfferingStatus.ACTIVE}), OfferingStatus.PAUSED),
    OfferingStep.RESUME: (frozenset({OfferingStatus.PAUSED}), OfferingStatus.ACTIVE),
    OfferingStep.WITHDRAW: (frozenset({OfferingStatus.ACTIVE, OfferingStatus.PAUSED}), OfferingStatus.WITHDRAWN),
}


async def change_offering_status(
    actor: Actor, offering_id: int, step: OfferingStep, reason: str | None = None
) -> Change[Offering]:
    """Pause, resume or withdraw an offering; a withdrawal needs a reason, which the audit entry keeps,
    and takes the offering out of search. Requests already made stay as they are, for the partner
    to answer."""
    offering = await Offering.select_for_update().get_or_none(id=offering_id)
    if offering is None or not may_act_for_partner(actor, offering.partner_id):
        raise Refused("NOT_FOUND", message("errors.offering.no_such_own_offering"), field=("input", "offeringId"))
    leaves, after = OFFERING_STEPS[step]
    if offering.status not in leaves:
        raise Refused(
            "INVALID_TRANSITION",
            message(
                "errors.offering.bad_step",
                status=state_name(offering.status),
                step=message(f"offering_step.{step.value}"),
            ),
            field=("input", "offeringId"),
        )
    reason = (reason or "").strip() or None
    if step is OfferingStep.WITHDRAW and reason is None:
        raise Refused("INVALID", message("errors.offering.reason_missing"), field=("input", "reason"))
    changes = assign(offering, status=after)
    await offering.save(update_fields=["status"])
    if reason is not None:
        changes["reason"] = [None, reason]
    if after is OfferingStatus.WITHDRAWN:
        await unindex(SearchKind.OFFERING, offering.id)
    return Change(offering, target_of(offering), changes)
