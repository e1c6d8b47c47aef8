"""The partner dashboard's proposal pages (/partner/proposals/{id}): where a proposal stands and the
phase of the project it became, changing it while the municipality has not yet acted on it, and
withdrawing it after a confirmation."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.responses import Response

from portals.forms import FormInput
from portals.partner import pages
from portals.steps import Step, steps
from portals.web import Visit

PROPOSAL_STEPS = ("submitted", "shortlisted", "selected", "pilot", "commercialisation")
WAITING = ("SUBMITTED", "SHORTLISTED")


def proposal_steps(proposal: dict[str, Any]) -> list[Step]:
    """The proposal's way from submission to commercialisation; none once it is out of the running."""
    status = proposal["status"]
    if status in WAITING:
        return steps(PROPOSAL_STEPS, PROPOSAL_STEPS.index(status.lower()))
    if status != "SELECTED" or proposal["project"]["phase"] == "ENDED":
        return []
    phase = proposal["project"]["phase"]
    current = {"DEFINING": 2, "PILOT": 3}.get(phase, len(PROPOSAL_STEPS))
    return steps(PROPOSAL_STEPS, current)


async def proposal_context(visit: Visit) -> dict[str, Any]:
    data = await visit.query("partner/proposal", id=visit.request.path_params["id"])
    proposal = data["node"]
    if not proposal:
        return {"proposal": None}
    return {
        "proposal": proposal,
        "offerings": data["viewer"]["partner"]["offerings"],
        "steps": proposal_steps(proposal),
        "editable": proposal["status"] == "SUBMITTED" and proposal["challenge"]["isOpen"],
    }


def proposal_as_form(proposal: dict[str, Any]) -> FormData:
    offering = proposal["offering"]
    return FormData([("title", proposal["title"]), ("summary", proposal["summary"]),
                     ("offeringId", offering["id"] if offering else "")])


@pages.get("/proposals/{id}")
async def proposal(visit: Visit) -> Response:
    context = await proposal_context(visit)
    if not context["proposal"]:
        return visit.render("shared/not_found.html", status=404)
    return visit.render("partner/proposal.html", posted=proposal_as_form(context["proposal"]), **context)


@pages.post("/proposals/{id}/edit")
async def update_proposal(visit: Visit) -> Response:
    proposal_id = visit.request.path_params["id"]
    form = FormInput(visit.form, visit.t)
    values = {
        "proposalId": proposal_id,
        "title": form.text("title"),
        "summary": form.text("summary"),
        "offeringId": form.optional("offeringId"),
    }
    return await visit.submit(
        "partner/update_proposal", values,
        then=f"/partner/proposals/{proposal_id}",
        done="proposal_updated",
        form="partner/proposal.html",
        context=proposal_context,
    )


@pages.get("/proposals/{id}/withdraw")
async def confirm_withdrawal(visit: Visit) -> Response:
    context = await proposal_context(visit)
    if not context["proposal"]:
        return visit.render("shared/not_found.html", status=404)
    return visit.render("partner/proposal_withdraw.html", **context)


@pages.post("/proposals/{id}/withdraw")
async def withdraw_proposal(visit: Visit) -> Response:
    proposal_id = visit.request.path_params["id"]
    return await visit.submit(
        "partner/withdraw_proposal", {"proposalId": proposal_id},
        then=f"/partner/proposals/{proposal_id}",
        done="proposal_withdrawn",
        form="partner/proposal_withdraw.html",
        context=proposal_context,
    )
