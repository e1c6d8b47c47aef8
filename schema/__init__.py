"""The GraphQL schema: the root types merged from each domain, and the limits every request obeys."""

from __future__ import annotations

import asyncio
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext
from strawberry.types.base import get_object_definition

from database.connection import is_unavailable
from i18n import message
from resolvers.errors import InvalidArgument
from schema.account.mutations import AccountMutation
from schema.account.queries import AccountQuery
from schema.alliance.mutations import AllianceMutation
from schema.alliance.queries import AllianceQuery
from schema.audit.queries import AuditQuery
from schema.bulletin.mutations import BulletinMutation
from schema.bulletin.queries import BulletinQuery
from schema.caching import ResponseCaching
from schema.case_study.mutations import CaseStudyMutation
from schema.case_study.queries import CaseStudyQuery
from schema.challenge.mutations import ChallengeMutation
from schema.challenge.queries import ChallengeQuery
from schema.contact.mutations import ContactMutation
from schema.context import ByTransport, Speaking
from schema.contract.extensions import DeprecatedUsageRecorder, IntrospectionPolicy, SchemaVersion
from schema.contract.queries import ContractQuery
from schema.cost import QueryCost, alias_rule, depth_rule
from schema.dues.mutations import DuesMutation
from schema.engine.direct import use_direct_resolvers
from schema.engine.executor import CompiledExecutor
from schema.engine.extension_runner import PlannedExtensionsRunner
from schema.entitlement.queries import EntitlementQuery
from schema.errors import MaskFaults, should_mask
from schema.event.mutations import EventMutation
from schema.event.queries import EventQuery
from schema.idempotency import Idempotency
from schema.introduction.mutations import IntroductionMutation
from schema.introduction.queries import IntroductionQuery
from schema.mail.mutations import MailMutation
from schema.mail.queries import MailQuery
from schema.notification.mutations import NotificationMutation
from schema.notification.queries import NotificationQuery
from schema.notification.subscriptions import NotificationSubscription
from schema.partner.mutations import PartnerMutation
from schema.partner.queries import PartnerQuery
from schema.permissions import describe_rules
from schema.procurement.mutations import ProcurementMutation
from schema.procurement.queries import ProcurementQuery
from schema.registry.queries import RegistryQuery
from schema.search.queries import SearchQuery
from schema.theme.queries import ThemeQuery

# Deep enough for the standard introspection queries, whose `ofType` chains are counted too
# (graphql-core 3.3's is 14 deep, GraphiQL's 12); the cost limit bounds what depth does not.
MAX_DEPTH = 14
MAX_ALIASES = 30
MAX_TOKENS = 5000
MAX_NODE_IDS = 100


@strawberry.type
class NodeQuery:
    @strawberry.field(description="Fetch any object by its global ID; null if it does not exist.")
    async def node(
        self,
        info: strawberry.Info,
        id: Annotated[relay.GlobalID, strawberry.argument(description="The object's global ID.")],
    ) -> relay.Node | None:
        return await id.resolve_node(info, required=False)

    @strawberry.field(description=f"Fetch up to {MAX_NODE_IDS} objects by global ID, in order; null for each that does not exist.")
    async def nodes(
        self,
        info: strawberry.Info,
        ids: Annotated[list[relay.GlobalID], strawberry.argument(description="The objects' global IDs.")],
    ) -> list[relay.Node | None]:
        if len(ids) > MAX_NODE_IDS:
            raise InvalidArgument(message("errors.common.too_many_ids", limit=MAX_NODE_IDS, count=len(ids)), field="ids")
        return list(await asyncio.gather(*(i.resolve_node(info, required=False) for i in ids)))


