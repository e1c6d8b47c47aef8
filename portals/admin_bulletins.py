"""The bulletin editor (/admin/bulletins): the list by status, writing in Markdown with a preview
rendered by the API (`bulletinPreview`, so no script is needed under the pages' CSP), attached
files, scheduling, publishing, and how the emails stand."""

from __future__ import annotations

import base64
from typing import Any

from starlette.datastructures import UploadFile
from starlette.responses import Response

from portals.admin import alliance_slug, pages
from portals.api import Outcome, UserError, enum_values
from portals.forms import FormInput
from portals.web import Visit, page_arguments
from resolvers.bulletin_files import MAX_FILE_BYTES
from resolvers.calendar import today

EDITOR = "admin/bulletin.html"
DRAFT_FIELDS = ("year", "month", "title", "audience", "body")


def status_filter(visit: Visit) -> str | None:
    status = visit.param("status")
    return status if status in enum_values("BulletinStatus") else None


@pages.get("/bulletins")
async def bulletins(visit: Visit) -> Response:
    chosen = status_filter(visit)
    data = await visit.query("admin/bulletins", slug=alliance_slug(visit), status=chosen, **page_arguments(visit.request))
    return visit.render("admin/bulletins.html", bulletins=data["bulletins"], chosen=chosen)


def next_issue() -> dict[str, Any]:
    """The form of a new bulletin: next month's issue, for all members."""
    day = today()
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return {"year": year, "month": month, "audience": "ALL_MEMBERS", "title": "", "body": ""}


async def preview_of(visit: Visit, body: str) -> str | None:
    if not body.strip():
        return None
    return (await visit.query("admin/bulletin_preview", body=body))["bulletinPreview"]


def draft_input(form: FormInput) -> dict[str, Any]:
    return {
        "year": form.required("year", form.integer("year")),
        "month": form.required("month", form.integer("month")),
        "title": form.text("title"),
        "body": form.text("body"),
        "audience": form.required("audience", form.choice("audience", "Audience")),
    }


@pages.get("/bulletins/new")
async def new_bulletin(visit: Visit) -> Response:
    return visit.render(EDITOR, bulletin=None, posted=next_issue(), preview=None)


@pages.post("/bulletins/new")
async def create_bulletin(visit: Visit) -> Response:
    form = FormInput(visit.form, visit.t)
    input = draft_input(form)
    preview = await preview_of(visit, form.text("body"))
    if form.text("action") == "preview":
        return visit.render(EDITOR, bulletin=None, preview=preview)
    if form.problems:
        return visit.refused(EDITOR, form.outcome, bulletin=None, preview=preview)
    outcome = await visit.mutate("admin/create_bulletin", {"allianceSlug": alliance_slug(visit), **input})
    if outcome.accepted:
        return visit.redirect(f"/admin/bulletins/{outcome.payload['bulletin']['id']}", "bulletin_saved")
    return visit.refused(EDITOR, outcome, bulletin=None, preview=preview)


async def bulletin_of(visit: Visit) -> dict[str, Any] | None:
    return (await visit.query("admin/bulletin", id=visit.request.path_params["id"]))["node"] or None


def saved_values(bulletin: dict[str, Any]) -> dict[str, Any]:
    return {name: bulletin[name] for name in DRAFT_FIELDS}


async def editor(visit: Visit, *, errors: Outcome | None = None, preview: str | None = None) -> Response:
    """The bulletin's page: its form as saved (or as posted, with `errors` or a `preview`)."""
    bulletin = await bulletin_of(visit)
    if bulletin is None:
        return visit.render("shared/not_found.html", status=404)
    context: dict[str, Any] = {"bulletin": bulletin, "preview": preview if preview is not None else bulletin["bodyHtml"]}
    if visit.form is None or visit.form.get("body") is None:
        context["posted"] = saved_values(bulletin)
    if errors is not None and not errors.accepted:
        return visit.refused(EDITOR, errors, **context)
    return visit.render(EDITOR, **context)


@pages.get("/bulletins/{id}")
async def bulletin(visit: Visit) -> Response:
    return await editor(visit)


@pages.post("/bulletins/{id}")
async def update_bulletin(visit: Visit) -> Response:
    form = FormInput(visit.form, visit.t)
    input = draft_input(form)
    preview = await preview_of(visit, form.text("body")) or ""
    if form.text("action") == "preview":
        return await editor(visit, preview=preview)
    if form.problems:
        return await editor(visit, errors=form.outcome, preview=preview)
    outcome = await visit.mutate("admin/update_bulletin", {"bulletinId": visit.request.path_params["id"], **input})
    if outcome.accepted:
        return visit.redirect(f"/admin/bulletins/{visit.request.path_params['id']}", "bulletin_saved")
    return await editor(visit, errors=outcome, preview=preview)


async def uploaded(visit: Visit) -> tuple[str, bytes] | None:
    """The posted file's name and bytes, read no further than one byte past the limit."""
    file = visit.form.get("file") if visit.form is not None else None
    if not isinstance(file, UploadFile) or not file.filename:
        return None
    return file.filename, await file.read(MAX_FILE_BYTES + 1)


async def step(visit: Visit, name: str, input: dict[str, Any], done: str) -> Response:
    """Run one of the page's buttons; back to the page, saying what was done or refused."""
    outcome = await visit.mutate(name, input)
    if outcome.accepted:
        return visit.redirect(f"/admin/bulletins/{visit.request.path_params['id']}", done)
    return await editor(visit, errors=outcome)


@pages.post("/bulletins/{id}/attachments")
async def attach_file(visit: Visit) -> Response:
    upload = await uploaded(visit)
    if upload is None:
        problem = UserError(("input", "file"), "INVALID", visit.t("bulletins.errors.no_file"), translated=True)
        return await editor(visit, errors=Outcome({}, [problem]))
    filename, content = upload
    input = {"bulletinId": visit.request.path_params["id"], "filename": filename, "content": base64.b64encode(content).decode()}
    return await step(visit, "admin/attach_bulletin_file", input, "bulletin_attached")


@pages.post("/bulletins/{id}/attachments/{attachment}/remove")
async def remove_file(visit: Visit) -> Response:
    input = {"attachmentId": visit.request.path_params["attachment"]}
    return await step(visit, "admin/remove_bulletin_attachment", input, "bulletin_file_removed")


@pages.post("/bulletins/{id}/schedule")
async def schedule(visit: Visit) -> Response:
    form = FormInput(visit.form, visit.t)
    publish_at = form.required("publishAt", form.japan_datetime("publishAt"))
    if form.problems:
        return await editor(visit, errors=form.outcome)
    input = {"bulletinId": visit.request.path_params["id"], "publishAt": publish_at}
    return await step(visit, "admin/schedule_bulletin", input, "bulletin_scheduled")


@pages.post("/bulletins/{id}/unschedule")
async def unschedule(visit: Visit) -> Response:
    return await step(visit, "admin/unschedule_bulletin", {"bulletinId": visit.request.path_params["id"]}, "bulletin_unscheduled")


@pages.post("/bulletins/{id}/publish")
async def publish(visit: Visit) -> Response:
    return await step(visit, "admin/publish_bulletin", {"bulletinId": visit.request.path_params["id"]}, "bulletin_published")
