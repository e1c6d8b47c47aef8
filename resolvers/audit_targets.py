"""The objects the audit log names: what each kind of target is called, read when an entry is
written (`resolvers.audit.record`), so the log reads and is searched by name even after the
target is renamed or deleted."""

from __future__ import annotations

from typing import Any

from tortoise.models import Model

import models
from i18n import Named

TARGET_NAMES: dict[str, str] = {
    "Alliance": "",
    "ApiToken": "user",
    "Bulletin": "title",
    "CaseStudy": "title",
    "CaseStudyAdoption": "municipality",
    "Challenge": "title",
    "Contact": "municipality",
    "Dues": "membership.municipality",
    "Event": "title",
    "EventRegistration": "municipality",
    "LoginLink": "token.user",
    "Membership": "municipality",
    "Municipality": "",
    "Offering": "title",
    "OfferingRequest": "offering.title",
    "Officer": "person_name",
    "Partner": "",
    "ProcurementGroup": "item",
    "ProcurementParticipation": "municipality",
    "Proposal": "title",
    "User": "",
    "WorkingGroupParticipant": "membership.municipality",
}
"""Each kind of target, and the path from its row to what names it: a row with `name` (and
`name_en`), or a text attribute; "" is the row itself. Kinds not listed (an email in the outbox)
are shown by kind alone."""


def split_target(target: str | None) -> tuple[str, int] | None:
    """ "Membership:12" as ("Membership", 12); None for anything else."""
    kind, _, number = (target or "").partition(":")
    return (kind, int(number)) if kind and number.isdigit() else None


def model_of(kind: str) -> type[Model] | None:
    model = getattr(models, kind, None)
    return model if isinstance(model, type) and issubclass(model, Model) else None


async def name_of_target(target: str | None, subject: Any = None) -> Named | None:
    """The target's name in both languages, or None when its kind has no name or it is gone.
    `subject`, the object the mutation returned, is used when it is the target's row itself."""
    split = split_target(target)
    if split is None or split[0] not in TARGET_NAMES:
        return None
    kind, number = split
    row: Model | None
    if isinstance(subject, Model) and type(subject).__name__ == kind and subject.pk == number:
        row = subject
    else:
        model = model_of(kind)
        row = await model.get_or_none(pk=number) if model else None
    return await name_along(row, TARGET_NAMES[kind]) if row else None


async def name_along(row: Any, path: str) -> Named | None:
    thing = row
    for step in filter(None, path.split(".")):
        if thing is None:
            return None
        thing = await related_row(thing, step) if step in thing._meta.fk_fields else getattr(thing, step)
    if isinstance(thing, str):
        return Named(thing)
    return Named.of(thing) if thing is not None else None


async def related_row(row: Model, relation: str) -> Model | None:
    """The row `relation` points to: the one in hand when `row` was created or fetched with it
    (`Offering.create(partner=partner)`), else read."""
    value = getattr(row, relation)
    return value if isinstance(value, Model) else await value
