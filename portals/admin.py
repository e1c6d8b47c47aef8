"""The admin portal (/admin): the secretariat's roster, applications, officers, working groups,
partners, events, audit log and dashboard."""

from __future__ import annotations

import io
from typing import Any

from starlette.datastructures import FormData
from starlette.responses import Response

from i18n.dates import wareki
from portals.admin_partners import add_partner_edit_page
from portals.api import NO_ERRORS, Outcome, enum_values
from portals.charts import dashboard_charts
from portals.confirm import Confirmation, confirmation_page, required_reason
from portals.forms import FormInput
from portals.offering_pages import (
    add_offering_pages,
    asks_to_confirm,
    offering_values,
    offerings_home,
)
from portals.tilemap import legend, tiles
from portals.web import Pages, Portal, Visit, named, page_arguments
from resolvers.calendar import today
from resolvers.spreadsheet import SpreadsheetWriter

NAV = (
    ("", "nav.admin.dashboard"),
    ("/members", "nav.admin.members"),
    ("/applications", "nav.admin.applications"),
    ("/officers", "nav.admin.officers"),
    ("/working-groups", "nav.admin.working_groups"),
    ("/partners", "nav.admin.partners"),
    ("/challenges", "nav.admin.challenges"),
    ("/events", "nav.admin.events"),
    ("/bulletins", "nav.admin.bulletins"),
    ("/accounts", "nav.admin.accounts"),
    ("/outbox", "nav.admin.outbox"),
    ("/audit", "nav.admin.audit"),
)
pages = Pages(Portal.ADMIN, NAV)
ROSTER_FILTERS = ("tier", "status", "prefectureCode", "kind", "search")
ROSTER_FILTER_ENUMS = {"tier": "MembershipTier", "status": "MembershipStatus", "kind": "MunicipalityKind"}
STATUS_ACTIONS = ("approve", "reject", "suspend", "reinstate", "withdraw")
CONFIRMED_STATUS_ACTIONS = ("reject", "suspend", "withdraw")
"""The status changes that are confirmed first, with a reason (`portals.confirm`)."""


def alliance_slug(visit: Visit) -> str:
    return visit.web.settings.alliance_slug


@pages.get("")
async def dashboard(visit: Visit) -> Response:
    data = await visit.query("admin/dashboard", slug=alliance_slug(visit))
    alliance = data["alliance"]
    statistics = alliance["statistics"]
    counts = {tally["key"]: tally["count"] for tally in statistics["byPrefecture"]}
    return visit.render(
        "admin/dashboard.html",
        alliance=alliance,
        statistics=statistics,
        tiles=tiles(data["prefectures"], counts, visit.t.language),
        legend=legend(counts),
        charts=await dashboard_charts(visit, alliance_slug(visit)),
    )


def roster_filter(visit: Visit) -> dict[str, str]:
    """The roster's filter from the query string; unknown enum values are ignored."""
    chosen: dict[str, str] = {}
    for name in ROSTER_FILTERS:
        value = (visit.param(name) or "").strip()
        enum_name = ROSTER_FILTER_ENUMS.get(name)
        if value and (enum_name is None or value in enum_values(enum_name)):
            chosen[name] = value
    return chosen


async def roster_context(visit: Visit) -> dict[str, Any]:
    chosen = roster_filter(visit)
    data = await visit.query(
        "admin/roster", slug=alliance_slug(visit), filter=chosen, **page_arguments(visit.request, 50)
    )
    return {"members": data["alliance"]["members"], "prefectures": data["prefectures"], "chosen": chosen}


@pages.get("/members")
async def roster(visit: Visit) -> Response:
    return visit.render("admin/roster.html", **await roster_context(visit))


