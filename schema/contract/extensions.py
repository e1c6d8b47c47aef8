"""Schema extensions of the contract: the version on every response, the record of deprecated
usage and the introspection policy.

Each response's `extensions` object is the union of what the extensions return, so the request's
cost (a later extension) can sit beside `schemaVersion` without either knowing of the other.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from i18n import message
from resolvers.contract import record_deprecated_usage
from resolvers.errors import PublicError
from schema.contract.documents import deprecated_coordinates, uses_introspection
from schema.contract.version import schema_version


class SchemaVersion(SchemaExtension):
    """Adds `extensions.schemaVersion`, the same on every response of one build."""

    def get_results(self) -> dict[str, Any]:
        return {"schemaVersion": schema_version(self.execution_context.schema)}


class DeprecatedUsageRecorder(SchemaExtension):
    """Counts, per caller, the deprecated coordinates each executed operation uses.

    The coordinates of a document are computed once per text (cached), and nothing is computed
    while the schema deprecates nothing; a write happens only for operations that use one.
    """

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        coordinates = (
            deprecated_coordinates(context.schema._schema, context.query, context.operation_name)
            if context.query
            else frozenset()
        )
        yield
        if coordinates:
            await record_deprecated_usage(context.context.actor, coordinates)


class IntrospectionDisabled(PublicError):
    code = "INTROSPECTION_DISABLED"


class IntrospectionPolicy(SchemaExtension):
    """In production, anonymous callers may introspect only if the settings allow it.

    Signed-in callers and development always may. The SDL stays public at `/schema.graphql`.
    """

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        request = context.context
        if (
            request.settings.is_production
            and not request.settings.anonymous_introspection
            and not request.actor.is_authenticated
            and context.graphql_document is not None
            and uses_introspection(context.graphql_document)
        ):
            refusal = IntrospectionDisabled(
                message("errors.contract.introspection_disabled")
            )
            context.result = GraphQLExecutionResult(
                data=None, errors=[GraphQLError(refusal.message, original_error=refusal)]
            )
        yield
