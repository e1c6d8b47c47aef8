"""One-click unsubscribe (RFC 8058), without a sign-in: a GET shows what the link will do and asks
to confirm; a POST (the confirmation, or a mail client's `List-Unsubscribe=One-Click`) turns the
user's notification emails off. A link that is not signed by Tsunagu changes nothing."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from portals.web import Web
from resolvers.mail.unsubscribe import UNSUBSCRIBE_PATH, unsubscribe, user_of_token


def routes(web: Web) -> list[Route]:
    async def unsubscribe_page(request: Request) -> Response:
        token = request.path_params["token"]
        user = await user_of_token(token)
        if user is None:
            return web.render(request, "shared/unsubscribe.html", {"invalid": True}, status=404)
        if request.method == "POST":
            await unsubscribe(user)
            return web.render(request, "shared/unsubscribe.html", {"stopped": True})
        context = {"address": user.email or "", "action": UNSUBSCRIBE_PATH + token}
        return web.render(request, "shared/unsubscribe.html", context)

    return [Route(UNSUBSCRIBE_PATH + "{token}", unsubscribe_page, methods=["GET", "POST"])]
