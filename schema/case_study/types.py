"""Case studies as the API shows them."""

from __future__ import annotations

from typing import Annotated, Self

import strawberry
from strawberry import relay

import models
from schema.context import Info
from schema.node import ModelNode
from schema.registry.types import Municipality, Prefecture
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

    @strawberry.field(description="The themes the case serves, most relevant first by number.")
    async def themes(self, info: Info) -> list[Theme]:
        return [Theme.from_model(r) for r in await info.context.loaders.themes_by_case_study.load(self.id)]

    @strawberry.field(description="The municipalities where it took place.")
    async def municipalities(self, info: Info) -> list[Municipality]:
        rows = await info.context.loaders.municipalities_by_case_study.load(self.id)
        return [Municipality.from_model(r) for r in rows]

    @strawberry.field(description="The prefectures where it took place.")
    async def prefectures(self, info: Info) -> list[Prefecture]:
        rows = await info.context.loaders.prefectures_by_case_study.load(self.id)
        return [Prefecture.from_model(r) for r in rows]


@strawberry.input(description="Narrows the case-study library; every given field must match.")
class CaseStudyFilter:
    theme_number: int | None = strawberry.field(default=None, description="Only cases serving this theme (1 to 10).")
    prefecture_code: str | None = strawberry.field(default=None, description='Only cases in this prefecture ("01" to "47").')
    municipality_code: str | None = strawberry.field(default=None, description="Only cases in this municipality (six-digit code).")
    organisation: str | None = strawberry.field(default=None, description="Part of the organisation's name.")
    search: str | None = strawberry.field(
        default=None,
        description="Japanese text anywhere in the case (substring; notation variants folded; at most 100 characters).",
    )


CaseStudyFilterArg = Annotated[
    CaseStudyFilter | None, strawberry.argument(description="Which case studies to include.")
]
