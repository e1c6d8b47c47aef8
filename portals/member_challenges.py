"""The member portal's co-creation pages (/portal/challenges, /portal/projects): a challenge from
its draft to its result, and the project each selected proposal becomes. Each page shows where the
challenge or project stands and what comes next, as a row of steps."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.responses import Response

from portals.forms import FormInput
from portals.member import pages
from portals.steps import steps
from portals.web import Visit, page_arguments

CHALLENGE_STEPS = ("draft", "review", "published", "selection", "closed")
PROJECT_STEPS = ("defining", "pilot", "pilot_result", "commercialisation", "case_study")
CHALLENGE_ACTIONS = {
    "request-review": ("portal/request_challenge_review", "challenge_review_requested"),
    "publish": ("portal/publish_challenge", "challenge_published"),
    "close": ("portal/close_challenge", "challenge_closed"),
    "withdraw": ("portal/withdraw_challenge", "challenge_withdrawn"),
}
PROPOSAL_DECISIONS = {
    "shortlist": ("portal/shortlist_proposal", "proposal_shortlist"),
    "select": ("portal/select_proposal", "proposal_select"),
    "decline": ("portal/decline_proposal", "proposal_declined"),
}


def challenge_step(challenge: dict[str, Any]) -> int:
    status = challenge["status"]
    if status == "DRAFT":
        return 0
    if status == "IN_REVIEW":
        return 1
    if status == "CLOSED":
        return len(CHALLENGE_STEPS)
    selected = any(p["status"] == "SELECTED" for p in challenge["proposals"]["nodes"])
    return 3 if selected else 2


def project_step(project: dict[str, Any]) -> int:
    pilot = project["pilot"]
    if project["phase"] == "DEFINING":
        return 0
    if project["phase"] == "PILOT":
        return 2 if pilot and pilot["result"] else 1
    if project["phase"] == "COMMERCIALISATION":
        return len(PROJECT_STEPS) if project["caseStudy"] else 3
    return -1


async def challenges_context(visit: Visit) -> dict[str, Any]:
    viewer = await visit.query("portal/viewer_municipality")
    code = viewer["viewer"]["municipality"]["code"]
    data = await visit.query("portal/challenges", code=code, **page_arguments(visit.request))
    return {"challenges": data["challenges"], "themes": data["themes"]}


@pages.get("/challenges")
async def challenges(visit: Visit) -> Response:
    return visit.render("portal/challenges.html", **await challenges_context(visit))


def challenge_values(form: FormInput) -> dict[str, Any]:
    """A challenge's fields from its form, as createChallenge and updateChallenge take them."""
    return {
        "title": form.text("title"),
        "background": form.text("background"),
        "desiredOutcome": form.text("desiredOutcome"),
        "themeNumbers": form.numbers("themeNumbers"),
        "budgetNote": form.optional("budgetNote"),
        "deadline": form.date("deadline"),
    }


@pages.post("/challenges")
async def create_challenge(visit: Visit) -> Response:
    form = FormInput(visit.form, visit.t)
    values = challenge_values(form)
    if form.problems:
        return visit.refused("portal/challenges.html", form.outcome, **await challenges_context(visit))
    outcome = await visit.mutate("portal/create_challenge", values)
    if outcome.accepted:
        return visit.redirect(f"/portal/challenges/{outcome.payload['challenge']['id']}", "challenge_created")
    return visit.refused("portal/challenges.html", outcome, **await challenges_context(visit))


async def challenge_context(visit: Visit) -> dict[str, Any]:
    data = await visit.query(
        "portal/challenge", id=visit.request.path_params["id"], **page_arguments(visit.request)
    )
    challenge = data["node"]
    if not challenge:
        return {"challenge": None}
    return {"challenge": challenge, "steps": steps(CHALLENGE_STEPS, challenge_step(challenge))}


@pages.get("/challenges/{id}")
async def challenge(visit: Visit) -> Response:
    context = await challenge_context(visit)
    if not context["challenge"]:
        return visit.render("shared/not_found.html", status=404)
    return visit.render("portal/challenge.html", **context)


def draft_as_form(challenge: dict[str, Any]) -> FormData:
    """The draft's values as the edit form shows them."""
    names = ("title", "background", "desiredOutcome", "budgetNote", "deadline")
    fields = [(name, challenge[name] or "") for name in names]
    fields += [("themeNumbers", str(theme["number"])) for theme in challenge["themes"]]
    return FormData(fields)


async def draft_context(visit: Visit) -> dict[str, Any]:
    data = await visit.query("portal/challenge_draft", id=visit.request.path_params["id"])
    return {"challenge": data["node"], "themes": data["themes"]}


