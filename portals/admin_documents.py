"""The secretariat's documents on paper: the roster as a PDF for the general assembly (its
filters as the roster page's), and an event's list of registrants to print."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from portals.admin import alliance_slug, every_member, pages, roster_filter
from portals.charts import every_registration
from portals.web import Visit
from resolvers.calendar import today

STATIC_DIR = Path(__file__).resolve().parent / "static"


class StaticFilesOnly(URLFetcher):
    """Reads the page's stylesheet from the portals' static files; fetches nothing else."""

    def __init__(self, base_url: str) -> None:
        super().__init__(allowed_protocols={"file"})
        self.static = base_url.rstrip("/") + "/static/"

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
        name = url.removeprefix(self.static)
        if not url.startswith(self.static) or "/" in name or not (STATIC_DIR / name).is_file():
            raise ValueError(f"the PDF may not load {url}")
        return super().fetch((STATIC_DIR / name).as_uri(), headers)


def pdf_of(page: bytes, base_url: str) -> bytes:
    """A portal page as PDF, as it prints."""
    return HTML(string=page.decode("utf-8"), base_url=base_url, url_fetcher=StaticFilesOnly(base_url)).write_pdf()


@pages.get("/members.pdf")
async def roster_pdf(visit: Visit) -> Response:
    """The printed roster (dated in the Japanese era on Japanese pages) as a PDF, A4, with the
    roster's filters; made by WeasyPrint from the same page as /admin/print/members."""
    members = await every_member(visit, roster_filter(visit))
    page = visit.render("admin/roster_print.html", members=members, today=today())
    document = await run_in_threadpool(pdf_of, bytes(page.body), str(visit.request.base_url))
    return Response(
        document,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="roster-{alliance_slug(visit)}.pdf"',
            "Cache-Control": "no-store",
        },
    )


@pages.get("/events/{id}/registrants")
async def event_registrants(visit: Visit) -> Response:
    """An event's registrants, every page of them, laid out to print."""
    event, registrations = await every_registration(visit, visit.request.path_params["id"])
    if event is None:
        return visit.render("shared/not_found.html", status=404)
    return visit.render("admin/event_registrants.html", event=event, registrations=registrations, today=today())
