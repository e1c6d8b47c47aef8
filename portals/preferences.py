"""The signed-in person's own preferences, the same page in every portal (/…/preferences): the
address Tsunagu emails them at and how notifications reach them (at once, a daily digest, never)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.responses import Response

from portals import admin, member, partner
from portals.api import enum_values
from portals.web import Pages, Visit


async def preferences_context(visit: Visit) -> dict[str, Any]:
    data = await visit.query("shared/preferences")
    return {"me": data["viewer"]}


def add_preference_pages(pages: Pages) -> None:
    @pages.get("/preferences")
    async def preferences(visit: Visit) -> Response:
        return visit.render("shared/preferences.html", **await preferences_context(visit))

    @pages.post("/preferences")
    async def save_preferences(visit: Visit) -> Response:
        form: Mapping[str, Any] = visit.form or {}
        chosen = str(form.get("notificationEmail", ""))
        values: dict[str, Any] = {"email": str(form.get("email", "")).strip() or None}
        if chosen in enum_values("NotificationEmail"):
            values["notificationEmail"] = chosen
        return await visit.submit(
            "shared/save_preferences", values,
            then=f"{pages.portal.prefix}/preferences",
            done="preferences_saved",
            form="shared/preferences.html",
            context=preferences_context,
        )


for portal_pages in (admin.pages, member.pages, partner.pages):
    add_preference_pages(portal_pages)
