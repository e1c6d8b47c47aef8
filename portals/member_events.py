"""The member portal's event extras: each event's page and `.ics`, and the calendar-feed address
(issued on request and shown once, as only a digest of its secret is kept)."""

from __future__ import annotations

from starlette.responses import Response

from portals.event_calendar import calendar_download
from portals.member import active_tier, events_context, pages
from portals.web import Visit


@pages.get("/events/{id}")
async def event(visit: Visit) -> Response:
    """One event, where a notification about it leads: the same card as in the list."""
    data = await visit.query("portal/event", id=visit.request.path_params["id"])
    node = data["node"]
    if not node or "title" not in node:
        return visit.render("shared/not_found.html", status=404)
    tier = active_tier(visit, data["viewer"]["municipality"]["memberships"])
    return visit.render("portal/event.html", event=node, tier=tier)


@pages.get("/events/{id}/calendar.ics")
async def event_calendar(visit: Visit) -> Response:
    return await calendar_download(visit)


@pages.post("/events/calendar-feed")
async def issue_calendar_feed(visit: Visit) -> Response:
    outcome = await visit.mutate("portal/issue_calendar_feed", {})
    context = await events_context(visit)
    if not outcome.accepted:
        return visit.refused("portal/events.html", outcome, **context)
    response = visit.render("portal/events.html", feed_url=outcome.payload["url"], **context)
    response.headers["Cache-Control"] = "no-store"
    return response
