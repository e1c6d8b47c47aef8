"""The partner dashboard (/partner): a partner's staff see their offerings, answer requests,
browse open challenges, submit proposals and follow them."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from portals.api import enum_values
from portals.forms import FormInput, theme_number
from portals.notifications import add_notification_pages
from portals.offering_pages import add_offering_pages, add_partner_catalogue_pages, offerings_home
from portals.web import Pages, Portal, Visit, page_arguments

NAV = (
    ("", "nav.partner.home"),
    ("/offerings", "nav.partner.offerings"),
    ("/requests", "nav.partner.requests"),
    ("/challenges", "nav.partner.challenges"),
    ("/proposals", "nav.partner.proposals"),
    ("/notifications", "nav.notifications"),
)
pages = Pages(Portal.PARTNER, NAV)


@pages.get("")
async def home(visit: Visit) -> Response:
    data = await visit.query("partner/home")
    return visit.render(
        "partner/home.html",
        partner=data["viewer"]["partner"],
        offering_base=offerings_home(pages),
        open_requests=data["openRequests"]["totalCount"],
        proposal_count=data["proposals"]["totalCount"],
        notifications=data["notifications"],
    )


def status_filter(visit: Visit, enum_name: str) -> dict[str, str]:
    status = visit.param("status")
    return {"status": status} if status in enum_values(enum_name) else {}


async def requests_context(visit: Visit) -> dict[str, Any]:
    chosen = status_filter(visit, "OfferingRequestStatus")
    data = await visit.query("partner/requests", filter=chosen, **page_arguments(visit.request))
    return {"requests": data["offeringRequests"], "chosen": chosen}


@pages.get("/requests")
async def requests(visit: Visit) -> Response:
    return visit.render("partner/requests.html", **await requests_context(visit))


@pages.post("/requests/respond")
async def respond(visit: Visit) -> Response:
    form = FormInput(visit.form, visit.t)
    values = {
        "requestId": form.text("requestId"),
        "response": form.required("response", form.choice("response", "OfferingResponse")),
        "note": form.optional("note"),
    }
    if form.problems:
        return visit.refused("partner/requests.html", form.outcome, **await requests_context(visit))
    return await visit.submit(
        "partner/respond_to_offering_request", values,
        then="/partner/requests",
        done="request_answered",
        form="partner/requests.html",
        context=requests_context,
    )


@pages.get("/challenges")
async def challenges(visit: Visit) -> Response:
    chosen: dict[str, Any] = {"openOnly": True}
    theme = theme_number(visit.param("themeNumber"))
    if theme is not None:
        chosen["themeNumber"] = theme
    if visit.param("search"):
        chosen["search"] = visit.param("search")
    data = await visit.query("partner/challenges", filter=chosen, **page_arguments(visit.request))
    return visit.render("partner/challenges.html", challenges=data["challenges"], themes=data["themes"], chosen=chosen)


async def challenge_context(visit: Visit) -> dict[str, Any]:
    data = await visit.query("partner/challenge", id=visit.request.path_params["id"])
    own = data["proposals"]["nodes"]
    return {
        "challenge": data["node"],
        "offerings": data["viewer"]["partner"]["offerings"],
        "proposal": own[0] if own else None,
    }


@pages.get("/challenges/{id}")
async def challenge(visit: Visit) -> Response:
    context = await challenge_context(visit)
    if not context["challenge"]:
        return visit.render("shared/not_found.html", status=404)
    return visit.render("partner/challenge.html", **context)


@pages.post("/challenges/{id}/proposals")
async def submit_proposal(visit: Visit) -> Response:
    form = FormInput(visit.form, visit.t)
    values = {
        "challengeId": visit.request.path_params["id"],
        "title": form.text("title"),
        "summary": form.text("summary"),
        "offeringId": form.optional("offeringId"),
    }
    return await visit.submit(
        "partner/submit_proposal", values,
        then="/partner/proposals",
        done="proposal_submitted",
        form="partner/challenge.html",
        context=challenge_context,
    )


@pages.get("/proposals")
async def proposals(visit: Visit) -> Response:
    chosen = status_filter(visit, "ProposalStatus")
    data = await visit.query("partner/proposals", filter=chosen, **page_arguments(visit.request))
    return visit.render("partner/proposals.html", proposals=data["proposals"], chosen=chosen)


add_notification_pages(pages)
add_partner_catalogue_pages(pages)
add_offering_pages(pages)
