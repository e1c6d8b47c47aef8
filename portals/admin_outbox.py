"""The outbox in the admin portal (/admin/outbox): the secretariat reads what was queued, sent or
refused (with the mail server's answer), page by page, and sends a failed message again."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from portals.admin import accounts_context, pages
from portals.api import enum_values
from portals.web import Visit, page_arguments

OUTBOX_PAGE_SIZE = 20


def chosen_status(visit: Visit) -> str | None:
    status = visit.param("status")
    return status if status in enum_values("OutboundEmailStatus") else None


async def outbox_context(visit: Visit) -> dict[str, Any]:
    status = chosen_status(visit)
    data = await visit.query("admin/outbox", status=status, **page_arguments(visit.request, OUTBOX_PAGE_SIZE))
    return {"emails": data["outboundEmails"], "chosen": status}


@pages.get("/outbox")
async def outbox(visit: Visit) -> Response:
    return visit.render("admin/outbox.html", **await outbox_context(visit))


@pages.post("/outbox/{id}/resend")
async def resend_email(visit: Visit) -> Response:
    return await visit.submit(
        "admin/resend_email", {"id": visit.request.path_params["id"]},
        then="/admin/outbox?status=FAILED",
        done="email_resent",
        form="admin/outbox.html",
        context=outbox_context,
    )


@pages.post("/accounts/{id}/email")
async def set_user_email(visit: Visit) -> Response:
    """The secretariat sets (or, left empty, removes) the address of a token's user."""
    email = str(visit.form.get("email", "")) if visit.form is not None else ""
    return await visit.submit(
        "admin/set_user_email", {"tokenId": visit.request.path_params["id"], "email": email or None},
        then="/admin/accounts",
        done="email_saved",
        form="admin/accounts.html",
        context=accounts_context,
    )
