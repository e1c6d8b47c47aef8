"""The notifications pages, the same in the member portal and the partner dashboard."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from portals.web import Pages, Visit, page_arguments

# The page each kind of notification is about, by portal (paths under the portal's prefix).
PAGES_ABOUT = {
    "portal": {
        "MEMBERSHIP_DECIDED": "",
        "WAITLIST_PROMOTED": "/events",
        "OFFERING_REQUEST_ANSWERED": "/offerings",
        "BULLETIN_PUBLISHED": "/bulletins",
        "PROPOSAL_RECEIVED": "/challenges",
        "INTRODUCTION_REQUESTED": "/introductions",
        "INTRODUCTION_ANSWERED": "/introductions?box=sent",
    },
    "partner": {
        "OFFERING_REQUESTED": "/requests",
        "PROPOSAL_SHORTLISTED": "/proposals",
        "PROPOSAL_SELECTED": "/proposals",
        "PROPOSAL_NOT_SELECTED": "/proposals",
        "PROJECT_PHASE_CHANGED": "/proposals",
    },
}


async def notifications_context(visit: Visit) -> dict[str, Any]:
    data = await visit.query("shared/notifications", **page_arguments(visit.request))
    portal = visit.pages.portal
    links = {kind: portal.prefix + path for kind, path in PAGES_ABOUT.get(portal.key, {}).items()}
    return {"notifications": data["notifications"], "links": links}


def add_notification_pages(pages: Pages) -> None:
    @pages.get("/notifications")
    async def notifications(visit: Visit) -> Response:
        return visit.render("shared/notifications.html", **await notifications_context(visit))

    @pages.post("/notifications/read")
    async def mark_read(visit: Visit) -> Response:
        outcome = await visit.mutate("shared/mark_notifications_read", {})
        if outcome.accepted:
            return visit.redirect(f"{pages.portal.prefix}/notifications", "notifications_read")
        return visit.refused("shared/notifications.html", outcome, **await notifications_context(visit))
