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
    that are themselves `Text` or `Named` are rendered in the same language.
    """

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, language: str | None = None) -> str:
        language = language or language_in_use()
        values = {
            name: value.render(language) if isinstance(value, Text | Named | Listed) else value
            for name, value in self.params.items()
        }
        template = catalogue(language)[self.key]
        return template.format(**values) if values else template

    def __str__(self) -> str:
        return self.render()


@dataclass(frozen=True)
class Named:
    """A name kept in both languages, e.g. a municipality's (`name`, `name_en`), as a parameter
    of a `Text`: the Japanese name in Japanese, the English one (when there is one) in English."""

    ja: str
    en: str | None = None

    def render(self, language: str) -> str:
        return self.en if language == "en" and self.en else self.ja

    @classmethod
    def of(cls, row: Any) -> Named:
        """The name of a row with `name` and `name_en` (a municipality, a partner, a theme…)."""
        return cls(row.name, getattr(row, "name_en", None))

    def __str__(self) -> str:
        return self.render(language_in_use())

    def stored(self) -> dict[str, str | None]:
        """The form kept in a JSON column (a notification's parameters); `from_stored` reads it."""
        return {"ja": self.ja, "en": self.en}

    @classmethod
    def from_stored(cls, value: Any) -> Any:
        """A stored parameter as it renders: `{"ja": ..., "en": ...}` becomes a `Named`."""
        if isinstance(value, dict) and "ja" in value:
            return cls(value["ja"], value.get("en"))
        return value


def field_label(name: str) -> Text | str:
    """What a message calls the input field `name` (`desiredOutcome` → 目指す成果 / desired outcome);
    the name itself where the catalogue has no label for it."""
    key = f"label.field.{name}"
    return Text(key) if key in catalogue("ja") else name


def kind_label(model_name: str) -> Text | str:
    """What a message calls a kind of record (`WorkingGroup` → ワーキンググループ / working group)."""
    key = f"label.kind.{model_name}"
    return Text(key) if key in catalogue("ja") else model_name
@dataclass(frozen=True)
class Listed:
    """Several parameters shown as one, joined the way the reader's language lists things
    (`list.separator` in the catalogue: 「、」 in Japanese, ", " in English)."""

    items: tuple[Any, ...]

    def render(self, language: str) -> str:
        return catalogue(language)["list.separator"].join(
            item.render(language) if isinstance(item, Text | Named) else str(item) for item in self.items
        )


def message(key: str, **params: Any) -> Text:
    """`message("errors.not_found", what=...)`: a `Text`, checked to exist in the catalogue."""
    if key not in catalogue("ja"):
        raise KeyError(f"{key!r} is not in the message catalogue")
    return Text(key, params)
