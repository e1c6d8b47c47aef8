"""The text each searchable object is found by, normalised (see `resolvers.search.body`).

Each body starts with the object's names, so that a match can be told to be in a name and the
position of the first match (used to rank results) puts name matches first.

Bodies are written in the format of `resolvers.search.BODY_FORMAT`, recorded beside them: a
database whose bodies were written in another (by an older version, before normalisation
changed) has them rebuilt when the service starts, or searches would silently miss.
"""

from __future__ import annotations

from typing import Any

from tortoise.transactions import in_transaction

from models import (
    CaseStudy,
    Challenge,
    Municipality,
    Offering,
    Partner,
    Prefecture,
    SearchBodyFormat,
    SearchEntry,
    SearchKind,
    Theme,
)
from resolvers.challenge import PUBLIC_STATUSES, challenge_body
from resolvers.search import BODY_FORMAT, body, case_study_body, offering_body, partner_body


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
                         body([m.name, m.name_kana, m.name_en, prefecture.name + m.name], [m.code],
                              read=False)))
    for t in await Theme.all():
        details = [t.heading, t.legacy, *t.legacy_goals, t.summary]
        rows.append(_row(SearchKind.THEME, t.id, body([t.title, t.title_en], details)))
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


async def bodies_are_current() -> bool:
    return await SearchBodyFormat.filter(version=BODY_FORMAT).exists()


async def record_body_format() -> None:
    """Record that the stored bodies are written in the current format."""
    await SearchBodyFormat.all().delete()
    await SearchBodyFormat.create(version=BODY_FORMAT)


async def rebuild_stale_bodies() -> bool:
    """Rewrite every search body if they were written in another format; whether it did."""
    if await bodies_are_current():
        return False
    async with in_transaction():
        stored = {(entry.kind, entry.object_id): entry for entry in await SearchEntry.all()}
        for row in await search_rows():
            entry = stored.get((row["kind"], row["object_id"]))
            if entry is None:
                await SearchEntry.create(**row)
            elif entry.body != row["body"]:
                entry.body = row["body"]
                await entry.save(update_fields=["body"])
        await record_body_format()
    return True
