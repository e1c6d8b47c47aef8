"""A bulletin as its readers see it in the member portal (/portal/bulletins/{id}): the text as
written (the API's safe HTML), its files and a print view."""

from __future__ import annotations

from starlette.responses import Response

from portals.member import pages
from portals.web import Visit


@pages.get("/bulletins/{id}")
async def bulletin(visit: Visit) -> Response:
    node = (await visit.query("portal/bulletin", id=visit.request.path_params["id"]))["node"]
    if not node:
        return visit.render("shared/not_found.html", status=404)
    return visit.render("portal/bulletin.html", bulletin=node)
