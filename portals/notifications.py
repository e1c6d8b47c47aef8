"""The notifications pages, the same in the member portal and the partner dashboard: each
notification links to the page the API names for it (`Notification.portalPath`)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from portals.web import Pages, Visit, page_arguments


async def notifications_context(visit: Visit) -> dict[str, Any]:
    data = await visit.query("shared/notifications", **page_arguments(visit.request))
    return {"notifications": data["notifications"]}


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
