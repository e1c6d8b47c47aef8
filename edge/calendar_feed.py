"""`/calendar/{token}.ics`: an account's calendar feed, for calendar apps that cannot sign in.

The token in the URL is the only credential (`resolvers.event_calendar.issue_feed`); a token that
opens no feed is answered 404, the same as a path that names nothing.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from i18n import DEFAULT_LANGUAGE, message
from resolvers.calendar_feed import feed_entries, feed_owner
from resolvers.event_calendar import icalendar_of
from settings import Settings

CALENDAR_TYPE = "text/calendar; charset=utf-8"


def calendar_feed_endpoint(settings: Settings) -> Any:
    async def calendar_feed(request: Request) -> Response:
        user = await feed_owner(request.path_params["token"])
        if user is None:
            return PlainTextResponse("Not Found", status_code=404)
        language = user.language or DEFAULT_LANGUAGE
        entries = await feed_entries(user, settings.alliance_slug)
        body = icalendar_of(entries, language, message("events.calendar.feed_name"))
        headers = {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex"}
        return Response(body, media_type=CALENDAR_TYPE, headers=headers)

    return calendar_feed
