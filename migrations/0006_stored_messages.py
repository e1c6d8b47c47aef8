"""Notifications and membership-history notes the service wrote as English text become a kind and
parameters, rendered in the reader's language when read.

Each stored notification text is matched against the sentence its kind used to be written with,
and the titles, dates and figures in it become the parameters; a text that matches no such
sentence (cut at 500 characters, or written by an older version) is kept whole as the `legacy`
parameter and still reads as it did. The notes the succession and the seed wrote become their
note kinds, a succession's names in both languages; notes people wrote stay as they are. A bill
carried over to a successor, noted "Carried over from <alliance>", keeps that alliance's names in
both languages instead.
"""

import json
import re

from tortoise import fields, migrations
from tortoise.fields.data import JSON_DUMPS
from tortoise.migrations import operations as ops
from orjson import loads

from models.membership import MembershipNoteKind

TITLE = "「(?P<{}>.*)」"
DAY = r"(?P<on>\d{4}-\d{2}-\d{2})"
OLD_SENTENCES = {
    "PROPOSAL_RECEIVED": [f"A proposal {TITLE.format('proposal')} arrived for {TITLE.format('challenge')}\\."],
    "PROPOSAL_SHORTLISTED": [f"Your proposal {TITLE.format('proposal')} for {TITLE.format('challenge')} is shortlisted\\."],
    "PROPOSAL_SELECTED": [f"Your proposal {TITLE.format('proposal')} for {TITLE.format('challenge')} is selected\\."],
    "PROPOSAL_NOT_SELECTED": [
        f"{TITLE.format('challenge')} ended without selecting your proposal {TITLE.format('proposal')}\\."
    ],
    "PROJECT_PHASE_CHANGED": [
        f"The project {TITLE.format('project')} (?P<PILOT_STARTED>started its pilot on) {DAY}\\.",
        f"The project {TITLE.format('project')} (?P<COMMERCIALISATION>moved to commercialisation)\\.",
        f"The project {TITLE.format('project')} (?P<PILOT_ENDED>ended its pilot on) {DAY}\\.",
        f"The project {TITLE.format('project')} (?P<ENDED>ended)\\.",
    ],
    "WAITLIST_PROMOTED": [f"A place came free: your registration for {TITLE.format('event')} is confirmed\\."],
    "OFFERING_REQUESTED": [f"A member municipality requested {TITLE.format('offering')}\\."],
    "OFFERING_REQUEST_ANSWERED": [r"The partner answered your offering request: (?P<status>[A-Z]+)\."],
    "BULLETIN_PUBLISHED": [rf"The (?P<year>\d{{4}})-(?P<month>\d{{2}}) bulletin {TITLE.format('title')} was published\."],
    "PROCUREMENT_CLOSED": [
        rf"The joint procurement of {TITLE.format('item')} closed: (?P<total>\d+) (?P<unit>.*) from "
        r"(?P<municipalities>\d+) municipalities\."
    ],
}
PHASE_CHANGES = ("PILOT_STARTED", "COMMERCIALISATION", "PILOT_ENDED", "ENDED")
NUMBERS = ("year", "month", "total", "municipalities")
SEED_NOTES = {
    "tier corrected from the seed dataset": MembershipNoteKind.SEED_CORRECTION,
    "carried over from the predecessor alliance without dissolution": MembershipNoteKind.FROM_PREDECESSOR,
    "carried over to the successor alliance": MembershipNoteKind.TO_SUCCESSOR,
}


def recovered_params(kind: str, text: str) -> dict:
    """The parameters an old notification text was written from, or the text itself."""
    for sentence in OLD_SENTENCES.get(kind, ()):
        found = re.fullmatch(sentence, text, re.DOTALL)
        if found is None:
            continue
        params = {name: value for name, value in found.groupdict().items() if value is not None}
        for change in PHASE_CHANGES:
            if params.pop(change, None) is not None:
                params["change"] = change
        for name in NUMBERS:
            if name in params:
                params[name] = int(params[name])
        if "status" in params:
            params["status"] = {"enum": "OfferingRequestStatus", "value": params["status"]}
        return params
    return {"legacy": text}


