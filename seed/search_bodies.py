"""The text each searchable object is found by, normalised (see `resolvers.text`).

Each body starts with the object's name or title, so that the position of the first match
(used to rank results) puts name matches before matches deep in a description.
"""

from __future__ import annotations

from typing import Any

from models import (
    CaseStudy,
    Challenge,
    Municipality,
    Offering,
    Partner,
    Prefecture,
    SearchKind,
    Theme,
)
from resolvers.challenge import PUBLIC_STATUSES, challenge_body
from resolvers.search import body, case_study_body, offering_body, partner_body


async def search_rows() -> list[dict[str, Any]]:
    """One row per municipality, theme, partner, offering, case study and public challenge.

    Objects added through the API are here too, so that a run after an upgrade rewrites every
    body with the current normalisation and readings.
    """
    prefectures = {p.id: p for p in await Prefecture.all()}
    rows: list[dict[str, Any]] = []
    for m in await Municipality.all():
        prefecture = prefectures[m.prefecture_id]
        rows.append(_row(SearchKind.MUNICIPALITY, m.id,
                         body(m.name, m.name_kana, m.name_en, prefecture.name + m.name, m.code,
                              read=False)))
    for t in await Theme.all():
        rows.append(_row(SearchKind.THEME, t.id, body(t.title, t.title_en, t.heading, t.legacy,
                                                      *t.legacy_goals, t.summary)))
    partners = {p.id: p for p in await Partner.all()}
    for p in partners.values():
        rows.append(_row(SearchKind.PARTNER, p.id, partner_body(p)))
    for o in await Offering.all():
        rows.append(_row(SearchKind.OFFERING, o.id, offering_body(o, partners[o.partner_id])))
    for c in await CaseStudy.all().prefetch_related("municipalities"):
        rows.append(_row(SearchKind.CASE_STUDY, c.id,
                         case_study_body(c, [m.name for m in c.municipalities])))
    for challenge in await Challenge.filter(status__in=PUBLIC_STATUSES):
        rows.append(_row(SearchKind.CHALLENGE, challenge.id, challenge_body(challenge)))
    return rows


def _row(kind: SearchKind, object_id: int, text: str) -> dict[str, Any]:
    return {"kind": kind, "object_id": object_id, "body": text}
