"""Root fields for challenges and proposals."""

from __future__ import annotations

from typing import Annotated

import strawberry

import models
from resolvers import challenge as challenge_resolvers
from resolvers import proposal as proposal_resolvers
from resolvers.db.pagination import paginate_queryset
from schema.challenge.types import Challenge, ChallengeFilterArg, Proposal, ProposalFilter
from schema.context import Info
from schema.mutations import node_id
from schema.pagination import (
    AfterArg,
    BeforeArg,
    Connection,
    FirstArg,
    LastArg,
    page_request,
    to_connection,
)
from schema.permissions import SignedIn


@strawberry.type
class ChallengeQuery:
    @strawberry.field(
        description="Regional challenges, newest published first; paged. Everyone sees published and "
        "closed ones; a municipality's staff also see their own drafts; the secretariat sees all."
    )
    async def challenges(
        self,
        info: Info,
        filter: ChallengeFilterArg = None,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Connection[Challenge]:
        query = challenge_resolvers.ChallengeQuery()
        if filter is not None:
            query = challenge_resolvers.ChallengeQuery(
                status=models.ChallengeStatus(filter.status.value) if filter.status else None,
                theme_number=filter.theme_number,
                municipality_code=filter.municipality_code,
                open_only=filter.open_only,
                search=filter.search,
            )
        queryset = challenge_resolvers.visible_challenges(info.context.actor, query)
        page = await paginate_queryset(queryset, page_request(first, after, last, before))
        return to_connection(page, Challenge.from_model)

    @strawberry.field(
        description="Proposals the caller may see, newest first; paged: the secretariat sees all, "
        "municipality staff those for their challenges, partner staff their own.",
        permission_classes=[SignedIn],
    )
    async def proposals(
        self,
        info: Info,
        filter: Annotated[ProposalFilter | None, strawberry.argument(description="Which proposals to include.")] = None,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Connection[Proposal]:
        filter = filter or ProposalFilter()
        query = proposal_resolvers.ProposalQuery(
            status=models.ProposalStatus(filter.status.value) if filter.status else None,
            challenge_id=node_id(filter.challenge_id, "Challenge", "challengeId", argument="filter")
            if filter.challenge_id else None,
        )
        queryset = proposal_resolvers.visible_proposals(info.context.actor, query)
        page = await paginate_queryset(queryset, page_request(first, after, last, before))
        return to_connection(page, Proposal.from_model)
