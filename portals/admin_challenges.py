"""The secretariat's oversight of co-creation (/admin/challenges): the challenges waiting for its
review first, then every challenge by status, each with its proposals; the projects the selected
proposals became; and the offering requests across all partners."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from portals.admin import pages
from portals.api import enum_values
from portals.forms import FormInput
from portals.web import Visit, page_arguments

REVIEW_OUTCOMES = {"approve": "APPROVED", "return": "RETURNED"}


def status_filter(visit: Visit, enum_name: str) -> dict[str, str]:
    """`{"status": …}` from the query string, when it is one of the enum's values."""
    status = visit.param("status")
    return {"status": status} if status in enum_values(enum_name) else {}


@pages.get("/challenges")
async def challenges(visit: Visit) -> Response:
    chosen = status_filter(visit, "ChallengeStatus")
    data = await visit.query("admin/challenges", filter=chosen, **page_arguments(visit.request))
    return visit.render(
        "admin/challenges.html", queue=data["queue"], challenges=data["challenges"], chosen=chosen
    )


async def challenge_context(visit: Visit) -> dict[str, Any]:
    challenge_id = visit.request.path_params["id"]
    data = await visit.query("admin/challenge", id=challenge_id, **page_arguments(visit.request))
    return {"challenge": data["node"]}


@pages.get("/challenges/{id}")
async def challenge(visit: Visit) -> Response:
    context = await challenge_context(visit)
    if not context["challenge"]:
        return visit.render("shared/not_found.html", status=404)
    return visit.render("admin/challenge.html", **context)


@pages.post("/challenges/{id}/{answer:str}")
async def review(visit: Visit) -> Response:
    outcome = REVIEW_OUTCOMES.get(visit.request.path_params["answer"])
    if outcome is None:
        return visit.render("shared/not_found.html", status=404)
    form = FormInput(visit.form, visit.t)
    values = {
        "challengeId": visit.request.path_params["id"],
        "outcome": outcome,
        "comment": form.optional("comment"),
    }
    return await visit.submit(
        "admin/review_challenge", values,
        then="/admin/challenges",
        done=f"challenge_review_{outcome.lower()}",
        form="admin/challenge.html",
        context=challenge_context,
    )


@pages.get("/projects")
async def projects(visit: Visit) -> Response:
    data = await visit.query("admin/projects", **page_arguments(visit.request))
    return visit.render("admin/projects.html", projects=data["proposals"])


@pages.get("/offering-requests")
async def offering_requests(visit: Visit) -> Response:
    chosen = status_filter(visit, "OfferingRequestStatus")
    data = await visit.query("admin/offering_requests", filter=chosen, **page_arguments(visit.request))
    return visit.render("admin/offering_requests.html", requests=data["offeringRequests"], chosen=chosen)
