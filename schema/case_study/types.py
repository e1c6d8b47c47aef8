"""Case studies as the API shows them."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Self

import strawberry
from strawberry import relay

import models
from resolvers.db.pagination import paginate_list
from schema.alliance.types import OrderDirection
from schema.context import Info
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
from schema.partner.types import Partner
from schema.permissions import SecretariatOrItsMunicipality
from schema.registry.types import Municipality, Prefecture
from schema.relation import Loaded, related, relation
from schema.theme.types import Theme


@strawberry.type(description="How a challenge published as a government pitch (ガバメントピッチ) fared.")
class PitchOutcome:
    programme: str | None = strawberry.field(description="The pitch programme, e.g. who ran it and when.")
    proposals_received: int | None = strawberry.field(description="How many proposals arrived.")
    proposals_selected: int | None = strawberry.field(description="How many were selected.")


@strawberry.type(description="A documented initiative other municipalities can learn from.")
class CaseStudy(ModelNode):
    model = models.CaseStudy
    id: relay.NodeID[int]
    slug: str = strawberry.field(description="A stable short name for URLs.")
    title: str = strawberry.field(description="The title in Japanese.")
    organisation: str = strawberry.field(description="Who runs the initiative: a company, body or municipality.")
    category: str | None = strawberry.field(description="The section or event the source files it under.")
    summary: str = strawberry.field(description="What was done, where and with whom.")
    outcome: str | None = strawberry.field(description="What came of it, with the figures the source gives.")
    year: int | None = strawberry.field(description="The year of the source, if given.")
    source: str = strawberry.field(description="Which source document the case comes from.")
    co_creators: list[str] = strawberry.field(description="Other organisations named as co-creators.")
    pitch: PitchOutcome | None = strawberry.field(description="The government-pitch figures, if it was one.")

    @classmethod
    def from_model(cls, row: models.CaseStudy) -> Self:
        pitch = None
        if row.programme or row.proposals_received is not None:
            pitch = PitchOutcome(
                programme=row.programme,
                proposals_received=row.proposals_received,
                proposals_selected=row.proposals_selected,
            )
        return cls(
            id=row.id,
            slug=row.slug,
            title=row.title,
            organisation=row.organisation,
            category=row.category,
            summary=row.summary,
            outcome=row.outcome,
            year=row.year,
            source=row.source,
            co_creators=list(row.co_creators),
            pitch=pitch,
        )

    @relation("list[Theme]", description="The themes the case serves, most relevant first by number.")
    def themes(self, info: Info) -> Loaded[list[Theme]]:
        return related(info.context.loaders.themes_by_case_study, self.id, Theme.from_models)

    @relation("list[Municipality]", description="The municipalities where it took place.")
    def municipalities(self, info: Info) -> Loaded[list[Municipality]]:
        return related(
            info.context.loaders.municipalities_by_case_study, self.id, Municipality.from_models
        )

    @relation("list[Prefecture]", description="The prefectures where it took place.")
    def prefectures(self, info: Info) -> Loaded[list[Prefecture]]:
        return related(
            info.context.loaders.prefectures_by_case_study, self.id, Prefecture.from_models
        )

    @relation(
        "list[Partner]",
        description="The alliance's partners among the organisations that ran or co-created it, by name.",
    )
    def partners(self, info: Info) -> Loaded[list[Partner]]:
        return related(info.context.loaders.partners_by_case_study, self.id, Partner.from_models)

    @relation("int", description="How many other municipalities recorded adopting it (横展開).")
    def adoption_count(self, info: Info) -> Loaded[int]:
        return related(info.context.loaders.adoptions_by_case_study, self.id, len)

    @strawberry.field(description="The municipalities that recorded adopting it, newest adoption first; paged.")
    async def adoptions(
        self,
        info: Info,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Connection[CaseStudyAdoption]:
        rows = await info.context.loaders.adoptions_by_case_study.load(self.id)
        page = paginate_list(rows, page_request(first, after, last, before))
        return to_connection(page, CaseStudyAdoption.from_model)


@strawberry.type(
    description="A municipality's record that it took up a case study (横展開). Public, so the "
    "library shows what spread; only the note is private."
)
class CaseStudyAdoption:
    adopted_on: dt.date = strawberry.field(description="When the municipality adopted it (Japan date).")
    recorded_at: dt.datetime = strawberry.field(description="When the adoption was recorded.")
    note: str | None = strawberry.field(
        description="What the municipality noted about adopting it. Private: the secretariat and "
        "the adopting municipality's staff only.",
        permission_classes=[SecretariatOrItsMunicipality],
    )
    case_study_id: strawberry.Private[int]
    municipality_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: models.CaseStudyAdoption) -> Self:
        return cls(
            adopted_on=row.adopted_on,
            recorded_at=row.recorded_at,
            note=row.note,
            case_study_id=row.case_study_id,
            municipality_id=row.municipality_id,
        )

    @relation("Municipality", description="The municipality that adopted it.")
    def municipality(self, info: Info) -> Loaded[Municipality]:
        return related(
            info.context.loaders.municipality_by_id, self.municipality_id, Municipality.from_model
        )

    @relation("CaseStudy", description="The case study adopted.")
    def case_study(self, info: Info) -> Loaded[CaseStudy]:
        return related(
            info.context.loaders.case_study_by_id, self.case_study_id, CaseStudy.from_model
        )


@strawberry.input(description="Narrows the case-study library; every given field must match.")
class CaseStudyFilter:
    theme_number: int | None = strawberry.field(default=None, description="Only cases serving this theme (1 to 10).")
    prefecture_code: str | None = strawberry.field(default=None, description='Only cases in this prefecture ("01" to "47").')
    municipality_code: str | None = strawberry.field(default=None, description="Only cases in this municipality (six-digit code).")
    organisation: str | None = strawberry.field(default=None, description="Part of the organisation's name.")
    partner_slug: str | None = strawberry.field(
        default=None, description="Only cases the partner with this slug ran or co-created."
    )
    adopted_by: str | None = strawberry.field(
        default=None, description="Only cases this municipality (six-digit code) recorded adopting."
    )
    search: str | None = strawberry.field(
        default=None,
        description="Japanese text anywhere in the case (substring; notation variants folded; kana "
        "also finds text written in kanji; at most 100 characters).",
    )


CaseStudyFilterArg = Annotated[
    CaseStudyFilter | None, strawberry.argument(description="Which case studies to include.")
]


@strawberry.enum(description="What to sort case studies by.")
class CaseStudyOrderField(Enum):
    _value_: str
    ADOPTIONS = strawberry.enum_value(
        "ADOPTIONS", description="How many municipalities adopted the case; by default most first."
    )
    YEAR = strawberry.enum_value(
        "YEAR", description="The year of the source; by default newest first; cases without a year last."
    )
    TITLE = strawberry.enum_value(
        "TITLE", description="The title, by character code (not by reading); by default ascending."
    )


@strawberry.input(description="The order of the case-study library.")
class CaseStudyOrder:
    field: CaseStudyOrderField = strawberry.field(description="What to sort by; ties go in library order.")
    direction: OrderDirection | None = strawberry.field(
        default=None, description="Ascending or descending; null for the field's default."
    )


CaseStudyOrderArg = Annotated[
    CaseStudyOrder | None, strawberry.argument(description="The order (default: library order, oldest entry first).")
]
