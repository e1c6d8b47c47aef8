"""Running a mutation: in one transaction, with its audit record, accepted or refused.

A mutation's resolver returns a `Change`: the object it changed and the values before and after.
`perform` applies the role rule, runs the change and writes the audit entry in the same
transaction; a refusal rolls the change back and is then recorded on its own. So is a fault (a
database error, a bug): the caller gets a masked error and the log a FAILED entry with the code
the caller saw, written after the rollback, when the database still takes writes. Once the
transaction has committed the change is answered as done, whatever the work after the commit
(publishing notifications) meets (`resolvers.db.transaction.committing`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Generic, TypeVar

from strawberry.utils.str_converters import to_camel_case
from tortoise.exceptions import IntegrityError, ValidationError
from tortoise.expressions import Q, Subquery
from tortoise.models import Model
from tortoise.queryset import QuerySet

from database.connection import is_unavailable
from i18n import field_label, message
from models import AuditEntry, AuditOutcome, User
from resolvers.access import Actor, Rule, require_write_scope
from resolvers.audit_targets import name_of_target
from resolvers.db.transaction import committing
from resolvers.errors import Refused

LOG = logging.getLogger("tsunagu.audit")
T = TypeVar("T")
Subject = TypeVar("Subject", covariant=True)
Changes = dict[str, list[Any]]
MAX_REASON_LENGTH = 1000


def plain(value: Any) -> Any:
    """A value as JSON can hold it."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def assign(row: Model, **values: Any) -> Changes:
    """Set the given attributes; return `{name: [before, after]}` for those that changed."""
    changes: Changes = {}
    for name, value in values.items():
        before = getattr(row, name)
        if before != value:
            changes[name] = [plain(before), plain(value)]
            setattr(row, name, value)
    return changes


def created(row: Model, *names: str) -> Changes:
    """The values of a new row, as `{name: [None, value]}`."""
    return {name: [None, plain(getattr(row, name))] for name in names}


def target_of(row: Model) -> str:
    return f"{type(row).__name__}:{row.pk}"


@dataclass(frozen=True)
class Change(Generic[Subject]):
    """What a mutation did: the object it changed, that object's audit target, the values before
    and after. Covariant: a change of a `Membership` is a change of a `Membership | None`."""

    subject: Subject
    target: str | None = None
    values: Changes = field(default_factory=dict)


async def record(
    actor: Actor,
    action: str,
    outcome: AuditOutcome,
    *,
    target: str | None = None,
    changes: Changes | None = None,
    errors: list[str] | None = None,
    reason: str | None = None,
    subject: Any = None,
) -> AuditEntry:
    """One entry; the target's name is read now (from `subject` when that is the target's row),
    as it is when the entry is written."""
    name = await name_of_target(target, subject)
    return await AuditEntry.create(
        action=action,
        outcome=outcome,
        user_id=actor.user_id,
        token_id=actor.token_id,
        role=actor.role,
        target=target,
        target_name=name.ja if name else None,
        target_name_en=name.en if name else None,
        changes=changes or {},
        errors=errors or [],
        reason=reason,
    )


def check_reason(reason: str | None) -> None:
    """Refuses a reason too long to keep; a blank one is none."""
    if reason is not None and len(reason.strip()) > MAX_REASON_LENGTH:
        raise Refused(
            "INVALID", message("errors.audit_reason.too_long", limit=MAX_REASON_LENGTH), field=("input", "reason")
        )


async def perform(
    actor: Actor,
    action: str,
    rule: Rule,
    change: Callable[[], Awaitable[Change[T]]],
    *,
    reason: str | None = None,
) -> T:
    """Run `change` if `rule` allows the caller; raises `Refused` after recording the refusal.
    `reason`, the caller's own words on why (e.g. for a suspension), is kept in the entry."""
    kept_reason = (reason or "").strip()[:MAX_REASON_LENGTH] or None
    try:
        rule.require(actor)
        require_write_scope(actor)
        check_reason(reason)
        async with committing(action):
            done = await refusing_constraint_errors(change)
            await record(
                actor, action, AuditOutcome.ACCEPTED,
                target=done.target, changes=done.values, reason=kept_reason, subject=done.subject,
            )
        return done.subject
    except Refused as refusal:
        await record(actor, action, AuditOutcome.REFUSED, errors=[refusal.code], reason=kept_reason)
        raise
    except Exception as fault:
        await record_failure(actor, action, fault, kept_reason)
        raise


async def record_failure(actor: Actor, action: str, fault: Exception, reason: str | None = None) -> None:
    """A FAILED entry for a mutation a fault stopped, in a transaction of its own; when the
    database cannot take it either, the server log says so and the fault goes on to the caller."""
    code = "SERVICE_UNAVAILABLE" if is_unavailable(fault) else "INTERNAL_ERROR"
    try:
        await record(actor, action, AuditOutcome.FAILED, errors=[code], reason=reason)
    except Exception as unrecorded:  # the fault, not this, is what the caller hears about
        LOG.error("audit entry for a failed %s not written", action, exc_info=unrecorded)


async def refusing_constraint_errors(change: Callable[[], Awaitable[Change[T]]]) -> Change[T]:
    """The database's own limits, reported as the resolvers' checks would have reported them."""
    try:
        return await change()
    except ValidationError as invalid:
        # A model limit, e.g. a name longer than its column: name the field, never echo the value.
        name = to_camel_case(str(invalid).partition(":")[0])
        raise Refused("INVALID", message("errors.audit.field_invalid", field=field_label(name)), field=("input", name)) from invalid
    except IntegrityError as conflict:
        # A concurrent call got there first (e.g. the same slug): the checks passed, the unique
        # constraint did not.
        raise Refused("ALREADY_EXISTS", message("errors.audit.conflict")) from conflict


@dataclass(frozen=True, kw_only=True)
class AuditQuery:
    action: str | None = None
    outcome: AuditOutcome | None = None
    user_id: int | None = None
    target: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    actor_name: str | None = None
    target_kind: str | None = None
    target_name: str | None = None


def entries(query: AuditQuery) -> QuerySet[AuditEntry]:
    queryset = AuditEntry.all()
    if query.action is not None:
        queryset = queryset.filter(action=query.action)
    if query.outcome is not None:
        queryset = queryset.filter(outcome=query.outcome)
    if query.user_id is not None:
        queryset = queryset.filter(user_id=query.user_id)
    if query.target is not None:
        queryset = queryset.filter(target=query.target)
    if query.since is not None:
        queryset = queryset.filter(at__gte=query.since)
    if query.until is not None:
        queryset = queryset.filter(at__lt=query.until)
    if query.actor_name:
        queryset = queryset.filter(user_id__in=Subquery(User.filter(name__icontains=query.actor_name).values("id")))
    if query.target_kind:
        queryset = queryset.filter(target__startswith=f"{query.target_kind}:")
    if query.target_name:
        queryset = queryset.filter(Q(target_name__icontains=query.target_name) | Q(target_name_en__icontains=query.target_name))
    return queryset.order_by("-id")
