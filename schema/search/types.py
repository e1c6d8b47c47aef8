"""Search results as the API shows them."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from schema.case_study.types import CaseStudy
from schema.challenge.types import Challenge
from schema.partner.types import Offering, Partner
from schema.registry.types import Municipality
from schema.theme.types import Theme


@strawberry.enum(description="The kinds of thing `search` looks through.")
class SearchKind(Enum):
    MUNICIPALITY = strawberry.enum_value("MUNICIPALITY", description="Municipalities of the registry.")
    THEME = strawberry.enum_value("THEME", description="The ten themes.")
    PARTNER = strawberry.enum_value("PARTNER", description="Partner organisations.")
    OFFERING = strawberry.enum_value("OFFERING", description="Partner offerings.")
    CASE_STUDY = strawberry.enum_value("CASE_STUDY", description="Case studies.")
    CHALLENGE = strawberry.enum_value("CHALLENGE", description="Published regional challenges.")


SearchResult = Annotated[
    Municipality | Theme | Partner | Offering | CaseStudy | Challenge,
    strawberry.union("SearchResult", description="Anything `search` can find."),
]
