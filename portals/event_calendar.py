"""An event's `.ics` for the signed-in user of any portal, read through the API."""

from __future__ import annotations

from starlette.responses import Response

from portals.web import Visit


async def calendar_download(visit: Visit) -> Response:
    """The event's `.ics`, as the signed-in user may see it (the meeting URL only if they may)."""
    data = await visit.query("shared/event_calendar", id=visit.request.path_params["id"])
    if not data["node"]:
        return visit.render("shared/not_found.html", status=404)
    return Response(
        data["node"]["icalendar"],
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="event.ics"'},
    )
