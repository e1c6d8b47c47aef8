"""The secretariat's page of one event (/admin/events/{id}): its details, the registrants and
the waiting list in order, the edit form, cancelling with a reason (confirmed on a second page),
the printable registrant list and the event's `.ics`."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.responses import Response

from portals.admin import pages
from portals.event_calendar import calendar_download
from portals.forms import FormInput
from portals.web import Visit

EDITED_TEXT = ("title", "description", "kind", "format", "audience", "venue", "meetingUrl")
EDITED_TIMES = ("startsAt", "endsAt", "registrationClosesAt")


def event_path(visit: Visit) -> str:
    return f"/admin/events/{visit.request.path_params['id']}"


async def event_with_registrations(visit: Visit) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """The event with every registration (all pages of them), and the query's other data."""
    data = await visit.query("admin/event", id=visit.request.path_params["id"])
    event = data["node"]
    if not event:
        return None, data
    registrations = event["registrations"]
    nodes = list(registrations["nodes"])
    while registrations["pageInfo"]["hasNextPage"]:
        more = await visit.query("admin/event", id=event["id"], after=registrations["pageInfo"]["endCursor"])
        registrations = more["node"]["registrations"]
        nodes.extend(registrations["nodes"])
    event["registrations"]["nodes"] = nodes
    return event, data


def current_values(event: dict[str, Any]) -> FormData:
    """The edit form filled with the event as it is (times as `datetime-local` reads them)."""
    values: list[tuple[str, str | UploadFile]] = [
        (name, str(event[name])) for name in EDITED_TEXT if event[name] is not None
    ]
    values += [(name, event[name][:16]) for name in EDITED_TIMES]
    if event["capacity"] is not None:
        values.append(("capacity", str(event["capacity"])))
    values += [("themeNumbers", str(theme["number"])) for theme in event["themes"]]
    return FormData(values)


async def event_context(visit: Visit) -> dict[str, Any]:
    event, data = await event_with_registrations(visit)
    if event is None:
        return {"event": None}
    nodes = event["registrations"]["nodes"]
    context = {
        "event": event,
        "themes": data["themes"],
        "confirmed": [r for r in nodes if r["status"] == "CONFIRMED"],
        "waiting": sorted((r for r in nodes if r["status"] == "WAITLISTED"), key=lambda r: r["waitlistPosition"]),
        "cancelled": [r for r in nodes if r["status"] == "CANCELLED"],
    }
    if visit.form is None:
        context["posted"] = current_values(event)
    return context


@pages.get("/events/{id}")
async def event_page(visit: Visit) -> Response:
    context = await event_context(visit)
    if not context["event"]:
        return visit.render("shared/not_found.html", status=404)
    return visit.render("admin/event.html", **context)


@pages.post("/events/{id}/edit")
async def update_event(visit: Visit) -> Response:
    form = FormInput(visit.form, visit.t)
    values = {
        "eventId": visit.request.path_params["id"],
        "title": form.required("title", form.text("title")),
        "description": form.text("description"),
        "kind": form.required("kind", form.choice("kind", "EventKind")),
        "format": form.required("format", form.choice("format", "EventFormat")),
        "audience": form.required("audience", form.choice("audience", "Audience")),
        "startsAt": form.required("startsAt", form.japan_datetime("startsAt")),
        "endsAt": form.required("endsAt", form.japan_datetime("endsAt")),
        "registrationClosesAt": form.required("registrationClosesAt", form.japan_datetime("registrationClosesAt")),
        "venue": form.optional("venue"),
        "capacity": form.integer("capacity"),
        "meetingUrl": form.optional("meetingUrl"),
        "themeNumbers": form.numbers("themeNumbers"),
    }
    if form.problems:
        return visit.refused("admin/event.html", form.outcome, **await event_context(visit))
    return await visit.submit(
        "admin/update_event", values,
        then=event_path(visit),
        done="event_updated",
        form="admin/event.html",
        context=event_context,
    )


@pages.post("/events/{id}/cancel")
async def cancel_event(visit: Visit) -> Response:
    """First the reason, then a page that asks to confirm; only the confirmed form cancels."""
    form = FormInput(visit.form, visit.t)
    reason = form.required("reason", form.text("reason"))
    if form.problems:
        return visit.refused("admin/event.html", form.outcome, **await event_context(visit))
    if form.text("confirmed") != "yes":
        context = await event_context(visit)
        if not context["event"]:
            return visit.render("shared/not_found.html", status=404)
        return visit.render("admin/event_cancel.html", reason=reason, **context)
    return await visit.submit(
        "admin/cancel_event", {"eventId": visit.request.path_params["id"], "reason": reason},
        then=event_path(visit),
        done="event_cancelled_told",
        form="admin/event.html",
        context=event_context,
    )


@pages.get("/events/{id}/print")
async def registrants_print(visit: Visit) -> Response:
    context = await event_context(visit)
    if not context["event"]:
        return visit.render("shared/not_found.html", status=404)
    return visit.render("admin/event_print.html", **context)


@pages.get("/events/{id}/calendar.ics")
async def event_calendar(visit: Visit) -> Response:
    return await calendar_download(visit)
