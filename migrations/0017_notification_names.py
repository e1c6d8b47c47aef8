"""Notifications stored before they named what they concern get those names.

A notification now keeps, among its parameters, the municipality, partner, organiser or offering
it concerns (`resolvers.notification.NAMED`). For each stored one of a kind that names them, the
names are looked up through its subject (the proposal, the offering request, the procurement
group, the event or the registration for it), in both languages; an event's organiser is its
partner, its working group by theme, or the alliance. Where the subject or the organisation is
gone, the parameter stays missing and the notification reads with the catalogue's
`notification.unnamed.<parameter>`.
"""

import json

from tortoise import migrations
from tortoise.migrations import operations as ops

# The parameters each kind names, and the column of its subject's row that gives each.
NAMES_BY_KIND = {
    "PROPOSAL_RECEIVED": {"partner": "partner_id"},
    "PROPOSAL_UPDATED": {"partner": "partner_id"},
    "PROPOSAL_SHORTLISTED": {"municipality": "municipality_id"},
    "PROPOSAL_SELECTED": {"municipality": "municipality_id"},
    "PROPOSAL_NOT_SELECTED": {"municipality": "municipality_id"},
    "PROPOSAL_DECLINED": {"municipality": "municipality_id"},
    "PROJECT_PHASE_CHANGED": {"municipality": "municipality_id"},
    "OFFERING_REQUESTED": {"municipality": "municipality_id"},
    "OFFERING_REQUEST_ANSWERED": {"partner": "partner_id", "offering": "offering_id"},
    "PROCUREMENT_CLOSED": {"organiser": "organiser_id"},
    "EVENT_UPDATED": {"organiser": "event_id"},
    "EVENT_CANCELLED": {"organiser": "event_id"},
    "WAITLIST_PROMOTED": {"organiser": "event_id"},
}
SUBJECT_TABLES = {
    "Proposal": ("proposal", "municipality_id, partner_id"),
    "OfferingRequest": ("offering_request", "municipality_id, partner_id, offering_id"),
    "ProcurementGroup": ("procurement_group", "organiser_id"),
    "Event": ("event", "id AS event_id"),
    "EventRegistration": ("event_registration", "event_id"),
}
# How the catalogue names a working group (`event.working_group_of`) when this migration was written.
WORKING_GROUP = {"ja": "{theme} ワーキンググループ", "en": "{theme} working group"}


def placeholder(client, position: int) -> str:
    return f"${position}" if client.capabilities.dialect == "postgres" else "?"


def as_json(client, position: int) -> str:
    mark = placeholder(client, position)
    return f"CAST({mark}::text AS jsonb)" if client.capabilities.dialect == "postgres" else mark


def params_of(value) -> dict:
    if isinstance(value, str):
        return json.loads(value)
    return dict(value or {})


async def rows_by_id(client, table: str, columns: str) -> dict[int, dict]:
    return {row["id"]: row for row in await client.execute_query_dict(f"SELECT id, {columns} FROM {table}")}


async def named(client, table: str, name: str, name_en: str | None) -> dict[int, object]:
    """Each row's name: both languages as a notification keeps a name, or the one as written."""
    english = f", {name_en}" if name_en else ""
    rows = await client.execute_query_dict(f"SELECT id, {name}{english} FROM {table}")
    if name_en is None:
        return {row["id"]: row[name] for row in rows}
    return {row["id"]: {"ja": row[name], "en": row[name_en]} for row in rows}


async def event_organisers(client) -> dict[int, dict]:
    """Each event's organiser in both languages: its partner, its working group or the alliance."""
    partners = await named(client, "partner", "name", "name_en")
    alliances = {
        row["id"]: {"ja": row["short_name"] or row["name"], "en": row["name_en"]}
        for row in await client.execute_query_dict("SELECT id, name, short_name, name_en FROM alliance")
    }
    groups = {
        row["id"]: {
            "ja": WORKING_GROUP["ja"].format(theme=f"{row['roman']} {row['title']}"),
            "en": WORKING_GROUP["en"].format(theme=f"{row['roman']} {row['title_en']}"),
        }
        for row in await client.execute_query_dict(
            "SELECT w.id, t.roman, t.title, t.title_en FROM working_group w JOIN theme t ON t.id = w.theme_id"
        )
    }
    events = await client.execute_query_dict(
        "SELECT id, organiser_kind, alliance_id, working_group_id, partner_id FROM event"
    )
    by_kind = {"PARTNER": (partners, "partner_id"), "WORKING_GROUP": (groups, "working_group_id")}
    organisers = {}
    for event in events:
        names, column = by_kind.get(event["organiser_kind"], (alliances, "alliance_id"))
        if event[column] in names:
            organisers[event["id"]] = names[event[column]]
    return organisers


async def names_in_notifications(apps, schema_editor) -> None:
    client = schema_editor.client
    kinds = ", ".join(f"'{kind}'" for kind in NAMES_BY_KIND)
    notifications = await client.execute_query_dict(
        f"SELECT id, kind, params, subject_type, subject_id FROM notification WHERE kind IN ({kinds})"
    )
    if not notifications:
        return
    subjects = {kind: await rows_by_id(client, *table) for kind, table in SUBJECT_TABLES.items()}
    municipalities = await named(client, "municipality", "name", "name_en")
    names = {
        "municipality_id": municipalities,
        "organiser_id": municipalities,
        "partner_id": await named(client, "partner", "name", "name_en"),
        "offering_id": await named(client, "offering", "title", None),
        "event_id": await event_organisers(client),
    }
    for notification in notifications:
        params = params_of(notification["params"])
        if "legacy" in params:
            continue
        subject = subjects.get(notification["subject_type"], {}).get(notification["subject_id"])
        found = {
            parameter: names[column][subject[column]]
            for parameter, column in NAMES_BY_KIND[notification["kind"]].items()
            if parameter not in params and subject is not None and subject[column] in names[column]
        }
        if found:
            await client.execute_query(
                f"UPDATE notification SET params = {as_json(client, 1)} WHERE id = {placeholder(client, 2)}",
                [json.dumps(params | found, ensure_ascii=False), notification["id"]],
            )


class Migration(migrations.Migration):
    dependencies = [('models', '0016_notification_kinds')]

    initial = False

    operations = [
        ops.RunPython(names_in_notifications),
    ]
