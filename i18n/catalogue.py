"""The catalogues: `locales/<language>/*.toml`, tables of keys addressed with dots (`nav.members`).

A language's files are read together as one catalogue (one file per part of the product, so that
work on one part does not touch another's file); a key may stand in one file only.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
LANGUAGES = ("ja", "en")
DEFAULT_LANGUAGE = "ja"
"""The alliance's language, used when nothing else says which."""


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
    messages: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / language).glob("*.toml")):
        with path.open("rb") as handle:
            part = flatten(tomllib.load(handle))
        if repeated := messages.keys() & part.keys():
            raise ValueError(f"{path} repeats keys of another file: {sorted(repeated)}")
        messages.update(part)
    return messages


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
