"""The member portal's joint procurement (/portal/procurement): the alliance's groups, and the
forms with which the municipality joins one with a quantity, changes it and leaves."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from portals.api import NO_ERRORS
from portals.forms import FormInput
from portals.member import pages
from portals.web import Visit, page_arguments

CHANGES = {"join": "portal/join_procurement", "change": "portal/change_procurement", "leave": "portal/leave_procurement"}
"""Each form's path under /portal/procurement/ and the mutation it sends."""


def own_quantities(code: str, groups: list[dict[str, Any]]) -> dict[str, int]:
    """The municipality's current quantity in each group it takes part in, by group ID."""
    return {
        group["id"]: participant["quantity"]
        for group in groups
        for participant in (group["participants"] or {"nodes": []})["nodes"]
        if participant["municipality"]["code"] == code and participant["leftAt"] is None
    }


async def procurement_context(visit: Visit) -> dict[str, Any]:
    data = await visit.query(
        "portal/procurement",
        filter={"allianceSlug": visit.web.settings.alliance_slug},
        **page_arguments(visit.request, 10),
    )
    groups = data["procurementGroups"]
    code = data["viewer"]["municipality"]["code"]
    quantities = own_quantities(code, groups["nodes"])
    return {"groups": groups, "quantities": quantities, "no_errors": NO_ERRORS}


@pages.get("/procurement")
async def procurement(visit: Visit) -> Response:
    return visit.render("portal/procurement.html", **await procurement_context(visit))


@pages.post("/procurement/{change:str}")
async def change_procurement(visit: Visit) -> Response:
    change = visit.request.path_params["change"]
    if change not in CHANGES:
        return visit.render("shared/not_found.html", status=404)
    form = FormInput(visit.form, visit.t)
    values: dict[str, Any] = {"groupId": form.text("groupId")}
    if change != "leave":
        values["quantity"] = form.required("quantity", form.integer("quantity"))
    if form.problems:
        context = await procurement_context(visit)
        return visit.refused("portal/procurement.html", form.outcome, **context)
    return await visit.submit(
        CHANGES[change], values,
        then="/portal/procurement",
        done=f"procurement_{change}",
        form="portal/procurement.html",
        context=procurement_context,
    )
