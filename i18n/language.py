"""Which language a request is answered in, and where the code that renders messages finds it.

The language is chosen once per request (`choose_language`) and kept in a context variable for
the rest of it (`speaking`), so that a message raised deep in a resolver is rendered in the
caller's language when it is turned into an answer, without every function passing it along.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from i18n.catalogue import DEFAULT_LANGUAGE, LANGUAGES

_language: ContextVar[str] = ContextVar("tsunagu_language", default=DEFAULT_LANGUAGE)


def language_in_use() -> str:
    """The language of the request being served (Japanese outside any request)."""
    return _language.get()


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Render messages in `language` inside the block."""
    token = _language.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _language.reset(token)


def negotiate(accept_language: str | None) -> str | None:
    """The language of ours that an `Accept-Language` header prefers most (RFC 9110 §12.5.4).

    `en-US,en;q=0.9,ja;q=0.8` → "en"; a range's primary tag is compared (`ja-JP` is "ja"); `*`
    stands for any, which is Japanese; q=0 refuses; None when the header names none of ours.
    """
    best: tuple[float, int, str] | None = None
    for position, item in enumerate((accept_language or "").split(",")):
        tag, _, parameters = item.strip().partition(";")
        weight = _quality(parameters)
        primary = tag.strip().lower().split("-", 1)[0]
        language = DEFAULT_LANGUAGE if primary == "*" else primary
        if language not in LANGUAGES or weight <= 0:
            continue
        candidate = (weight, -position, language)
        if best is None or candidate > best:
            best = candidate
    return best[2] if best else None


def _quality(parameters: str) -> float:
    for parameter in parameters.split(";"):
        name, _, value = parameter.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                return max(0.0, min(1.0, float(value)))
            except ValueError:
                return 0.0
    return 1.0


def choose_language(accept_language: str | None, saved: str | None = None) -> str:
    """`Accept-Language`, then the signed-in user's saved preference, then Japanese."""
    return negotiate(accept_language) or (saved if saved in LANGUAGES else None) or DEFAULT_LANGUAGE
