"""The audit log in words, in the reader's language: each action, kind of target, field and
value as the catalogue (`i18n/locales/*/audit.toml`) names it, for people rather than programs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from i18n import catalogue, language_in_use
from i18n.dates import format_date, format_datetime

ENUM_OF_FIELD: dict[tuple[str, str], str] = {
    ("Bulletin", "audience"): "Audience",
    ("Challenge", "status"): "ChallengeStatus",
    ("Dues", "status"): "DuesStatus",
    ("Event", "format"): "EventFormat",
    ("Event", "kind"): "EventKind",
    ("Event", "status"): "EventStatus",
    ("EventRegistration", "status"): "EventRegistrationStatus",
    ("Membership", "status"): "MembershipStatus",
    ("Membership", "tier"): "MembershipTier",
    ("Offering", "audience"): "Audience",
    ("Offering", "kind"): "OfferingKind",
    ("OfferingRequest", "status"): "OfferingRequestStatus",
    ("Officer", "role"): "OfficerRole",
    ("Partner", "kind"): "PartnerKind",
    ("Proposal", "phase"): "ProjectPhase",
    ("Proposal", "status"): "ProposalStatus",
    ("User", "notification_email"): "NotificationEmail",
    ("User", "role"): "Role",
}
"""The enumeration a target's field holds, where its values are codes: shown in words."""


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: str | None
    after: str | None


def words(key: str, fallback: str, language: str | None = None) -> str:
    return catalogue(language or language_in_use()).get(key) or fallback


def action_name(action: str, language: str | None = None) -> str:
    """`suspendMembership` as "会員資格の停止" / "Suspend a membership"."""
    return words(f"audit.action.{action}", action, language)


def target_kind_name(kind: str, language: str | None = None) -> str:
    return words(f"audit.target.{kind}", kind, language)


def error_in_words(code: str, language: str | None = None) -> str:
    """A refusal's or failure's code as the person it stopped was told it."""
    return words(f"enum.UserErrorCode.{code}", words(f"audit.failure.{code}", code, language), language)


def value_in_words(kind: str, field: str, value: Any, language: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return words(f"audit.value.{'yes' if value else 'no'}", str(value), language)
    if isinstance(value, list):
        separator = "、" if language == "ja" else ", "
        return separator.join(filter(None, (value_in_words(kind, field, item, language) for item in value)))
    enum = ENUM_OF_FIELD.get((kind, field))
    if enum is not None:
        return words(f"enum.{enum}.{value}", str(value), language)
    if isinstance(value, str):
        return moment_in_words(value, language) or value
    return str(value)


def moment_in_words(value: str, language: str) -> str | None:
    """An ISO date or date-time as the reader writes it; None for other text."""
    try:
        if len(value) == 10:
            return format_date(dt.date.fromisoformat(value), language)
        if len(value) > 10 and value[10] == "T":
            return format_datetime(dt.datetime.fromisoformat(value), language)
    except ValueError:
        return None
    return None


def changes_in_words(kind: str | None, changes: dict[str, list[Any]], language: str | None = None) -> list[FieldChange]:
    """Each changed field with its label, and its values before and after in words."""
    language = language or language_in_use()
    return [
        FieldChange(
            field=field,
            label=words(f"audit.field.{field}", field, language),
            before=value_in_words(kind or "", field, values[0], language),
            after=value_in_words(kind or "", field, values[1], language),
        )
        for field, values in changes.items()
        if isinstance(values, list) and len(values) == 2
    ]
