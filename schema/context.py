"""The per-request context every resolver receives."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field

from graphql import ExecutionResult, GraphQLError
from starlette.responses import Response
from strawberry.extensions import SchemaExtension
from strawberry.types import Info as StrawberryInfo
from strawberry.types.graphql import OperationType

from i18n import message, speaking
from resolvers.access import ANONYMOUS, Actor
from resolvers.cluster.budget import CostBudget, InProcessBudget
from resolvers.db.loaders import Loaders
from resolvers.errors import PublicError
from resolvers.idempotency import KeyedMutation
from settings import Settings


@dataclass
class Context:
    settings: Settings
    actor: Actor = ANONYMOUS
    loaders: Loaders = field(default_factory=Loaders)
    budget: CostBudget = field(default_factory=InProcessBudget)
    """The points budgets of the service (`server.create_app` shares one across requests)."""
    client_address: str = ""
    """The caller's IP address: an anonymous caller's budget is kept by it."""
    response: Response | None = None
    """The HTTP response being prepared (status and headers), None over WebSocket."""
    idempotency_key: str | None = None
    """The request's `Idempotency-Key` header (see `schema.idempotency`)."""
    keyed: KeyedMutation | None = None
    """Set while a mutation sent with an Idempotency-Key runs."""
    language: str | None = None
    """The language the caller reads messages in (`i18n.choose_language`); None: the one in use."""


@dataclass
class ConnectionContext(Context):
    """The context of one WebSocket connection, shared by the operations sent over it.

    Strawberry stores the `connection_init` payload in `connection_params`; the caller is known
    only once that has arrived (see `server.GraphQLEndpoint.on_ws_connect`).
    """

    upgrade_authorization: str | None = None
    upgrade_accept_language: str | None = None
    connection_params: dict[str, object] = field(default_factory=dict)

    @property
    def authorization(self) -> str | None:
        """The payload's `Authorization` entry (any case), else the upgrade request's header."""
        for key, value in self.connection_params.items():
            if key.lower() == "authorization" and value is not None:
                return str(value)
        return self.upgrade_authorization


OVER_WEBSOCKET = message("errors.transport.over_websocket")


class ByTransport(SchemaExtension):
    """Subscriptions come only by WebSocket, and each operation there gets a context of its own.

    Over HTTP every request has a new context already, and a subscription could not be served.
    A WebSocket connection keeps one context for its lifetime: DataLoaders shared by its
    operations would answer a later query from an earlier one's cache. A query's or mutation's
    loaders are let go once it is answered (`Loaders.close`).
    """

    def on_execute(self) -> Iterator[None]:
        execution = self.execution_context
        if isinstance(execution.context, ConnectionContext):
            execution.context = dataclasses.replace(execution.context, loaders=Loaders())
        elif execution.operation_type is OperationType.SUBSCRIPTION:
            # A result set before execution stands in for it (and still passes through MaskFaults).
            refusal = PublicError(OVER_WEBSOCKET)
            execution.result = ExecutionResult(None, [GraphQLError(refusal.message, original_error=refusal)])
        yield
        if execution.operation_type is not OperationType.SUBSCRIPTION:
            execution.context.loaders.close()


class Speaking(SchemaExtension):
    """Run each operation in its caller's language (`Context.language`), so that the messages
    rendered while it runs (refusals, masked faults) are in that language: a WebSocket
    connection's operations run in tasks of their own, and the portals run theirs in-process."""

    def on_operation(self) -> Iterator[None]:
        language = getattr(self.execution_context.context, "language", None)
        if language is None:
            yield
            return
        with speaking(language):
            yield


Info = StrawberryInfo[Context, None]
