"""What every portal page shares: the signed-in visit, its guard, rendering and paging."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from i18n import dates
from portals import api
from portals.api import NO_ERRORS, ApiError, Outcome, UserError
from portals.i18n import LANGUAGE_COOKIE, Translator, language_of, requested_language
from portals.session import (
    SESSION_COOKIE,
    carries_token,
    clear_session_cookie,
    is_same_origin,
    set_cookie,
)
from resolvers.portal_session import OpenSession, SessionEnded, current_session
from settings import Settings

R = TypeVar("R", bound=Response)

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
PAGE_SIZE = 20
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600
API_ERROR_STATUS = {"FORBIDDEN": 403, "UNAUTHENTICATED": 401, "INTERNAL_ERROR": 500}
# Pages load only their own script and styles (inline style attributes place the map's tiles),
# are never framed, post only to this site and tell other sites nothing (a login link's code
# must not leak through a Referer).
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'none'",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}


class Portal(Enum):
    """The three portals: their URL prefix and the one role each admits."""

    ADMIN = ("admin", "/admin", "ADMIN")
    MEMBER = ("portal", "/portal", "MUNICIPALITY")
    PARTNER = ("partner", "/partner", "PARTNER")

    def __init__(self, key: str, prefix: str, role: str) -> None:
        self.key = key
        self.prefix = prefix
        self.role = role

    @classmethod
    def of_role(cls, role: str | None) -> Portal:
        return next(portal for portal in cls if portal.role == role)


def in_page_language(format: Callable[..., str]) -> Callable[..., str]:
    """A Jinja filter (or function) that formats its values in the language of the page being rendered."""

    @pass_context
    def formatted(context: Context, *values: Any, **options: Any) -> str:
        return format(*values, context["lang"], **options)

    return formatted


def named(thing: dict[str, Any] | None, language: str) -> str:
    """A municipality's, prefecture's, alliance's or partner's name in `language`: its English
    name in English (the Japanese one only where it has none)."""
    if not thing:
        return ""
    if language == "en" and thing.get("nameEn"):
        return thing["nameEn"]
    return thing["name"]


@pass_context
def local_name(context: Context, thing: dict[str, Any] | None) -> str:
    return named(thing, context["lang"])


HIRAGANA = re.compile(r"[\u3041-\u309f]")
"""A Japanese sentence has hiragana (its particles); an English one quoting a Japanese term
(`full members (正会員)`) has none."""


@pass_context
def refusal(context: Context, error: UserError) -> str:
    """One message for a userError, in the page's language: the API's own (it answers in the
    language of the request), or the page's sentence for the error's code when the API's
    message is not Japanese on a Japanese page."""
    if context["lang"] == "en" or error.translated or HIRAGANA.search(error.message):
        return error.message
    return context["t"].enum("UserErrorCode", error.code)


JAPANESE_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def written_in(text: str) -> str:
    """"ja" for text with Japanese script in it, "en" for Latin words alone, "" for neither."""
    if JAPANESE_SCRIPT.search(text):
        return "ja"
    return "en" if LATIN_WORD.search(text) else ""


@pass_context
def as_written(context: Context, text: str | None) -> Markup | str:
    """Text people wrote, in one language only (an officer's name, a theme's summary, a partner's
    offering or English company name), marked with its language where it is not the page's, so
    that screen readers read it right (WCAG 3.1.2)."""
    if not text:
        return ""
    language = written_in(text)
    if language and language != context["lang"]:
        return Markup('<span lang="{}">{}</span>').format(language, text)
    return text


def make_environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["date"] = in_page_language(dates.format_date)
    environment.filters["time"] = in_page_language(dates.format_time)
    environment.filters["datetime"] = in_page_language(dates.format_datetime)
    environment.globals["period"] = in_page_language(dates.format_period)
    environment.filters["fiscal_year"] = in_page_language(dates.format_fiscal_year)
    environment.filters["number"] = in_page_language(dates.format_number)
    environment.filters["official_date"] = in_page_language(dates.format_official_date)
    environment.filters["local_name"] = local_name
    environment.filters["refusal"] = refusal
    environment.filters["as_written"] = as_written
    environment.globals["enum_values"] = api.enum_values
    environment.globals["new_submission_key"] = api.new_submission_key
    return environment


def url_with(request: Request, path: str | None = None, **changes: Any) -> str:
    """This page's URL (or `path`) with its query parameters, some changed (None removes one)."""
    params = {key: value for key, value in request.query_params.items() if key not in ("lang", "done")}
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    path = path or request.url.path
    return f"{path}?{urlencode(params)}" if params else path


def page_arguments(request: Request, size: int = PAGE_SIZE) -> dict[str, Any]:
    """`first`/`after`, or `last`/`before` when going back, from the query string."""
    before = request.query_params.get("before")
    if before:
        return {"last": size, "before": before}
    return {"first": size, "after": request.query_params.get("after") or None}


@dataclass
class Web:
    """The portals' shared machinery: settings, templates."""

    settings: Settings
    environment: Environment = field(default_factory=make_environment)

    def render(
        self, request: Request, template: str, context: dict[str, Any], *, status: int = 200
    ) -> HTMLResponse:
        t = Translator(language_of(request))
        page = {"t": t, "lang": t.language, "request": request, "url_with": lambda path=None, **c: url_with(request, path, **c)}
        done = request.query_params.get("done", "")
        if t.has(f"done.{done}"):
            page["done"] = t(f"done.{done}")
        body = self.environment.get_template(template).render(**page, **context)
        return remember_language(request, HTMLResponse(body, status_code=status, headers=SECURITY_HEADERS))


