"""The member portal (/portal): a municipality's staff see their membership and benefits, join
working groups, request offerings, run challenges, register for events, find peers and case
studies, read the bulletins their tier entitles them to, and read their notifications."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from portals.forms import FormInput, theme_number
from portals.member_application import add_application_pages
from portals.member_introductions import add_introduction_pages
from portals.notifications import add_notification_pages
from portals.web import Pages, Portal, Visit, page_arguments

NAV = (
    ("", "nav.portal.home"),
    ("/working-groups", "nav.portal.working_groups"),
    ("/offerings", "nav.portal.offerings"),
    ("/challenges", "nav.portal.challenges"),
    ("/events", "nav.portal.events"),
    ("/peers", "nav.portal.peers"),
    ("/introductions", "members.introductions.title"),
    ("/case-studies", "nav.portal.case_studies"),
    ("/procurement", "nav.portal.procurement"),
    ("/bulletins", "nav.portal.bulletins"),
    ("/notifications", "nav.notifications"),
)
pages = Pages(Portal.MEMBER, NAV)


def current_membership(visit: Visit, memberships: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The municipality's membership of the alliance the portals serve, if it has one."""
    slug = visit.web.settings.alliance_slug
    return next((m for m in memberships if m["alliance"]["slug"] == slug), None)


def active_tier(visit: Visit, memberships: list[dict[str, Any]]) -> str | None:
    """The tier of the municipality's active membership of the portals' alliance; None when it is not an active member."""
    membership = current_membership(visit, memberships)
    return membership["tier"] if membership and membership["status"] == "ACTIVE" else None


@pages.get("")
async def home(visit: Visit) -> Response:
    data = await visit.query("portal/home")
    municipality = data["viewer"]["municipality"]
    return visit.render(
        "portal/home.html",
        municipality=municipality,
        membership=current_membership(visit, municipality["memberships"]),
        notifications=data["notifications"],
    )


async def working_groups_context(visit: Visit) -> dict[str, Any]:
    data = await visit.query("portal/working_groups", slug=visit.web.settings.alliance_slug)
    membership = current_membership(visit, data["viewer"]["municipality"]["memberships"])
    joined = {group["id"] for group in membership["workingGroups"]} if membership else set()
    return {"working_groups": data["alliance"]["workingGroups"], "joined": joined, "membership": membership}


@pages.get("/working-groups")
async def working_groups(visit: Visit) -> Response:
    return visit.render("portal/working_groups.html", **await working_groups_context(visit))


@pages.post("/working-groups/{change:str}")
async def change_participation(visit: Visit) -> Response:
    change = visit.request.path_params["change"]
    if change not in ("join", "leave"):
        return visit.render("shared/not_found.html", status=404)
    form = FormInput(visit.form, visit.t)
    return await visit.submit(
        f"portal/{change}_working_group", {"workingGroupId": form.text("workingGroupId")},
        then="/portal/working-groups",
        done=f"working_group_{change}",
        form="portal/working_groups.html",
        context=working_groups_context,
    )


async def offerings_context(visit: Visit) -> dict[str, Any]:
    chosen: dict[str, Any] = {}
    theme = theme_number(visit.param("themeNumber"))
    if theme is not None:
        chosen["themeNumber"] = theme
    if visit.param("search"):
        chosen["search"] = visit.param("search")
    data = await visit.query("portal/offerings", filter=chosen, **page_arguments(visit.request))
    return {
        "offerings": data["offerings"],
        "requests": data["offeringRequests"],
        "tier": active_tier(visit, data["viewer"]["municipality"]["memberships"]),
        "themes": data["themes"],
        "contacts": data["viewer"]["municipality"]["contacts"] or [],
        "chosen": chosen,
    }


@pages.get("/offerings")
async def offerings(visit: Visit) -> Response:
    return visit.render("portal/offerings.html", **await offerings_context(visit))


@pages.post("/offerings/request")
async def request_offering(visit: Visit) -> Response:
    form = FormInput(visit.form, visit.t)
    outcome = await visit.mutate(
        "portal/request_offering",
        {"offeringId": form.text("offeringId"), "message": form.optional("message"), "contactId": form.optional("contactId")},
    )
    if outcome.accepted:
        return visit.redirect("/portal/offerings", "offering_requested")
    return visit.refused("portal/offerings.html", outcome, **await offerings_context(visit))


async def events_context(visit: Visit) -> dict[str, Any]:
    data = await visit.query("portal/events", **page_arguments(visit.request))
    return {"events": data["events"], "tier": active_tier(visit, data["viewer"]["municipality"]["memberships"])}


@pages.get("/events")
async def events(visit: Visit) -> Response:
    return visit.render("portal/events.html", **await events_context(visit))


@pages.post("/events/register")
async def register_for_event(visit: Visit) -> Response:
    form = FormInput(visit.form, visit.t)
    outcome = await visit.mutate("portal/register_for_event", {"eventId": form.text("eventId")})
    if outcome.accepted:
        status = outcome.payload["registration"]["status"]
        return visit.redirect("/portal/events", "event_waitlisted" if status == "WAITLISTED" else "event_registered")
    return visit.refused("portal/events.html", outcome, **await events_context(visit))


@pages.post("/events/cancel")
async def cancel_registration(visit: Visit) -> Response:
    form = FormInput(visit.form, visit.t)
    return await visit.submit(
        "portal/cancel_event_registration", {"registrationId": form.text("registrationId")},
        then="/portal/events",
        done="registration_cancelled",
        form="portal/events.html",
        context=events_context,
    )


@pages.get("/peers")
async def peers(visit: Visit) -> Response:
    theme = theme_number(visit.param("themeNumber"))
    case_filter: dict[str, str | int | None] = {"search": visit.param("search")} if visit.param("search") else {}
    if theme is not None:
        case_filter["themeNumber"] = theme
    data = await visit.query(
        "portal/peers", themeNumber=theme, caseFilter=case_filter, **page_arguments(visit.request, 10)
    )
    return visit.render(
        "portal/peers.html",
        peers=data["viewer"]["municipality"]["peers"],
        viewer_code=data["viewer"]["municipality"]["code"],
        case_studies=data["caseStudies"],
        themes=data["themes"],
        theme_number=theme,
    )


@pages.get("/bulletins")
async def bulletins(visit: Visit) -> Response:
    """The issues the municipality's tier entitles it to read (the API decides which)."""
    data = await visit.query("portal/bulletins", **page_arguments(visit.request, 10))
    return visit.render("portal/bulletins.html", bulletins=data["bulletins"])


add_notification_pages(pages)
add_application_pages(pages)
add_introduction_pages(pages)
