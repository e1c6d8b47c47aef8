"""A member's private records on its membership page (/admin/members/{id}): its staff contacts,
current and past, and its bills of dues by fiscal year. The forms post to paths two steps below
the membership, so that they never meet `/members/{id}/{action}` of `portals.admin`."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from portals.admin import membership_context, pages
from portals.forms import FormInput
from portals.web import Visit


def membership_page(visit: Visit) -> str:
    return f"/admin/members/{visit.request.path_params['id']}"


async def run_form(visit: Visit, form: FormInput, name: str, values: dict[str, Any], done: str) -> Response:
    """The mutation of one of the records' forms; back to the membership page, or the page again
    with the problems the form or the API found."""
    if form.problems:
        return visit.refused("admin/membership.html", form.outcome, **await membership_context(visit))
    return await visit.submit(
        name, values,
        then=membership_page(visit),
        done=done,
        form="admin/membership.html",
        context=membership_context,
    )


@pages.post("/members/{id}/contacts/new")
async def add_contact(visit: Visit) -> Response:
    form = FormInput(visit.form, visit.t)
    values = {
        "municipalityCode": form.text("municipalityCode"),
        "role": form.required("role", form.choice("role", "ContactRole")),
        "name": form.text("name"),
        "department": form.optional("department"),
        "email": form.optional("email"),
        "phone": form.optional("phone"),
        "workingGroupId": form.optional("workingGroupId"),
        "fiscalYear": form.integer("fiscalYear"),
    }
    return await run_form(visit, form, "admin/add_contact", values, "contact_added")


@pages.post("/members/{id}/contacts/{contact}/end")
async def end_contact(visit: Visit) -> Response:
    form = FormInput(visit.form, visit.t)
    values = {"contactId": visit.request.path_params["contact"], "endedOn": form.date("endedOn")}
    return await run_form(visit, form, "admin/end_contact", values, "contact_ended")


@pages.post("/members/{id}/dues/new")
async def bill_dues(visit: Visit) -> Response:
    form = FormInput(visit.form, visit.t)
    values = {
        "membershipId": visit.request.path_params["id"],
        "fiscalYear": form.required("fiscalYear", form.integer("fiscalYear")),
        "amount": form.required("amount", form.integer("amount")),
        "note": form.optional("note"),
    }
    return await run_form(visit, form, "admin/bill_dues", values, "dues_billed")


@pages.post("/members/{id}/dues/{dues}/settle")
async def settle_dues(visit: Visit) -> Response:
    form = FormInput(visit.form, visit.t)
    values = {
        "duesId": visit.request.path_params["dues"],
        "status": form.required("status", form.choice("status", "DuesStatus")),
        "settledOn": form.date("settledOn"),
        "note": form.optional("note"),
    }
    return await run_form(visit, form, "admin/settle_dues", values, "dues_settled")
