"""Messages named by key and parameters, rendered in the reader's language when read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from i18n.catalogue import catalogue
from i18n.language import language_in_use


@dataclass(frozen=True)
class Text:
    """A message to render later: `Text("errors.forbidden.own_municipality")`.

    `str(text)` renders it in the language of the request being served, so an exception that
    carries one reads in the caller's language wherever it is turned into an answer. Parameters
    that are themselves `Text` or `Name` are rendered in the same language.
    """

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, language: str | None = None) -> str:
        language = language or language_in_use()
        values = {
            name: value.render(language) if isinstance(value, (Text, Name)) else value
            for name, value in self.params.items()
        }
        template = catalogue(language)[self.key]
        return template.format(**values) if values else template

    def __str__(self) -> str:
        return self.render()


def message(key: str, **params: Any) -> Text:
    """`message("errors.not_found", what=...)`: a `Text`, checked to exist in the catalogue."""
    if key not in catalogue("ja"):
        raise KeyError(f"{key!r} is not in the message catalogue")
    return Text(key, params)


@dataclass(frozen=True)
class Name:
    """A name as each language writes it, e.g. a prefecture's 大阪府 and Osaka: a parameter of a
    `Text` that reads in the reader's language. A language without its own spelling (a partner
    that gave no English name) gets the Japanese one."""

    ja: str
    en: str | None = None

    def render(self, language: str | None = None) -> str:
        if (language or language_in_use()) == "en" and self.en:
            return self.en
        return self.ja

    def __str__(self) -> str:
        return self.render()

    def stored(self) -> dict[str, str | None]:
        """The form kept in a JSON column; `Name.of` reads it back."""
        return {"ja": self.ja, "en": self.en}

    @classmethod
    def of(cls, value: Any) -> Any:
        """A stored parameter as it renders: `{"ja": ..., "en": ...}` becomes a `Name`."""
        if isinstance(value, dict) and "ja" in value:
            return cls(value["ja"], value.get("en"))
        return value
