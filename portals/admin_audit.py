"""The audit log (/admin/audit) in words, in the page's language: filtered by period, caller,
target and action, paged, and exported as CSV for Excel (/admin/audit.csv)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from urllib.parse import urlencode

from starlette.responses import Response
from strawberry.relay import from_base64

from i18n.dates import format_datetime
from portals.admin import excel_csv, pages
from portals.api import enum_values
from portals.i18n import Translator
from portals.web import Visit, page_arguments
from resolvers.spreadsheet import SpreadsheetWriter

JAPAN = dt.timezone(dt.timedelta(hours=9))
TEXT_FILTERS = {"actor": "actorName", "target": "targetName"}
CSV_PAGE = 100
CSV_COLUMNS = ("at", "action", "outcome", "actor", "role", "target_kind", "target", "changes", "reason", "errors")
NAMED_BY_MUNICIPALITY = (
    "Municipality", "Contact", "Dues", "CaseStudyAdoption", "ProcurementParticipation", "WorkingGroupParticipant",
)
ADMIN_PAGE_OF_KIND = {
    "Officer": "/admin/officers",
    "ApiToken": "/admin/accounts",
    "User": "/admin/accounts",
    "LoginLink": "/admin/accounts",
    "Event": "/admin/events",
    "EventRegistration": "/admin/events",
    "Partner": "/admin/partners",
    "Offering": "/admin/partners",
    "OfferingRequest": "/admin/partners",
}


def catalogued(t: Translator, prefix: str) -> list[tuple[str, str]]:
    """(code, words) for every catalogue key under `prefix`, in the order of the words."""
    return sorted(
        ((key.removeprefix(prefix), text) for key, text in t.messages.items() if key.startswith(prefix)),
        key=lambda pair: pair[1],
    )


def japan_day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def audit_filter(visit: Visit) -> tuple[dict[str, str], dict[str, Any]]:
    """What the page's form chose (to show it again) and the API's `AuditFilter` for it: the
    period runs from the start of its first day to the end of its last, Japan time."""
    chosen: dict[str, str] = {}
    api_filter: dict[str, Any] = {}
    for param, name in TEXT_FILTERS.items():
        value = (visit.param(param) or "").strip()
        if value:
            chosen[param] = api_filter[name] = value
    action, kind, outcome = visit.param("action"), visit.param("kind"), visit.param("outcome")
    if action and visit.t.has(f"audit.action.{action}"):
        chosen["action"] = api_filter["action"] = action
    if kind and visit.t.has(f"audit.target.{kind}"):
        chosen["kind"] = api_filter["targetKind"] = kind
    if outcome in enum_values("AuditOutcome"):
        chosen["outcome"] = api_filter["outcome"] = outcome or ""
    first, last = japan_day(visit.param("from")), japan_day(visit.param("to"))
    if first:
        chosen["from"] = first.isoformat()
        api_filter["since"] = dt.datetime.combine(first, dt.time(), JAPAN).isoformat()
    if last:
        chosen["to"] = last.isoformat()
        api_filter["until"] = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), JAPAN).isoformat()
    return chosen, api_filter


def target_href(entry: dict[str, Any]) -> str | None:
    """The admin page of an entry's target, where there is one."""
    kind = entry["targetKind"]
    if kind == "Membership":
        return f"/admin/members/{entry['targetId']}"
    if kind in NAMED_BY_MUNICIPALITY and entry["targetName"]:
        return "/admin/members?" + urlencode({"search": entry["targetName"]})
    return ADMIN_PAGE_OF_KIND.get(kind or "")


def actor_words(t: Translator, entry: dict[str, Any]) -> str:
    if entry["actorName"]:
        return entry["actorName"]
    if entry["userId"] is not None:
        return t("audit_log.unknown_user", number=entry["userId"])
    return t("audit_log.anonymous")


def target_words(t: Translator, entry: dict[str, Any]) -> str:
    """The target's name; its kind and number where it has none (an email, an older entry)."""
    if entry["targetName"]:
        return entry["targetName"]
    if entry["targetKind"]:
        return t("audit_log.numbered", kind=entry["targetKindName"], number=from_base64(entry["targetId"])[1])
    return ""


def change_lines(t: Translator, entry: dict[str, Any]) -> list[str]:
    nothing = t("audit_log.nothing")
    return [
        t("audit_log.change", label=change["label"], before=change["before"] or nothing, after=change["after"] or nothing)
        for change in entry["fieldChanges"]
    ]


def readable(t: Translator, entry: dict[str, Any]) -> dict[str, Any]:
    """One entry as the page and the CSV show it."""
    return {
        **entry,
        "actor": actor_words(t, entry),
        "target": target_words(t, entry),
        "href": target_href(entry),
        "changes": change_lines(t, entry),
    }


@pages.get("/audit")
async def audit_log(visit: Visit) -> Response:
    t = visit.t
    chosen, api_filter = audit_filter(visit)
    data = await visit.query("admin/audit_log", filter=api_filter, **page_arguments(visit.request, 50))
    log = data["auditLog"]
    return visit.render(
        "admin/audit.html",
        entries=log,
        rows=[readable(t, entry) for entry in log["nodes"]],
        chosen=chosen,
        actions=catalogued(t, "audit.action."),
        kinds=catalogued(t, "audit.target."),
        export_query=urlencode(chosen),
    )


async def every_entry(visit: Visit, api_filter: dict[str, Any]) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    after = None
    while True:
        page = (await visit.query("admin/audit_log", filter=api_filter, first=CSV_PAGE, after=after))["auditLog"]
        entries += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return entries
        after = page["pageInfo"]["endCursor"]


@pages.get("/audit.csv")
async def audit_csv(visit: Visit) -> Response:
    """The filtered log, every page of it, as CSV for Excel (`resolvers.spreadsheet`: UTF-8 with
    a byte-order mark, no cell a formula), in the page's language."""
    t = visit.t
    out = io.StringIO()
    writer = SpreadsheetWriter(out)
    writer.writerow([t(f"audit_log.csv.{column}") for column in CSV_COLUMNS])
    for entry in await every_entry(visit, audit_filter(visit)[1]):
        row = readable(t, entry)
        writer.writerow([
            format_datetime(entry["at"], t.language), entry["actionName"], t.enum("AuditOutcome", entry["outcome"]),
            row["actor"], t.enum("Role", entry["role"]), entry["targetKindName"] or "", row["target"],
            "\n".join(row["changes"]), entry["reason"] or "", "\n".join(entry["errorMessages"]),
        ])
    return excel_csv(out.getvalue(), "audit-log.csv")