Query = merge_types(
    "Query",
    (
        NodeQuery,
        AccountQuery,
        AllianceQuery,
        RegistryQuery,
        ThemeQuery,
        EntitlementQuery,
        IntroductionQuery,
        PartnerQuery,
        CaseStudyQuery,
        SearchQuery,
        AuditQuery,
        NotificationQuery,
        ChallengeQuery,
        EventQuery,
        BulletinQuery,
        ProcurementQuery,
        ContractQuery,
        MailQuery,
    ),
)
LANGUAGES = (
    "Messages a person reads (errors, userErrors) are in the request's language: the first of ours "
    "(ja, en) its Accept-Language header names, else the signed-in user's saved preference "
    "(updateMyPreferences), else Japanese; the Content-Language response header says which. Codes "
    "(`extensions.code`, `UserError.code`) are the same in every language."
)
get_object_definition(Query, strict=True).description = f"The entry points for reading Tsunagu's data. {LANGUAGES}"

Mutation = merge_types(
    "Mutation",
    (
        AccountMutation,
        AllianceMutation,
        ContactMutation,
        DuesMutation,
        PartnerMutation,
        CaseStudyMutation,
        NotificationMutation,
        ChallengeMutation,
        EventMutation,
        BulletinMutation,
        ProcurementMutation,
        MailMutation,
        IntroductionMutation,
    ),
)
get_object_definition(Mutation, strict=True).description = (
    "The entry points for changing Tsunagu's data. Each takes one `input` and returns a payload "
    "whose `userErrors` say why it was refused; every call is recorded in the audit log. To retry "
    "safely, send an operation with one mutation field and the HTTP header `Idempotency-Key` (1-255 "
    "visible ASCII characters, e.g. a UUID): for 24 hours, the same request with the same key from the "
    "same user gets the first answer again (header `Idempotent-Replayed: true`) and changes nothing, "
    "and a different request with that key is refused with IDEMPOTENCY_KEY_REUSED. A refused change "
    f"keeps no key. issueToken, createLoginLink and exportContacts take no key. {LANGUAGES}"
)
describe_rules(Mutation)

Subscription = merge_types("Subscription", (NotificationSubscription,))
get_object_definition(Subscription, strict=True).description = (
    "Events pushed to the caller over WebSocket (the graphql-transport-ws protocol at /graphql); "
    'authenticate with {"Authorization": "Bearer <token>"} as the connection_init payload.'
)


class TsunaguSchema(strawberry.Schema):
    """Logs faults only: errors written for the caller are answers, not incidents, and a lost
    database is logged once by `edge.outage.DatabaseHealth`, not with a traceback per request.
    Runs the extensions' hooks as planned once per extension class (`PlannedExtensionsRunner`)."""

    def process_errors(self, errors, execution_context=None) -> None:
        faults = [e for e in errors if should_mask(e) and not is_unavailable(e.original_error)]
        super().process_errors(faults, execution_context)

    def create_extensions_runner(
        self, execution_context: ExecutionContext, extensions: list[SchemaExtension]
    ) -> PlannedExtensionsRunner:
        """The extensions' hooks, looked up once per extension class rather than per request."""
        return PlannedExtensionsRunner(execution_context=execution_context, extensions=extensions)


# The limiters build a new rule class each time they are constructed. Build them once, so the
# rules are the same objects on every request and ValidationCache can hit. The depth rule counts
# introspection fields, which Strawberry's QueryDepthLimiter skips.
LIMIT_RULES = (
    depth_rule(MAX_DEPTH),
    alias_rule(MAX_ALIASES),
)


class LimitRules(AddValidationRules):
    def __init__(self) -> None:
        super().__init__(list(LIMIT_RULES))


schema = TsunaguSchema(
    execution_context_class=CompiledExecutor,
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    extensions=[
        # First, so that every other extension's messages are in the caller's language too.
        Speaking,
        ByTransport,
        LimitRules,
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        MaskFaults,
        # Parse and validate each distinct document once (module-level LRU of 128 documents).
        ParserCache,
        ValidationCache,
        SchemaVersion,
        IntrospectionPolicy,
        DeprecatedUsageRecorder,
        ResponseCaching,
        # Last but one, so that it charges nothing for an operation another extension refused.
        QueryCost,
        # Inside ResponseCaching, so the data version is raised after the keyed transaction commits.
        Idempotency,
    ],
)
use_direct_resolvers(schema)
