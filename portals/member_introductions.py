"""The member portal's introductions: a member asks to be put in touch with a peer (from the
peers page), the peer's staff accept or decline, and once accepted each side sees the other's
named contact."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from portals.forms import FormInput
from portals.web import Pages, Visit, page_arguments

BOXES = ("RECEIVED", "SENT")


def chosen_box(visit: Visit) -> str:
    box = (visit.param("box") or "").upper()
    return box if box in BOXES else "RECEIVED"


async def introductions_context(visit: Visit) -> dict[str, Any]:
    box = chosen_box(visit)
    data = await visit.query("portal/introductions", direction=box, **page_arguments(visit.request, 10))
    return {"introductions": data["introductions"], "box": box}


def add_introduction_pages(pages: Pages) -> None:
    @pages.get("/introductions")
    async def introductions(visit: Visit) -> Response:
        return visit.render("portal/introductions.html", **await introductions_context(visit))

    @pages.post("/introductions/request")
    async def request_introduction(visit: Visit) -> Response:
        form = FormInput(visit.form, visit.t)
        return await visit.submit(
            "portal/request_introduction", {"peerCode": form.text("peerCode"), "message": form.text("message")},
            then="/portal/introductions?box=sent",
            done="introduction_requested",
            form="portal/introductions.html",
            context=introductions_context,
        )

    @pages.post("/introductions/{answer:str}")
    async def answer_introduction(visit: Visit) -> Response:
        answer = visit.request.path_params["answer"]
        if answer not in ("accept", "decline"):
            return visit.render("shared/not_found.html", status=404)
        form = FormInput(visit.form, visit.t)
        return await visit.submit(
            "portal/answer_introduction", {"introductionId": form.text("introductionId"), "accept": answer == "accept"},
            then="/portal/introductions",
            done=f"introduction_{answer}ed",
            form="portal/introductions.html",
            context=introductions_context,
        )
