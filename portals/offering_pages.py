"""Managing offerings, the same in the partner dashboard (a partner's own) and the admin portal
(any partner's): edit one, pause and resume it, withdraw it after a confirmation with a reason,
and see the requests made for it. The partner dashboard also lists its offerings and adds new
ones; the admin portal adds them on the partner's page."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.responses import Response

from portals.api import Outcome
from portals.forms import FormInput
from portals.web import Pages, Portal, Visit

CONFIRMABLE = "POSSIBLE_DUPLICATE"
"""The refusal the user may overrule: a title the partner uses already."""


def offering_values(form: FormInput) -> dict[str, Any]:
    """The fields of the offering form as the input of createOffering or updateOffering."""
    return {
        "title": form.text("title"),
        "kind": form.required("kind", form.choice("kind", "OfferingKind")),
        "summary": form.text("summary"),
        "audience": form.required("audience", form.choice("audience", "Audience")),
        "themeNumbers": form.numbers("themeNumbers"),
        "capacity": form.integer("capacity"),
        "startsOn": form.date("startsOn"),
        "endsOn": form.date("endsOn"),
        "confirmDuplicate": form.text("confirmDuplicate") == "yes",
    }


def asks_to_confirm(outcome: Outcome) -> bool:
    """Whether the only thing that stopped the form is a duplicate the user may confirm."""
    return bool(outcome.errors) and all(error.code == CONFIRMABLE for error in outcome.errors)


def as_posted(offering: dict[str, Any]) -> FormData:
    """The offering's values as the form shows them before anything is posted."""
    fields = [(name, offering[name]) for name in ("title", "kind", "summary", "audience")]
    fields += [(name, str(offering[name])) for name in ("capacity", "startsOn", "endsOn") if offering[name]]
    fields += [("themeNumbers", str(theme["number"])) for theme in offering["themes"]]
    return FormData(fields)


def offerings_home(pages: Pages) -> str:
    """Where the offering pages of this portal live."""
    return f"{pages.portal.prefix}/offerings"


def add_offering_pages(pages: Pages) -> None:
    """`/offerings/{id}` (edit, with the requests), its pause, resume and withdraw steps."""
    home = offerings_home(pages)

    async def offering_context(visit: Visit) -> dict[str, Any]:
        data = await visit.query("shared/offering", id=visit.request.path_params["id"])
        offering = data["node"]
        context = {"offering": offering, "themes": data["themes"], "requests": data["offeringRequests"], "home": home}
        if offering and visit.form is None:
            context["posted"] = as_posted(offering)
        return context

    async def found(visit: Visit, template: str) -> Response:
        context = await offering_context(visit)
        if not context["offering"]:
            return visit.render("shared/not_found.html", status=404)
        return visit.render(template, **context)

    @pages.get("/offerings/{id}")
    async def offering(visit: Visit) -> Response:
        return await found(visit, "shared/offering.html")

    @pages.post("/offerings/{id}")
    async def update(visit: Visit) -> Response:
        form = FormInput(visit.form, visit.t)
        values = {"offeringId": visit.request.path_params["id"], **offering_values(form)}
        if form.problems:
            return visit.refused("shared/offering.html", form.outcome, **await offering_context(visit))
        outcome = await visit.mutate("shared/update_offering", values)
        if outcome.accepted:
            return visit.redirect(f"{home}/{values['offeringId']}", "offering_updated")
        context = await offering_context(visit)
        return visit.refused("shared/offering.html", outcome, confirm_duplicate=asks_to_confirm(outcome), **context)

    add_status_step(pages, "pause", "shared/pause_offering", home, offering_context)
    add_status_step(pages, "resume", "shared/resume_offering", home, offering_context)

    @pages.get("/offerings/{id}/withdraw")
    async def confirm_withdrawal(visit: Visit) -> Response:
        return await found(visit, "shared/offering_withdraw.html")

    @pages.post("/offerings/{id}/withdraw")
    async def withdraw(visit: Visit) -> Response:
        form = FormInput(visit.form, visit.t)
        offering_id = visit.request.path_params["id"]
        values = {"offeringId": offering_id, "reason": form.required("reason", form.text("reason"))}
        if form.problems:
            return visit.refused("shared/offering_withdraw.html", form.outcome, **await offering_context(visit))
        return await visit.submit(
            "shared/withdraw_offering", values,
            then=f"{home}/{offering_id}",
            done="offering_withdrawn",
            form="shared/offering_withdraw.html",
            context=offering_context,
        )


def add_status_step(pages: Pages, step: str, document: str, home: str, context: Any) -> None:
    """POST `/offerings/{id}/<step>`: one button, no confirmation (pausing is undone by resuming)."""

    async def take_step(visit: Visit) -> Response:
        offering_id = visit.request.path_params["id"]
        return await visit.submit(
            document, {"offeringId": offering_id},
            then=f"{home}/{offering_id}",
            done=f"offering_{step}d",
            form="shared/offering.html",
            context=context,
        )

    pages.post(f"/offerings/{{id}}/{step}")(take_step)


def add_partner_catalogue_pages(pages: Pages) -> None:
    """The partner dashboard's `/offerings`: its own offerings, and the form for a new one."""
    assert pages.portal is Portal.PARTNER

    async def catalogue_context(visit: Visit) -> dict[str, Any]:
        data = await visit.query("partner/offerings")
        return {"partner": data["viewer"]["partner"], "themes": data["themes"], "offering_base": offerings_home(pages)}

    @pages.get("/offerings")
    async def catalogue(visit: Visit) -> Response:
        return visit.render("partner/offerings.html", **await catalogue_context(visit))

    @pages.post("/offerings")
    async def create(visit: Visit) -> Response:
        form = FormInput(visit.form, visit.t)
        values = offering_values(form)
        if form.problems:
            return visit.refused("partner/offerings.html", form.outcome, **await catalogue_context(visit))
        outcome = await visit.mutate("partner/create_offering", values)
        if outcome.accepted:
            return visit.redirect(f"{offerings_home(pages)}/{outcome.payload['offering']['id']}", "offering_created")
        context = await catalogue_context(visit)
        return visit.refused("partner/offerings.html", outcome, confirm_duplicate=asks_to_confirm(outcome), **context)
