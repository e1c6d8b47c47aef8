"""The case-study library: reading it, adding to it, and recording what spread (横展開).

Any municipality in the registry may record that it adopted a case, member or not: spreading
good practice beyond the alliance is the point of the library. A case cannot be adopted where
it took place. Adoptions are public; the note that comes with one is private to the secretariat
and the adopting municipality (see `schema.case_study.types`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from tortoise.expressions import RawSQL, Subquery
from tortoise.models import Model
from tortoise.queryset import QuerySet

from database.connection import dialect
from i18n import Named, field_label, kind_label, message
from models import (
    CaseStudy,
    CaseStudyAdoption,
    Municipality,
    Partner,
    Prefecture,
    SearchKind,
    Theme,
)
from resolvers.access import Actor
from resolvers.audit import Change, created, plain, target_of
from resolvers.calendar import today
from resolvers.errors import Refused
from resolvers.lookup import check_slug, municipality_code
from resolvers.membership import acting_municipality
from resolvers.partner import themes_numbered
from resolvers.registry import check_municipality_code, check_prefecture_code
from resolvers.search import case_study_body, index, matching_ids

M = TypeVar("M", bound=Model)
EARLIEST_YEAR = 1900
ADOPTION_COUNT = RawSQL(
    '(SELECT COUNT(*) FROM "case_study_adoption" '
    'WHERE "case_study_adoption"."case_study_id" = "case_study"."id")'
)
YEAR_MISSING = RawSQL('"case_study"."year" IS NULL')


class CaseStudyOrderField(StrEnum):
    ADOPTIONS = "ADOPTIONS"
    YEAR = "YEAR"
    TITLE = "TITLE"


DESCENDING_BY_DEFAULT = (CaseStudyOrderField.ADOPTIONS, CaseStudyOrderField.YEAR)


@dataclass(frozen=True, kw_only=True)
class CaseStudyQuery:
    theme_number: int | None = None
    prefecture_code: str | None = None
    municipality_code: str | None = None
    organisation: str | None = None
    partner_slug: str | None = None
    adopted_by: str | None = None
    search: str | None = None
    order_by: CaseStudyOrderField | None = None
    descending: bool | None = None


def case_studies(query: CaseStudyQuery) -> QuerySet[CaseStudy]:
    queryset = CaseStudy.all()
    if query.theme_number is not None:
        queryset = queryset.filter(themes__number=query.theme_number)
    if query.prefecture_code is not None:
        queryset = queryset.filter(prefectures__code=check_prefecture_code(query.prefecture_code))
    if query.municipality_code is not None:
        queryset = queryset.filter(
            municipalities__code=check_municipality_code(query.municipality_code)
        )
    if query.organisation is not None:
        queryset = queryset.filter(organisation__contains=query.organisation.strip())
    if query.partner_slug is not None:
        queryset = queryset.filter(partners__slug=query.partner_slug)
    if query.adopted_by is not None:
        adopters = CaseStudyAdoption.filter(
            municipality__code=check_municipality_code(query.adopted_by)
        )
        queryset = queryset.filter(id__in=Subquery(adopters.values("case_study_id")))
    if query.search is not None:
        queryset = queryset.filter(id__in=matching_ids(SearchKind.CASE_STUDY, query.search))
    return ordered(queryset.distinct(), query)


def ordered(queryset: QuerySet[CaseStudy], query: CaseStudyQuery) -> QuerySet[CaseStudy]:
    """Library order (by id) unless asked otherwise: most adopted and newest first, titles
    ascending, unless `descending` says otherwise; cases without a year always come last."""
    descending = (
        query.order_by in DESCENDING_BY_DEFAULT if query.descending is None else query.descending
    )
    sign = "-" if descending else ""
    if query.order_by is CaseStudyOrderField.ADOPTIONS:
        return queryset.annotate(adoption_count=ADOPTION_COUNT).order_by(
            f"{sign}adoption_count", "id"
        )
    if query.order_by is CaseStudyOrderField.YEAR:
        return queryset.annotate(year_missing=YEAR_MISSING).order_by(
            "year_missing", f"{sign}year", "id"
        )
    if query.order_by is CaseStudyOrderField.TITLE:
        return queryset.annotate(title_key=title_by_code()).order_by(f"{sign}title_key", "id")
    return queryset.order_by("id")


def title_by_code() -> RawSQL:
    """Titles by character code on both databases; PostgreSQL would follow its locale otherwise."""
    collation = ' COLLATE "C"' if dialect() == "postgres" else ""
    return RawSQL(f'"case_study"."title"{collation}')


async def case_study_by_slug(slug: str) -> CaseStudy | None:
    return await CaseStudy.get_or_none(slug=slug)


@dataclass(frozen=True, kw_only=True)
class CaseStudyDraft:
    """A new case study and what it links to, by database id."""

    slug: str
    title: str
    organisation: str
    summary: str
    source: str
    outcome: str | None = None
    year: int | None = None
    theme_ids: tuple[int, ...] = ()
    municipality_ids: tuple[int, ...] = ()
    partner_ids: tuple[int, ...] = ()


async def create_case_study(draft: CaseStudyDraft) -> CaseStudy:
    """Add a case with its links, searchable at once; a bad draft is `Refused`.

    Runs in the caller's transaction: a mutation that refuses later takes the case back out.
    """
    check_draft(draft)
    if await CaseStudy.exists(slug=draft.slug):
        raise Refused(
            "ALREADY_EXISTS",
            message("errors.case_study.slug_taken", slug=draft.slug),
            field=("input", "slug"),
        )
    themes = await rows_with_ids(Theme, draft.theme_ids, "themeIds")
    municipalities = await rows_with_ids(Municipality, draft.municipality_ids, "municipalityIds")
    partners = await rows_with_ids(Partner, draft.partner_ids, "partnerIds")
    case = await CaseStudy.create(
        slug=draft.slug,
        title=draft.title.strip(),
        organisation=draft.organisation.strip(),
        summary=draft.summary.strip(),
        outcome=(draft.outcome or "").strip() or None,
        year=draft.year,
        source=draft.source.strip(),
    )
    await link(case, "themes", themes)
    await link(case, "municipalities", municipalities)
    await link(
        case,
        "prefectures",
        await Prefecture.filter(id__in={m.prefecture_id for m in municipalities}),
    )
    await link(case, "partners", partners)
    await index(
        SearchKind.CASE_STUDY, case.id, case_study_body(case, [m.name for m in municipalities])
    )
    return case


def check_draft(draft: CaseStudyDraft) -> None:
    check_slug(draft.slug)
    for name in ("title", "organisation", "summary", "source"):
        if not getattr(draft, name).strip():
            raise Refused("INVALID", message("errors.case_study.text_missing", field=field_label(name)), field=("input", name))
    if draft.year is not None and not EARLIEST_YEAR <= draft.year <= today().year:
        raise Refused(
            "INVALID", message("errors.case_study.year_range", earliest=EARLIEST_YEAR), field=("input", "year")
        )


async def rows_with_ids(model: type[M], ids: tuple[int, ...], field: str) -> list[M]:
    rows = await model.filter(id__in=ids) if ids else []
    if len(rows) != len(set(ids)):
        raise Refused(
            "NOT_FOUND", message("errors.case_study.some_not_found", kind=kind_label(model.__name__)), field=("input", field)
        )
    return rows


async def link(case: CaseStudy, relation: str, rows: Sequence[Model]) -> None:
    if rows:
        await getattr(case, relation).add(*rows)


async def add_case_study(
    draft: CaseStudyDraft,
    *,
    theme_numbers: list[int],
    municipality_codes: list[str],
    partner_slugs: list[str],
) -> Change[CaseStudy]:
    """`createCaseStudy`: the draft's links named as the API names them (numbers, codes, slugs)."""
    themes = await themes_numbered(theme_numbers)
    field = ("input", "municipalityCodes")
    codes = [municipality_code(code, field) for code in municipality_codes]
    municipalities = await rows_named(Municipality, "code", codes, "municipalityCodes")
    partners = await rows_named(Partner, "slug", partner_slugs, "partnerSlugs")
    case = await create_case_study(
        dataclasses.replace(
            draft,
            theme_ids=tuple(t.id for t in themes),
            municipality_ids=tuple(m.id for m in municipalities),
            partner_ids=tuple(p.id for p in partners),
        )
    )
    return Change(case, target_of(case), created(case, "slug", "title", "organisation", "source"))