def excel_csv(text: str, filename: str) -> Response:
    """CSV as a download Excel opens right: UTF-8 with a byte-order mark."""
    return Response(
        ("\ufeff" + text).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


async def every_member(visit: Visit, chosen: dict[str, str]) -> list[dict[str, Any]]:
    """Every member the roster's filter admits, all pages of it, for the CSV and the print view."""
    members: list[dict[str, Any]] = []
    after = None
    while True:
        data = await visit.query("admin/roster_export", slug=alliance_slug(visit), filter=chosen, after=after)
        page = data["alliance"]["members"]
        members += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return members
        after = page["pageInfo"]["endCursor"]


@pages.get("/members.csv")
async def roster_csv(visit: Visit) -> Response:
    """The roster as CSV for Excel: UTF-8 with a byte-order mark, CRLF line ends, every page, no
    cell a formula (`resolvers.spreadsheet`)."""
    t = visit.t
    out = io.StringIO()
    writer = SpreadsheetWriter(out)
    # The secretariat's own documents date in the Japanese era: the Japanese roster adds a column.
    columns = ("code", "prefecture", "name", "kana", "kind", "tier", "status", "joined_on")
    with_era = t.language == "ja"
    writer.writerow([t(f"csv.{column}") for column in columns] + ([t("csv.joined_on_era")] if with_era else []))
    for member in await every_member(visit, roster_filter(visit)):
        town = member["municipality"]
        writer.writerow([
            town["code"], named(town["prefecture"], t.language), named(town, t.language), town["nameKana"] or "",
            t.enum("MunicipalityKind", town["kind"]), t.enum("MembershipTier", member["tier"]),
            t.enum("MembershipStatus", member["status"]), member["joinedOn"] or "",
        ] + ([wareki(member["joinedOn"])] if with_era else []))
    return excel_csv(out.getvalue(), f"roster-{alliance_slug(visit)}.csv")


@pages.get("/print/members")
async def roster_print(visit: Visit) -> Response:
    """The roster on paper, as the secretariat's documents write it: dated in the Japanese era."""
    chosen = roster_filter(visit)
    return visit.render("admin/roster_print.html", members=await every_member(visit, chosen), today=today())


@pages.post("/contacts.csv")
async def contacts_csv(visit: Visit) -> Response:
    """The current contacts of the alliance's active members (personal data: a POST, recorded in
    the audit log by `exportContacts`), as CSV for Excel."""
    outcome = await visit.mutate("admin/export_contacts", {"allianceSlug": alliance_slug(visit)})
    if not outcome.accepted:
        return visit.refused("admin/roster.html", outcome, **await roster_context(visit))
    return excel_csv(outcome.payload["csv"], f"contacts-{alliance_slug(visit)}.csv")


async def membership_context(visit: Visit) -> dict[str, Any]:
    data = await visit.query("admin/membership", id=visit.request.path_params["id"])
    return {"membership": data["node"]}


@pages.get("/members/{id}")
async def membership(visit: Visit) -> Response:
    context = await membership_context(visit)
    if not context["membership"]:
        return visit.render("shared/not_found.html", status=404)
    return visit.render("admin/membership.html", **context)


@pages.post("/members/{id}/tier")
async def change_tier(visit: Visit) -> Response:
    form = FormInput(visit.form, visit.t)
    membership_id = visit.request.path_params["id"]
    tier = form.required("tier", form.choice("tier", "MembershipTier"))
    effective_on = form.date("effectiveOn")
    if form.problems:
        return visit.refused("admin/membership.html", form.outcome, **await membership_context(visit))
    outcome = await visit.mutate(
        "admin/change_membership_tier",
        {"membershipId": membership_id, "tier": tier, "effectiveOn": effective_on, "note": form.optional("note")},
    )
    if outcome.accepted:
        return visit.redirect(f"/admin/members/{membership_id}", "tier_changed")
    return visit.refused("admin/membership.html", outcome, **await membership_context(visit))


def from_applications(visit: Visit) -> bool:
    """Whether a status change was started from the list of applications (else the membership page)."""
    back = visit.form.get("back") if visit.form is not None else visit.param("back")
    return back == "applications"


async def status_confirmation(visit: Visit, action: str, errors: Outcome = NO_ERRORS) -> Response:
    membership = (await membership_context(visit))["membership"]
    if not membership:
        return visit.render("shared/not_found.html", status=404)
    t = visit.t
    page = f"/admin/members/{membership['id']}"
    listed = from_applications(visit)
    return confirmation_page(visit, Confirmation(
        title=t(f"confirm.{action}.title"),
        consequence=t(f"confirm.{action}.what", municipality=named(membership["municipality"], t.language)),
        action=f"{page}/{action}",
        submit=t(f"confirm.{action}.submit"),
        back="/admin/applications" if listed else page,
        hidden={"back": "applications"} if listed else {},
    ), errors)


@pages.get("/members/{id}/{action}")
async def confirm_status_change(visit: Visit) -> Response:
    """The confirmation step of rejecting, suspending or withdrawing a membership."""
    action = visit.request.path_params["action"]
    if action not in CONFIRMED_STATUS_ACTIONS:
        return visit.render("shared/not_found.html", status=404)
    return await status_confirmation(visit, action)


@pages.post("/members/{id}/{action}")
async def change_status(visit: Visit) -> Response:
    """Approve, reject, suspend, reinstate or withdraw; from the membership page or the list of
    applications (`back` says which to return to). Rejecting, suspending and withdrawing come
    from their confirmation step, with a reason."""
    action = visit.request.path_params["action"]
    membership_id = visit.request.path_params["id"]
    if action not in STATUS_ACTIONS:
        return visit.render("shared/not_found.html", status=404)
    form = FormInput(visit.form, visit.t)
    values = {"membershipId": membership_id, "effectiveOn": form.date("effectiveOn"), "note": form.optional("note")}
    confirmed = action in CONFIRMED_STATUS_ACTIONS
    if confirmed:
        values["reason"], problem = required_reason(visit)
        if problem.errors:
            return await status_confirmation(visit, action, problem)
    outcome = await visit.mutate(f"admin/{action}_membership", values)
    listed = from_applications(visit)
    if outcome.accepted:
        target = "/admin/applications" if listed else f"/admin/members/{membership_id}"
        return visit.redirect(target, f"membership_{action}")
    if confirmed:
        return await status_confirmation(visit, action, outcome)
    if listed:
        return visit.refused("admin/applications.html", outcome, **await applications_context(visit))
    return visit.refused("admin/membership.html", outcome, **await membership_context(visit))


async def applications_context(visit: Visit) -> dict[str, Any]:
    data = await visit.query("admin/applications", slug=alliance_slug(visit), **page_arguments(visit.request))
    return {"applications": data["alliance"]["members"]}


@pages.get("/applications")
async def applications(visit: Visit) -> Response:
    return visit.render("admin/applications.html", **await applications_context(visit))


async def officers_context(visit: Visit) -> dict[str, Any]:
    data = await visit.query("admin/officers", slug=alliance_slug(visit))
    return {"alliance": data["alliance"]}


@pages.get("/officers")
async def officers(visit: Visit) -> Response:
    return visit.render("admin/officers.html", **await officers_context(visit))


@pages.post("/officers")
async def appoint_officer(visit: Visit) -> Response:
    form = FormInput(visit.form, visit.t)
    values = {
        "allianceSlug": alliance_slug(visit),
        "role": form.required("role", form.choice("role", "OfficerRole")),
        "personName": form.text("personName"),
        "title": form.optional("title"),
        "municipalityCode": form.optional("municipalityCode"),
        "startedOn": form.date("startedOn"),
    }
    if form.problems:
        return visit.refused("admin/officers.html", form.outcome, **await officers_context(visit))
    return await visit.submit(
        "admin/appoint_officer", values,
        then="/admin/officers",
        done="officer_appointed",
        form="admin/officers.html",
        context=officers_context,
    )


async def end_term_confirmation(visit: Visit, errors: Outcome = NO_ERRORS) -> Response:
    officer = (await visit.query("admin/officer", id=visit.request.path_params["id"]))["node"]
    if not officer or officer["endedOn"]:
        return visit.render("shared/not_found.html", status=404)
    t = visit.t
    return confirmation_page(visit, Confirmation(
        title=t("confirm.end_term.title"),
        consequence=t("confirm.end_term.what", person=officer["personName"], role=t.enum("OfficerRole", officer["role"])),
        action=f"/admin/officers/{officer['id']}/end",
        submit=t("confirm.end_term.submit"),
        back="/admin/officers",
    ), errors)


@pages.get("/officers/{id}/end")
async def confirm_end_officer_term(visit: Visit) -> Response:
    return await end_term_confirmation(visit)


@pages.post("/officers/{id}/end")
async def end_officer_term(visit: Visit) -> Response:
    reason, problem = required_reason(visit)
    if problem.errors:
        return await end_term_confirmation(visit, problem)
    outcome = await visit.mutate("admin/end_officer_term", {"officerId": visit.request.path_params["id"], "reason": reason})
    if outcome.accepted:
        return visit.redirect("/admin/officers", "officer_term_ended")
    return await end_term_confirmation(visit, outcome)


@pages.get("/working-groups")
async def working_groups(visit: Visit) -> Response:
    data = await visit.query("admin/working_groups", slug=alliance_slug(visit))
    return visit.render("admin/working_groups.html", working_groups=data["alliance"]["workingGroups"])


async def working_group_context(visit: Visit) -> dict[str, Any]:
    data = await visit.query(
        "admin/working_group", id=visit.request.path_params["id"], **page_arguments(visit.request, 50)
    )
    return {"group": data["node"]}


@pages.get("/working-groups/{id}")
async def working_group(visit: Visit) -> Response:
    context = await working_group_context(visit)
    if not context["group"]:
        return visit.render("shared/not_found.html", status=404)
    return visit.render("admin/working_group.html", **context)


@pages.post("/working-groups/{id}/{change:str}")
async def change_participation(visit: Visit) -> Response:
    group_id = visit.request.path_params["id"]
    change = visit.request.path_params["change"]
    if change not in ("join", "leave"):
        return visit.render("shared/not_found.html", status=404)
    form = FormInput(visit.form, visit.t)
    outcome = await visit.mutate(
        f"admin/{change}_working_group",
        {"workingGroupId": group_id, "municipalityCode": form.required("municipalityCode", form.text("municipalityCode"))},
    )
    if outcome.accepted:
        return visit.redirect(f"/admin/working-groups/{group_id}", f"participant_{change}")
    return visit.refused("admin/working_group.html", outcome, **await working_group_context(visit))


async def partners_context(visit: Visit) -> dict[str, Any]:
    data = await visit.query("admin/partners", **page_arguments(visit.request, 50))
    return {"partners": data["partners"]}


@pages.get("/partners")
async def partners(visit: Visit) -> Response:
    return visit.render("admin/partners.html", **await partners_context(visit))


@pages.post("/partners")
async def create_partner(visit: Visit) -> Response:
    form = FormInput(visit.form, visit.t)
    values = {
        "slug": form.text("slug"),
        "name": form.text("name"),
        "nameEn": form.optional("nameEn"),
        "kind": form.required("kind", form.choice("kind", "PartnerKind")),
        "description": form.text("description"),
    }
    if form.problems:
        return visit.refused("admin/partners.html", form.outcome, **await partners_context(visit))
    outcome = await visit.mutate("admin/create_partner", values)
    if outcome.accepted:
        return visit.redirect(f"/admin/partners/{outcome.payload['partner']['slug']}", "partner_created")
    return visit.refused("admin/partners.html", outcome, **await partners_context(visit))


async def partner_context(visit: Visit) -> dict[str, Any]:
    data = await visit.query("admin/partner", slug=visit.request.path_params["slug"])
    return {"partner": data["partner"], "themes": data["themes"], "offering_base": offerings_home(pages)}


@pages.get("/partners/{slug}")
async def partner(visit: Visit) -> Response:
    context = await partner_context(visit)
    if context["partner"] is None:
        return visit.render("shared/not_found.html", status=404)
    return visit.render("admin/partner.html", **context)


@pages.post("/partners/{slug}/offerings")
async def create_offering(visit: Visit) -> Response:
    slug = visit.request.path_params["slug"]
    form = FormInput(visit.form, visit.t)
    values = {"partnerSlug": slug, **offering_values(form)}
    if form.problems:
        return visit.refused("admin/partner.html", form.outcome, **await partner_context(visit))
    outcome = await visit.mutate("admin/create_offering", values)
    if outcome.accepted:
        return visit.redirect(f"/admin/partners/{slug}", "offering_created")
    context = await partner_context(visit)
    return visit.refused("admin/partner.html", outcome, confirm_duplicate=asks_to_confirm(outcome), **context)


async def events_context(visit: Visit) -> dict[str, Any]:
    upcoming = visit.param("all") is None
    data = await visit.query(
        "admin/events", filter={"upcomingOnly": upcoming}, **page_arguments(visit.request)
    )
    groups = await visit.query("admin/working_groups", slug=alliance_slug(visit))
    return {
        "events": data["events"],
        "themes": data["themes"],
        "working_groups": groups["alliance"]["workingGroups"],
        "upcoming": upcoming,
    }


@pages.get("/events")
async def events(visit: Visit) -> Response:
    return visit.render("admin/events.html", **await events_context(visit))


@pages.post("/events")
async def create_event(visit: Visit) -> Response:
    form = FormInput(visit.form, visit.t)
    values = {
        "allianceSlug": alliance_slug(visit),
        "title": form.text("title"),
        "description": form.text("description"),
        "kind": form.required("kind", form.choice("kind", "EventKind")),
        "format": form.required("format", form.choice("format", "EventFormat")),
        "audience": form.required("audience", form.choice("audience", "Audience")),
        "startsAt": form.required("startsAt", form.japan_datetime("startsAt")),
        "endsAt": form.required("endsAt", form.japan_datetime("endsAt")),
        "registrationClosesAt": form.japan_datetime("registrationClosesAt"),
        "venue": form.optional("venue"),
        "capacity": form.integer("capacity"),
        "themeNumbers": form.numbers("themeNumbers"),
        "workingGroupId": form.optional("workingGroupId"),
    }
    if form.problems:
        return visit.refused("admin/events.html", form.outcome, **await events_context(visit))
    return await visit.submit(
        "admin/create_event", values,
        then="/admin/events",
        done="event_created",
        form="admin/events.html",
        context=events_context,
    )


async def accounts_context(visit: Visit) -> dict[str, Any]:
    data = await visit.query("admin/accounts", **page_arguments(visit.request, 50))
    return {"tokens": data["apiTokens"]}


@pages.get("/accounts")
async def accounts(visit: Visit) -> Response:
    return visit.render("admin/accounts.html", **await accounts_context(visit))


def site_origin(visit: Visit) -> str:
    """Where the people sent a link reach the portals: the public origin, else this request's."""
    return visit.web.settings.public_origin or str(visit.request.base_url).rstrip("/")


def show_once(
    visit: Visit, context: dict[str, Any], link: dict[str, Any], token: str | None = None, issued_to: str | None = None
) -> Response:
    """The accounts page with a new token and login link, shown once: no cache may keep it. The
    form to issue an account is empty again, so that the same account is not issued twice."""
    path = link.get("path")
    issued = {
        "token": token,
        "to": issued_to,
        "url": site_origin(visit) + path if path else None,
        "expires_at": link.get("expiresAt"),
    }
    response = visit.render("admin/accounts.html", issued=issued, posted=FormData(), **context)
    response.headers["Cache-Control"] = "no-store"
    return response


@pages.post("/accounts")
async def issue_token(visit: Visit) -> Response:
    """A new staff user's token and, with it, a login link to send them."""
    form = FormInput(visit.form, visit.t)
    values = {
        "name": form.text("name"),
        "role": form.required("role", form.choice("role", "Role")),
        "municipalityCode": form.optional("municipalityCode"),
        "partnerSlug": form.optional("partnerSlug"),
        "scopes": ["READ"] if form.text("readOnly") else ["READ", "WRITE"],
    }
    if form.problems:
        return visit.refused("admin/accounts.html", form.outcome, **await accounts_context(visit))
    issued = await visit.mutate("admin/issue_token", values)
    if not issued.accepted:
        return visit.refused("admin/accounts.html", issued, **await accounts_context(visit))
    link = await visit.mutate("admin/create_login_link", {"tokenId": issued.payload["apiToken"]["id"]})
    account = issued.payload["apiToken"]
    return show_once(visit, await accounts_context(visit), link.payload, issued.payload["token"], account["user"]["name"])


@pages.post("/accounts/{id}/link")
async def create_login_link(visit: Visit) -> Response:
    outcome = await visit.mutate("admin/create_login_link", {"tokenId": visit.request.path_params["id"]})
    if not outcome.accepted:
        return visit.refused("admin/accounts.html", outcome, **await accounts_context(visit))
    return show_once(visit, await accounts_context(visit), outcome.payload)


async def revoke_confirmation(visit: Visit, errors: Outcome = NO_ERRORS) -> Response:
    token = (await visit.query("admin/api_token", id=visit.request.path_params["id"]))["node"]
    if not token or token["revokedAt"]:
        return visit.render("shared/not_found.html", status=404)
    t = visit.t
    return confirmation_page(visit, Confirmation(
        title=t("confirm.revoke.title"),
        consequence=t("confirm.revoke.what", person=token["user"]["name"], hint=token["hint"]),
        action=f"/admin/accounts/{token['id']}/revoke",
        submit=t("confirm.revoke.submit"),
        back="/admin/accounts",
    ), errors)


@pages.get("/accounts/{id}/revoke")
async def confirm_revoke_token(visit: Visit) -> Response:
    return await revoke_confirmation(visit)


@pages.post("/accounts/{id}/revoke")
async def revoke_token(visit: Visit) -> Response:
    reason, problem = required_reason(visit)
    if problem.errors:
        return await revoke_confirmation(visit, problem)
    outcome = await visit.mutate("admin/revoke_token", {"tokenId": visit.request.path_params["id"], "reason": reason})
    if outcome.accepted:
        return visit.redirect("/admin/accounts", "token_revoked")
    return await revoke_confirmation(visit, outcome)


add_partner_edit_page(pages)
add_offering_pages(pages)