@pages.get("/challenges/{id}/edit")
async def edit_challenge(visit: Visit) -> Response:
    context = await draft_context(visit)
    challenge = context["challenge"]
    if not challenge:
        return visit.render("shared/not_found.html", status=404)
    if challenge["status"] != "DRAFT":
        return visit.redirect(f"/portal/challenges/{challenge['id']}")
    return visit.render("portal/challenge_edit.html", posted=draft_as_form(challenge), **context)


@pages.post("/challenges/{id}/edit")
async def update_challenge(visit: Visit) -> Response:
    challenge_id = visit.request.path_params["id"]
    form = FormInput(visit.form, visit.t)
    values = {"challengeId": challenge_id, **challenge_values(form)}
    if form.problems:
        return visit.refused("portal/challenge_edit.html", form.outcome, **await draft_context(visit))
    return await visit.submit(
        "portal/update_challenge", values,
        then=f"/portal/challenges/{challenge_id}",
        done="challenge_updated",
        form="portal/challenge_edit.html",
        context=draft_context,
    )


@pages.post("/challenges/{id}/{action:str}")
async def act_on_challenge(visit: Visit) -> Response:
    challenge_id = visit.request.path_params["id"]
    action = CHALLENGE_ACTIONS.get(visit.request.path_params["action"])
    if action is None:
        return visit.render("shared/not_found.html", status=404)
    operation, done = action
    return await visit.submit(
        operation, {"challengeId": challenge_id},
        then=f"/portal/challenges/{challenge_id}",
        done=done,
        form="portal/challenge.html",
        context=challenge_context,
    )


@pages.post("/challenges/{id}/proposals/{decision:str}")
async def decide_proposal(visit: Visit) -> Response:
    challenge_id = visit.request.path_params["id"]
    decision = visit.request.path_params["decision"]
    if decision not in PROPOSAL_DECISIONS:
        return visit.render("shared/not_found.html", status=404)
    operation, done = PROPOSAL_DECISIONS[decision]
    form = FormInput(visit.form, visit.t)
    values = {"proposalId": form.text("proposalId")}
    if decision == "decline":
        values["message"] = form.text("message")
    return await visit.submit(
        operation, values,
        then=f"/portal/challenges/{challenge_id}",
        done=done,
        form="portal/challenge.html",
        context=challenge_context,
    )


async def project_context(visit: Visit) -> dict[str, Any]:
    data = await visit.query("portal/project", id=visit.request.path_params["id"])
    proposal = data["node"]
    if not proposal or not proposal["project"]:
        return {"proposal": None}
    return {"proposal": proposal, "steps": steps(PROJECT_STEPS, project_step(proposal["project"]))}


@pages.get("/projects/{id}")
async def project(visit: Visit) -> Response:
    context = await project_context(visit)
    if not context["proposal"]:
        return visit.render("shared/not_found.html", status=404)
    return visit.render("portal/project.html", **context)


def project_step_input(step: str, proposal_id: str, form: FormInput) -> tuple[str, dict[str, Any]] | None:
    """The mutation and input for one of a project's steps, from its form; None for an unknown step."""
    if step == "pilot":
        pilot = {"startsOn": form.required("startsOn", form.date("startsOn")), "endsOn": form.date("endsOn"),
                 "scale": form.text("scale")}
        return "portal/advance_project", {"proposalId": proposal_id, "phase": "PILOT", "pilot": pilot}
    if step == "end-pilot":
        values = {"endedOn": form.required("endedOn", form.date("endedOn")), "result": form.text("result")}
        return "portal/end_pilot", {"proposalId": proposal_id, **values}
    if step == "commercialise":
        return "portal/advance_project", {"proposalId": proposal_id, "phase": "COMMERCIALISATION"}
    if step == "end":
        return "portal/end_project", {"proposalId": proposal_id, "reason": form.text("reason")}
    if step == "case-study":
        values = {"summary": form.text("summary"), "outcome": form.optional("outcome")}
        return "portal/publish_project_case_study", {"proposalId": proposal_id, **values}
    return None


@pages.post("/projects/{id}/{step:str}")
async def run_project(visit: Visit) -> Response:
    proposal_id = visit.request.path_params["id"]
    form = FormInput(visit.form, visit.t)
    step = visit.request.path_params["step"]
    chosen = project_step_input(step, proposal_id, form)
    if chosen is None:
        return visit.render("shared/not_found.html", status=404)
    if form.problems:
        return visit.refused("portal/project.html", form.outcome, **await project_context(visit))
    operation, values = chosen
    return await visit.submit(
        operation, values,
        then=f"/portal/projects/{proposal_id}",
        done=f"project_{step.replace('-', '_')}",
        form="portal/project.html",
        context=project_context,
    )
