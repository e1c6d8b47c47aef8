"""The secretariat edits a partner (/admin/partners/{slug}/edit); its offerings are managed on
the pages `portals.offering_pages` adds."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.responses import Response

from portals.forms import FormInput
from portals.web import Pages, Visit

PARTNER_FIELDS = ("name", "nameEn", "kind", "description")


def partner_as_posted(partner: dict[str, Any]) -> FormData:
    """The partner's values as its edit form shows them before anything is posted."""
    return FormData([(name, partner[name] or "") for name in PARTNER_FIELDS])


def add_partner_edit_page(pages: Pages) -> None:
    """GET and POST `/partners/{slug}/edit`."""

    async def edit_context(visit: Visit) -> dict[str, Any]:
        data = await visit.query("admin/partner", slug=visit.request.path_params["slug"])
        context: dict[str, Any] = {"partner": data["partner"]}
        if data["partner"] and visit.form is None:
            context["posted"] = partner_as_posted(data["partner"])
        return context

    @pages.get("/partners/{slug}/edit")
    async def edit_form(visit: Visit) -> Response:
        context = await edit_context(visit)
        if context["partner"] is None:
            return visit.render("shared/not_found.html", status=404)
        return visit.render("admin/partner_edit.html", **context)

    @pages.post("/partners/{slug}/edit")
    async def edit_partner(visit: Visit) -> Response:
        slug = visit.request.path_params["slug"]
        form = FormInput(visit.form, visit.t)
        values = {
            "slug": slug,
            "name": form.text("name"),
            "nameEn": form.text("nameEn"),
            "kind": form.required("kind", form.choice("kind", "PartnerKind")),
            "description": form.text("description"),
        }
        if form.problems:
            return visit.refused("admin/partner_edit.html", form.outcome, **await edit_context(visit))
        return await visit.submit(
            "admin/update_partner", values,
            then=f"/admin/partners/{slug}",
            done="partner_updated",
            form="admin/partner_edit.html",
            context=edit_context,
        )
