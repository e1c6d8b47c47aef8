"""The two bulletin addresses outside the portals' sign-in: attached files, downloaded with the
portal's session or the API's bearer token by those who may read the bulletin, and the
unsubscribe link of each bulletin email (RFC 8058: GET shows a confirmation page, POST
unsubscribes with no sign-in, as a mail client's one-click button does)."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from portals.session import SESSION_COOKIE
from portals.web import Web
from resolvers.access import ANONYMOUS, Actor
from resolvers.accounts import actor_for
from resolvers.bulletin import reader_for
from resolvers.bulletin_delivery import delivery_of, unsubscribe
from resolvers.bulletin_files import readable_file
from resolvers.errors import Unauthenticated
from resolvers.portal_session import SessionEnded, current_session
from resolvers.text import whole_number

MAX_ID_DIGITS = 9


async def caller(request: Request) -> Actor:
    """The portal session's user, else the bearer token's, else nobody."""
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        try:
            session = await current_session(session_id)
        except SessionEnded:
            session = None
        if session is not None:
            return session.actor
    try:
        return await actor_for(request.headers.get("authorization"))
    except Unauthenticated:
        return ANONYMOUS


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback name and the real one per RFC 6266 / 5987."""
    fallback = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


async def download(request: Request) -> Response:
    """The file, or 404 for anyone its bulletin's audience does not admit (as for no file)."""
    attachment_id = whole_number(request.path_params["id"], MAX_ID_DIGITS)
    file = await readable_file(await reader_for(await caller(request)), attachment_id) if attachment_id else None
    if file is None:
        return Response("Not Found", status_code=404, media_type="text/plain", headers={"X-Content-Type-Options": "nosniff"})
    return Response(
        bytes(file.content),
        media_type=file.content_type,
        headers={
            "Content-Disposition": content_disposition(file.filename),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )


def routes(web: Web) -> list[Route]:
    async def unsubscribe_page(request: Request) -> Response:
        token = request.path_params["token"]
        delivery = await delivery_of(token)
        if request.method == "POST" and delivery is not None:
            await unsubscribe(token)
        context = {
            "portal": None,
            "token": token,
            "address": delivery.email.to_address if delivery else None,
            "unsubscribed": request.method == "POST",
        }
        return web.render(request, "shared/bulletin_unsubscribe.html", context, status=200 if delivery else 404)

    return [
        Route("/bulletin-files/{id}", download, methods=["GET"]),
        Route("/unsubscribe/bulletins/{token}", unsubscribe_page, methods=["GET", "POST"]),
    ]
