"""GraphiQL, served whole by the app: the page at /graphql (for a browser, in development) and
its scripts and styles under /graphiql/.

Strawberry's own page loads React and GraphiQL from a public CDN, which a closed network
(LGWAN) cannot reach. These files are the npm packages' own bundles (scripts/vendor_graphiql.py
copies them unchanged), and the page has the portals' Content-Security-Policy, under which it
loads nothing from another host and runs no inline script, with one addition: GraphiQL's
stylesheet carries its fonts inline, as data: URLs.
"""

from __future__ import annotations

from pathlib import Path

from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from portals.web import SECURITY_HEADERS

HERE = Path(__file__).resolve().parent
STATIC_PREFIX = "/graphiql"
PAGE = (HERE / "page.html").read_text(encoding="utf-8")
FONTS_INLINE = "font-src 'self' data:"
PAGE_HEADERS = {
    **SECURITY_HEADERS,
    "Content-Security-Policy": f"{SECURITY_HEADERS['Content-Security-Policy']}; {FONTS_INLINE}",
}


def graphiql_page() -> HTMLResponse:
    return HTMLResponse(PAGE, headers=PAGE_HEADERS)


def graphiql_routes() -> list[BaseRoute]:
    return [Mount(STATIC_PREFIX, StaticFiles(directory=HERE / "static"), name="graphiql")]