def remember_language(request: Request, response: R) -> R:
    language = requested_language(request)
    if language:
        set_cookie(request, response, LANGUAGE_COOKIE, language, LANGUAGE_COOKIE_SECONDS)
    return response


@dataclass
class Visit:
    """One request to a portal page by a signed-in user of that portal's role."""

    web: Web
    request: Request
    pages: Pages
    session: OpenSession
    form: FormData | None = None

    @property
    def t(self) -> Translator:
        return Translator(language_of(self.request))

    async def query(self, name: str, **variables: Any) -> dict[str, Any]:
        return await api.execute(self.web.settings, self.session.actor, name, variables, language=self.t.language)

    async def mutate(self, name: str, input: dict[str, Any]) -> Outcome:
        """Run the mutation under the form's submission key: a form sent twice changes things once."""
        key = self.form.get("submission") if self.form is not None else None
        return await api.mutate(
            self.web.settings, self.session.actor, name, input, language=self.t.language,
            key=key if isinstance(key, str) else None,
        )

    async def save_requested_language(self) -> None:
        """The language switch (`?lang=`) is also the user's saved preference, so the API answers
        them in it elsewhere too; a read-only token keeps the cookie alone."""
        language = requested_language(self.request)
        if language and language != self.session.actor.language:
            await self.mutate("shared/update_my_preferences", {"language": language.upper()})

    def param(self, name: str) -> str | None:
        return self.request.query_params.get(name) or None

    def render(self, template: str, *, status: int = 200, errors: Outcome = NO_ERRORS, **context: Any) -> HTMLResponse:
        page = {
            "portal": self.pages.portal,
            "nav": self.pages.nav,
            "user_name": self.session.user_name,
            "csrf_token": self.session.csrf_secret,
            "errors": errors,
            "posted": self.form or FormData(),
        }
        return self.web.render(self.request, template, {**page, **context}, status=status)

    def refused(self, template: str, outcome: Outcome, **context: Any) -> HTMLResponse:
        """The form again, with the API's userErrors beside its fields and in a summary."""
        return self.render(template, status=422, errors=outcome, **context)

    async def submit(
        self,
        name: str,
        input: dict[str, Any],
        *,
        then: str,
        done: str,
        form: str,
        context: Callable[[Visit], Awaitable[dict[str, Any]]],
    ) -> Response:
        """Run a form's mutation: on success go to `then` (post/redirect/get), else show the form
        page again, built by `context`, with the API's userErrors."""
        outcome = await self.mutate(name, input)
        if outcome.accepted:
            return self.redirect(then, done)
        return self.refused(form, outcome, **await context(self))

    def redirect(self, path: str, done: str | None = None) -> RedirectResponse:
        target = f"{path}{'&' if '?' in path else '?'}done={done}" if done else path
        return RedirectResponse(target, status_code=303)


Handler = Callable[[Visit], Awaitable[Response]]


class Pages:
    """The pages of one portal, registered with `@pages.get(path)` / `@pages.post(path)`."""

    def __init__(self, portal: Portal, nav: tuple[tuple[str, str], ...]) -> None:
        self.portal = portal
        self.nav = nav
        self.entries: list[tuple[str, Handler, str]] = []

    def get(self, path: str) -> Callable[[Handler], Handler]:
        return self._register(path, "GET")

    def post(self, path: str) -> Callable[[Handler], Handler]:
        return self._register(path, "POST")

    def _register(self, path: str, method: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.entries.append((path, handler, method))
            return handler

        return register

    def routes(self, web: Web) -> list[Route]:
        return [
            Route(self.portal.prefix + path, guarded(web, self, handler), methods=[method])
            for path, handler, method in self.entries
        ]


def guarded(web: Web, pages: Pages, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """Admit only a signed-in user of the portal's role; check every POST for forgery."""

    portal = pages.portal
    site = web.settings.public_origin

    async def endpoint(request: Request) -> Response:
        session_id = request.cookies.get(SESSION_COOKIE)
        try:
            session = await current_session(session_id) if session_id else None
        except SessionEnded:
            response = RedirectResponse("/login?done=session_ended", status_code=303)
            clear_session_cookie(request, response)
            return response
        if session is None:
            return RedirectResponse(f"/login?{urlencode({'next': request.url.path})}", status_code=303)
        if session.actor.role != portal.role:
            home = Portal.of_role(session.actor.role)
            context = {"portal": portal, "home": home, "csrf_token": session.csrf_secret, "user_name": session.user_name}
            return web.render(request, "shared/wrong_portal.html", context, status=403)
        visit = Visit(web, request, pages, session)
        await visit.save_requested_language()
        if request.method == "POST":
            visit.form = await request.form()
            if not (is_same_origin(request, site) and carries_token(visit.form, session.csrf_secret)):
                return web.render(request, "shared/forbidden.html", {"portal": portal}, status=403)
        try:
            return await handler(visit)
        except ApiError as error:
            context = {"portal": portal, "error": error, "csrf_token": session.csrf_secret, "user_name": session.user_name}
            return web.render(request, "shared/api_error.html", context, status=API_ERROR_STATUS.get(error.code, 400))

    return endpoint