async def rows_named(model: type[M], key: str, names: list[str], field: str) -> list[M]:
    rows = await model.filter(**{f"{key}__in": names}) if names else []
    missing = sorted(set(names) - {getattr(row, key) for row in rows})
    if missing:
        raise Refused(
            "NOT_FOUND",
            message("errors.case_study.keys_not_found", kind=model.__name__, attribute=key, missing=", ".join(missing)),
            field=("input", field),
        )
    return rows


async def case_study_or_refuse(case_study_id: int) -> CaseStudy:
    case = await CaseStudy.get_or_none(id=case_study_id)
    if case is None:
        raise Refused("NOT_FOUND", message("errors.case_study.no_such_case_study"), field=("input", "caseStudyId"))
    return case


async def record_adoption(
    actor: Actor,
    case_study_id: int,
    municipality_code: str | None,
    adopted_on: dt.date | None,
    note: str | None,
) -> Change[CaseStudyAdoption]:
    municipality = await acting_municipality(actor, municipality_code)
    case = await case_study_or_refuse(case_study_id)
    if await case.municipalities.filter(id=municipality.id).exists():
        raise Refused(
            "INVALID",
            message("errors.case_study.adoption_in_origin", municipality=Named.of(municipality)),
            field=("input", "municipalityCode"),
        )
    adopted_on = adopted_on or today()
    if adopted_on > today():
        raise Refused(
            "INVALID", message("errors.case_study.adoption_in_future"), field=("input", "adoptedOn")
        )
    if await CaseStudyAdoption.exists(case_study_id=case.id, municipality_id=municipality.id):
        raise Refused(
            "ALREADY_EXISTS",
            message("errors.case_study.adopted_already", municipality=Named.of(municipality)),
            field=("input", "caseStudyId"),
        )
    adoption = await CaseStudyAdoption.create(
        case_study=case,
        municipality=municipality,
        adopted_on=adopted_on,
        note=(note or "").strip() or None,
    )
    return Change(
        adoption,
        target_of(adoption),
        created(adoption, "case_study_id", "municipality_id", "adopted_on"),
    )


async def withdraw_adoption(
    actor: Actor, case_study_id: int, municipality_code: str | None
) -> Change[CaseStudy]:
    municipality = await acting_municipality(actor, municipality_code)
    case = await case_study_or_refuse(case_study_id)
    adoption = await CaseStudyAdoption.select_for_update().get_or_none(
        case_study_id=case.id, municipality_id=municipality.id
    )
    if adoption is None:
        raise Refused(
            "NOT_FOUND",
            message("errors.case_study.not_adopted", municipality=Named.of(municipality)),
            field=("input", "caseStudyId"),
        )
    await adoption.delete()
    withdrawn = {
        "municipality_id": [municipality.id, None],
        "adopted_on": [plain(adoption.adopted_on), None],
    }
    return Change(case, target_of(adoption), withdrawn)
