"""Adding case studies, and recording the municipalities that adopted one (横展開)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry import relay

from resolvers import case_study as case_study_resolvers
from resolvers.case_study import CaseStudyDraft
from schema.case_study.types import CaseStudy, CaseStudyAdoption
from schema.context import Info
from schema.mutations import Payload, mutate, node_id

DEFAULT_SOURCE = "secretariat"


@strawberry.input(description="A new case study for the library.")
class CreateCaseStudyInput:
    slug: str = strawberry.field(
        description="A stable short name: lower-case letters, digits and hyphens."
    )
    title: str = strawberry.field(description="The title in Japanese.")
    organisation: str = strawberry.field(
        description="Who ran the initiative: a company, body or municipality."
    )
    summary: str = strawberry.field(description="What was done, where and with whom.")
    outcome: str | None = strawberry.field(default=None, description="What came of it.")
    year: int | None = strawberry.field(
        default=None, description="The year of the source, if known."
    )
    source: str = strawberry.field(
        default=DEFAULT_SOURCE, description="Where the case comes from (at most 32 characters)."
    )
    theme_numbers: list[int] = strawberry.field(
        default_factory=list, description="The themes it serves (1 to 10)."
    )
    municipality_codes: list[str] = strawberry.field(
        default_factory=list,
        description="Where it took place (six-digit codes); the prefectures follow.",
    )
    partner_slugs: list[str] = strawberry.field(
        default_factory=list, description="The alliance's partners that ran or co-created it."
    )


@strawberry.type(description="The result of createCaseStudy.")
class CreateCaseStudyPayload(Payload):
    case_study: CaseStudy | None = strawberry.field(
        default=None, description="The new case study, searchable at once."
    )


@strawberry.input(description="A municipality's adoption of a case study.")
class RecordCaseStudyAdoptionInput:
    case_study_id: relay.GlobalID = strawberry.field(description="The CaseStudy's ID.")
    municipality_code: str | None = strawberry.field(
        default=None,
        description="Municipality staff may leave it out (their own); the secretariat must give it.",
    )
    adopted_on: dt.date | None = strawberry.field(
        default=None, description="When it was adopted; default today."
    )
    note: str | None = strawberry.field(
        default=None,
        description="How it was adopted (at most 1,000 characters). Private to the secretariat and "
        "the adopting municipality.",
    )


@strawberry.type(description="The result of recordCaseStudyAdoption.")
class RecordCaseStudyAdoptionPayload(Payload):
    adoption: CaseStudyAdoption | None = strawberry.field(
        default=None, description="The adoption recorded."
    )


@strawberry.input(description="Which adoption to withdraw.")
class WithdrawCaseStudyAdoptionInput:
    case_study_id: relay.GlobalID = strawberry.field(description="The CaseStudy's ID.")
    municipality_code: str | None = strawberry.field(
        default=None,
        description="Municipality staff may leave it out (their own); the secretariat must give it.",
    )


@strawberry.type(description="The result of withdrawCaseStudyAdoption.")
class WithdrawCaseStudyAdoptionPayload(Payload):
    case_study: CaseStudy | None = strawberry.field(
        default=None, description="The case study, without the adoption."
    )


@strawberry.type
class CaseStudyMutation:
    @strawberry.mutation(description="Add a case study to the library; it is searchable at once.")
    async def create_case_study(
        self,
        info: Info,
        input: Annotated[CreateCaseStudyInput, strawberry.argument(description="The case study.")],
    ) -> CreateCaseStudyPayload:
        draft = CaseStudyDraft(
            slug=input.slug,
            title=input.title,
            organisation=input.organisation,
            summary=input.summary,
            outcome=input.outcome,
            year=input.year,
            source=input.source,
        )
        row, errors = await mutate(
            info,
            lambda: case_study_resolvers.add_case_study(
                draft,
                theme_numbers=input.theme_numbers,
                municipality_codes=input.municipality_codes,
                partner_slugs=input.partner_slugs,
            ),
        )
        return CreateCaseStudyPayload(
            case_study=CaseStudy.from_model(row) if row else None, user_errors=errors
        )

    @strawberry.mutation(description="Record that a municipality adopted a case study (横展開).")
    async def record_case_study_adoption(
        self,
        info: Info,
        input: Annotated[
            RecordCaseStudyAdoptionInput, strawberry.argument(description="The adoption.")
        ],
    ) -> RecordCaseStudyAdoptionPayload:
        row, errors = await mutate(
            info,
            lambda: case_study_resolvers.record_adoption(
                info.context.actor,
                node_id(input.case_study_id, "CaseStudy", "caseStudyId"),
                input.municipality_code,
                input.adopted_on,
                input.note,
            ),
        )
        return RecordCaseStudyAdoptionPayload(
            adoption=CaseStudyAdoption.from_model(row) if row else None, user_errors=errors
        )

    @strawberry.mutation(description="Withdraw a municipality's recorded adoption of a case study.")
    async def withdraw_case_study_adoption(
        self,
        info: Info,
        input: Annotated[
            WithdrawCaseStudyAdoptionInput, strawberry.argument(description="The adoption.")
        ],
    ) -> WithdrawCaseStudyAdoptionPayload:
        row, errors = await mutate(
            info,
            lambda: case_study_resolvers.withdraw_adoption(
                info.context.actor,
                node_id(input.case_study_id, "CaseStudy", "caseStudyId"),
                input.municipality_code,
            ),
        )
        return WithdrawCaseStudyAdoptionPayload(
            case_study=CaseStudy.from_model(row) if row else None, user_errors=errors
        )