def placeholder(client, position: int) -> str:
    return f"${position}" if client.capabilities.dialect == "postgres" else "?"


def as_json(client, position: int) -> str:
    mark = placeholder(client, position)
    return f"CAST({mark}::text AS jsonb)" if client.capabilities.dialect == "postgres" else mark


async def notifications_as_params(apps, schema_editor) -> None:
    client = schema_editor.client
    rows = await client.execute_query_dict("SELECT id, kind, message FROM notification")
    for row in rows:
        params = recovered_params(row["kind"], row["message"])
        await client.execute_query(
            f"UPDATE notification SET params = {as_json(client, 1)} WHERE id = {placeholder(client, 2)}",
            [json.dumps(params, ensure_ascii=False), row["id"]],
        )


async def succession_names(client) -> dict[str, dict]:
    """`"<predecessor> → <successor>"`, as the succession wrote it, to the two names in both languages."""
    pairs = await client.execute_query_dict(
        "SELECT p.name AS p_ja, p.name_en AS p_en, s.name AS s_ja, s.name_en AS s_en "
        "FROM alliance s JOIN alliance p ON s.predecessor_id = p.id"
    )
    return {
        f"{pair['p_ja']} → {pair['s_ja']}": {
            "predecessor": {"ja": pair["p_ja"], "en": pair["p_en"]},
            "successor": {"ja": pair["s_ja"], "en": pair["s_en"]},
        }
        for pair in pairs
    }


async def history_notes_as_kinds(apps, schema_editor) -> None:
    client = schema_editor.client
    successions = await succession_names(client)
    rows = await client.execute_query_dict("SELECT id, note FROM membership_change WHERE note IS NOT NULL")
    for row in rows:
        if row["note"] in SEED_NOTES:
            kind, params = SEED_NOTES[row["note"]], {}
        elif row["note"] in successions:
            kind, params = MembershipNoteKind.SUCCESSION, successions[row["note"]]
        else:
            continue
        await client.execute_query(
            f"UPDATE membership_change SET note = NULL, note_kind = {placeholder(client, 1)}, "
            f"note_params = {as_json(client, 2)} WHERE id = {placeholder(client, 3)}",
            [kind.value, json.dumps(params, ensure_ascii=False), row["id"]],
        )


async def carried_dues_with_names(apps, schema_editor) -> None:
    client = schema_editor.client
    alliances = await client.execute_query_dict("SELECT name, name_en FROM alliance")
    names = {f"Carried over from {a['name']}": {"ja": a["name"], "en": a["name_en"]} for a in alliances}
    rows = await client.execute_query_dict("SELECT id, note FROM dues WHERE carried_from_id IS NOT NULL")
    for row in rows:
        if row["note"] in names:
            await client.execute_query(
                f"UPDATE dues SET note = NULL, carried_from_alliance = {as_json(client, 1)} "
                f"WHERE id = {placeholder(client, 2)}",
                [json.dumps(names[row["note"]], ensure_ascii=False), row["id"]],
            )


async def stored_messages(apps, schema_editor) -> None:
    await notifications_as_params(apps, schema_editor)
    await history_notes_as_kinds(apps, schema_editor)
    await carried_dues_with_names(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [('models', '0005_user_language')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Dues',
            name='carried_from_alliance',
            field=fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads),
        ),
        ops.AddField(
            model_name='MembershipChange',
            name='note_kind',
            field=fields.CharEnumField(null=True, description='SUCCESSION: SUCCESSION\nFROM_PREDECESSOR: FROM_PREDECESSOR\nTO_SUCCESSOR: TO_SUCCESSOR\nSEED_CORRECTION: SEED_CORRECTION', enum_type=MembershipNoteKind, max_length=32),
        ),
        ops.AddField(
            model_name='MembershipChange',
            name='note_params',
            field=fields.JSONField(null=True, default=dict, encoder=JSON_DUMPS, decoder=loads),
        ),
        ops.AddField(
            model_name='Notification',
            name='params',
            field=fields.JSONField(null=True, default=dict, encoder=JSON_DUMPS, decoder=loads),
        ),
        ops.RunPython(stored_messages),
        ops.RemoveField(model_name='Notification', name='message'),
    ]
