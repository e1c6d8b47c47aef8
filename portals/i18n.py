"""The portals' language: `?lang=` (which also sets the cookie), then the cookie, then Japanese.

The messages themselves are in the shared catalogue (`i18n`), one for the API and the portals.
"""

from __future__ import annotations

from starlette.requests import Request

from i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator, catalogue

__all__ = ["LANGUAGES", "LANGUAGE_COOKIE", "Translator", "catalogue", "language_of", "requested_language"]

LANGUAGE_COOKIE = "tsunagu_lang"


def requested_language(request: Request) -> str | None:
    """The language asked for with `?lang=`, if it is one we have."""
    asked = request.query_params.get("lang")
    return asked if asked in LANGUAGES else None


def language_of(request: Request) -> str:
    chosen = requested_language(request) or request.cookies.get(LANGUAGE_COOKIE)
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE
