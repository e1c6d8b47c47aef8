"""Japanese first, English available: message catalogues in `locales/<lang>.toml`.

A catalogue is a TOML file of tables; keys are addressed with dots (`nav.members`). The language
comes from `?lang=` (which also sets the cookie), then the cookie, then Japanese.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from starlette.requests import Request

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
LANGUAGES = ("ja", "en")
DEFAULT_LANGUAGE = "ja"
LANGUAGE_COOKIE = "tsunagu_lang"


def flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


@cache
def catalogue(language: str) -> dict[str, str]:
    with (LOCALES_DIR / f"{language}.toml").open("rb") as handle:
        return flatten(tomllib.load(handle))


def requested_language(request: Request) -> str | None:
    """The language asked for with `?lang=`, if it is one we have."""
    asked = request.query_params.get("lang")
    return asked if asked in LANGUAGES else None


def language_of(request: Request) -> str:
    chosen = requested_language(request) or request.cookies.get(LANGUAGE_COOKIE)
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


class Translator:
    """`t("nav.notifications")`, `t("list.count", count=3)`; `t.enum("MembershipTier", "FULL")`."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.messages = catalogue(language)

    def __call__(self, key: str, **values: Any) -> str:
        text = self.messages[key]
        return text.format(**values) if values else text

    def enum(self, enum_name: str, value: str | None) -> str:
        if value is None:
            return ""
        return self.messages.get(f"enum.{enum_name}.{value}", value)

    def has(self, key: str) -> bool:
        return key in self.messages
