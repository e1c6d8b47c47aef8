"""Reading partners and their offerings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tortoise.queryset import QuerySet

from i18n import message
from models import Audience, Offering, OfferingKind, Partner, PartnerKind, SearchKind, Theme
from resolvers import lookup
from resolvers.access import Actor, may_act_for_partner, require_partner
from resolvers.audit import Change, assign, created, target_of
from resolvers.errors import Refused
from resolvers.lookup import check_slug
from resolvers.offering_request import places_taken
from resolvers.search import index, matching_ids, offering_body, partner_body


@dataclass(frozen=True, kw_only=True)
class OfferingQuery:
    theme_number: int | None = None
    partner_slug: str | None = None
    audience: Audience | None = None
    kind: OfferingKind | None = None
    search: str | None = None


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
    taken = set(await Offering.filter(partner_id=partner.id).values_list("slug", flat=True))
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
    themes = await themes_numbered(draft.theme_numbers or [])
    await offering.save()
    await offering.themes.add(*themes)
    await index(SearchKind.OFFERING, offering.id, offering_body(offering, partner))
    return Change(offering, target_of(offering), created(offering, "partner_id", "title", "audience", "capacity"))


async def update_offering(actor: Actor, offering_id: int, draft: OfferingDraft) -> Change[Offering]:
    offering = await Offering.select_for_update().get_or_none(id=offering_id)
    if offering is None or not may_act_for_partner(actor, offering.partner_id):
        raise Refused("NOT_FOUND", message("errors.offering.no_such_own_offering"), field=("input", "offeringId"))
    values = {
        name: value
        for name, value in vars(draft).items()
        if value is not None and name != "theme_numbers"
    }
    changes = assign(offering, **values)
    check_offering(offering)
    if offering.capacity is not None:
        taken = await places_taken(offering.id)
        if offering.capacity < taken:
            raise Refused("INVALID", message("errors.offering.places_taken", taken=taken), field=("input", "capacity"))
    await offering.save()
    if draft.theme_numbers is not None:
        themes = await themes_numbered(draft.theme_numbers)
        before = sorted(await offering.themes.all().values_list("number", flat=True))
        await offering.themes.clear()
        await offering.themes.add(*themes)
        if before != sorted(draft.theme_numbers):
            changes["theme_numbers"] = [before, sorted(draft.theme_numbers)]
    await index(SearchKind.OFFERING, offering.id, offering_body(offering, await offering.partner))
    return Change(offering, target_of(offering), changes)
