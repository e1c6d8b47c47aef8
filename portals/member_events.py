"""The member portal's event extras: each event's `.ics`, and the calendar-feed address
(issued on request and shown once, as only a digest of its secret is kept)."""

from __future__ import annotations

from starlette.responses import Response

from portals.event_calendar import calendar_download
from portals.member import events_context, pages
from portals.web import Visit


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
