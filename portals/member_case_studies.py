"""The member portal's case-study library (/portal/case-studies): the cases by theme, each case
with who ran it, where, what came of it and which municipalities took it up, and the form with
which the municipality records or withdraws its own adoption (横展開)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from portals.forms import FormInput, theme_number
from portals.member import pages
from portals.web import Visit, page_arguments

SEARCH_LIMIT = 100
"""The longest text the library's search accepts."""


@pages.get("/case-studies")
async def case_studies(visit: Visit) -> Response:
    theme = theme_number(visit.param("themeNumber"))
    data = await visit.query(
        "portal/case_studies",
        filter={"themeNumber": theme} if theme is not None else {},
        **page_arguments(visit.request, 10),
    )
    return visit.render(
        "portal/case_studies.html",
        case_studies=data["caseStudies"],
        themes=data["themes"],
        theme_number=theme,
    )


async def adopted_by(visit: Visit, code: str, case_study: dict[str, Any]) -> bool:
    """Whether the municipality recorded adopting the case: its adoptions narrowed by the title."""
    narrowed = {"adoptedBy": code, "search": case_study["title"][:SEARCH_LIMIT]}
    data = await visit.query("portal/case_studies_adopted", filter=narrowed)
    return any(node["slug"] == case_study["slug"] for node in data["caseStudies"]["nodes"])


async def case_study_context(visit: Visit) -> dict[str, Any]:
    slug = visit.request.path_params["slug"]
    data = await visit.query("portal/case_study", slug=slug, **page_arguments(visit.request, 20))
    case_study = data["caseStudy"]
    if not case_study:
        return {"case_study": None}
    code = data["viewer"]["municipality"]["code"]
    return {"case_study": case_study, "adopted": await adopted_by(visit, code, case_study)}


@pages.get("/case-studies/{slug}")
async def case_study(visit: Visit) -> Response:
    context = await case_study_context(visit)
    if not context["case_study"]:
        return visit.render("shared/not_found.html", status=404)
    return visit.render("portal/case_study.html", **context)


ADOPTION_CHANGES = {"adopt": "portal/record_case_study_adoption", "withdraw": "portal/withdraw_case_study_adoption"}
"""The document each button of a case's adoption form runs."""


@pages.post("/case-studies/{slug}/{change:str}")
async def change_adoption(visit: Visit) -> Response:
    slug = visit.request.path_params["slug"]
    change = visit.request.path_params["change"]
    if change not in ADOPTION_CHANGES:
        return visit.render("shared/not_found.html", status=404)
    form = FormInput(visit.form, visit.t)
    values: dict[str, Any] = {"caseStudyId": form.text("caseStudyId")}
    if change == "adopt":
        values["note"] = form.optional("note")
    return await visit.submit(
        ADOPTION_CHANGES[change], values,
        then=f"/portal/case-studies/{slug}",
        done=f"case_study_{change}",
        form="portal/case_study.html",
        context=case_study_context,
    )
