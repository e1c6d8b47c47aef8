"""Every kind of stored or generated message has a non-empty text in both languages, with the same
parameters, and old notification texts are read back as parameters."""

import importlib
import string

import pytest

from i18n import LANGUAGES, catalogue
from models import (
    ContactRole,
    EventUpdateField,
    IntroductionStatus,
    MembershipNoteKind,
    NotificationKind,
)
from resolvers.contact import EXPORT_COLUMNS
from resolvers.event import CANCELLATION_VARIANTS
from resolvers.matching import REGIONS_BY_LAST_CODE, ReasonKind
from resolvers.membership import Decision

PHASE_CHANGES = ("PILOT_STARTED", "COMMERCIALISATION", "PILOT_ENDED", "ENDED")
REVIEW_OUTCOMES = ("APPROVED", "RETURNED")
stored_messages = importlib.import_module("migrations.0006_stored_messages")


# Kinds whose message has a variant per change (`notification.<kind>.<change>`).
VARIANTS = {
    NotificationKind.PROJECT_PHASE_CHANGED: PHASE_CHANGES,
    NotificationKind.CHALLENGE_REVIEWED: REVIEW_OUTCOMES,
    NotificationKind.MEMBERSHIP_DECIDED: tuple(Decision),
    NotificationKind.INTRODUCTION_ANSWERED: (IntroductionStatus.ACCEPTED, IntroductionStatus.DECLINED),
    NotificationKind.EVENT_CANCELLED: CANCELLATION_VARIANTS,
}


def keys() -> list[str]:
    notifications = [f"notification.{kind.value}" for kind in NotificationKind if kind not in VARIANTS]
    notifications += [f"notification.{kind.value}.{change}" for kind, changes in VARIANTS.items() for change in changes]
    notifications += [f"enum.EventUpdateField.{field.value}" for field in EventUpdateField]
    offering_reasons = set(ReasonKind) - {ReasonKind.MUTUAL_AID_DISTANCE}
    peer_reasons = set(ReasonKind) - {ReasonKind.SIMILAR_PAST_PROPOSALS, ReasonKind.TRACK_RECORD}
    reasons = [f"match_reason.offering.{kind.value}" for kind in sorted(offering_reasons)]
    reasons += [f"match_reason.peer.{kind.value}" for kind in sorted(peer_reasons)]
    history = [f"history.{kind.value}" for kind in MembershipNoteKind]
    regions = [f"region.{name}" for name, _ in REGIONS_BY_LAST_CODE]
    csv = [f"contact_csv.{column}" for column in EXPORT_COLUMNS]
    csv += [f"contact_csv.roles.{role.value}" for role in ContactRole]
    legacy = ["notification.LEGACY", "match_reason.shared_terms", "dues.carried_over"]
    return notifications + reasons + history + regions + csv + legacy


def parameters(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", keys())
def test_every_kind_reads_in_both_languages_with_the_same_parameters(key):
    texts = [catalogue(language).get(key, "") for language in LANGUAGES]

    assert all(text.strip() for text in texts), key
    assert parameters(texts[0]) == parameters(texts[1]), key


@pytest.mark.parametrize(
    ("kind", "old", "params"),
    [
        ("PROPOSAL_RECEIVED", "A proposal 「見守り」 arrived for 「高齢者の見守り」.",
         {"proposal": "見守り", "challenge": "高齢者の見守り"}),
        ("PROJECT_PHASE_CHANGED", "The project 「見守り」 started its pilot on 2026-04-01.",
         {"project": "見守り", "change": "PILOT_STARTED", "on": "2026-04-01"}),
        ("PROJECT_PHASE_CHANGED", "The project 「見守り」 ended.", {"project": "見守り", "change": "ENDED"}),
        ("OFFERING_REQUEST_ANSWERED", "The partner answered your offering request: DECLINED.",
         {"status": {"enum": "OfferingRequestStatus", "value": "DECLINED"}}),
        ("BULLETIN_PUBLISHED", "The 2026-04 bulletin 「春号」 was published.", {"year": 2026, "month": 4, "title": "春号"}),
        ("PROCUREMENT_CLOSED", "The joint procurement of 「防災備蓄水」 closed: 1200 本 from 3 municipalities.",
         {"item": "防災備蓄水", "total": 1200, "unit": "本", "municipalities": 3}),
        ("WAITLIST_PROMOTED", "Something else entirely.", {"legacy": "Something else entirely."}),
    ],
)
def test_an_old_notification_text_becomes_the_parameters_it_was_written_from(kind, old, params):
    assert stored_messages.recovered_params(kind, old) == params
