"""The member portal's application page: a municipality that is not a member (or has withdrawn,
or was refused) applies to join the alliance, then sees its application pending until the
secretariat decides, which reaches it as a notification."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from portals.forms import FormInput
from portals.web import Pages, Visit

MAY_APPLY = (None, "WITHDRAWN", "REJECTED")


async def application_context(visit: Visit) -> dict[str, Any]:
    slug = visit.web.settings.alliance_slug
    data = await visit.query("portal/membership_application", slug=slug)
    municipality = data["viewer"]["municipality"]
    membership = next((m for m in municipality["memberships"] if m["alliance"]["slug"] == slug), None)
    applied_on = next(
        (change["effectiveOn"] for change in reversed(membership["history"]) if change["kind"] == "APPLIED"), None
    ) if membership else None
    return {
        "municipality": municipality,
        "alliance": data["alliance"],
        "membership": membership,
        "applied_on": applied_on,
        "may_apply": (membership["status"] if membership else None) in MAY_APPLY,
        "tiers": {"FULL": data["full"], "SUPPORTING": data["supporting"]},
    }


def add_application_pages(pages: Pages) -> None:
    @pages.get("/membership/apply")
    async def application(visit: Visit) -> Response:
        return visit.render("portal/apply.html", **await application_context(visit))

    @pages.post("/membership/apply")
    async def apply(visit: Visit) -> Response:
        form = FormInput(visit.form, visit.t)
        values = {
            "allianceSlug": visit.web.settings.alliance_slug,
            "tier": form.required("tier", form.choice("tier", "MembershipTier")),
            "note": form.optional("note"),
        }
        if form.problems:
            return visit.refused("portal/apply.html", form.outcome, **await application_context(visit))
        return await visit.submit(
            "portal/apply_for_membership", values,
            then="/portal/membership/apply",
            done="membership_applied",
            form="portal/apply.html",
            context=application_context,
        )
