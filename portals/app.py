"""The portals' routes, mounted by `server.create_app`: /admin, /portal, /partner, sign-in and
the static files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from portals import admin, admin_outbox, member, partner, preferences, signin, unsubscribe
from portals.web import Web
from settings import Settings

STATIC_DIR = Path(__file__).resolve().parent / "static"


PAGE_MODULES = (admin_outbox, preferences)
"""Modules that add pages to the portals above when imported."""


def portal_routes(settings: Settings) -> list[BaseRoute]:
    web = Web(settings)
    return [
        *signin.routes(web),
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
