"""The portals' routes, mounted by `server.create_app`: /admin, /portal, /partner, sign-in and
the static files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from portals import (
    admin,
    admin_audit,
    admin_bulletins,
    admin_challenges,
    admin_documents,
    admin_events,
    admin_outbox,
    admin_records,
    admin_search,
    bulletin_links,
    member,
    member_bulletins,
    member_case_studies,
    member_challenges,
    member_events,
    member_procurement,
    partner,
    partner_proposals,
    preferences,
    signin,
    unsubscribe,
)
from portals.web import Web
from settings import Settings

STATIC_DIR = Path(__file__).resolve().parent / "static"
PAGE_MODULES = (
    admin, admin_audit, admin_bulletins, admin_challenges, admin_documents, admin_events, admin_outbox,
    admin_records, admin_search, member, member_bulletins, member_case_studies, member_challenges,
    member_events, member_procurement, partner, partner_proposals, preferences,
)
"""The modules whose pages make up the portals: each registers its own on its portal's `pages`."""



def portal_routes(settings: Settings) -> list[BaseRoute]:
    web = Web(settings)
    return [
        *signin.routes(web),
        *bulletin_links.routes(web),
        *unsubscribe.routes(web),
        *admin.pages.routes(web),
        *member.pages.routes(web),
        *partner.pages.routes(web),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
    ]


def unavailable_page(settings: Settings) -> Callable[[Request], Response]:
    """The page shown, with 503, while the database cannot be reached; it reads nothing from it."""
    web = Web(settings)
    return lambda request: web.render(request, "shared/unavailable.html", {}, status=503)
