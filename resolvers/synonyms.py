"""Related terms: what else a search means (data/search_synonyms.toml and the themes' own words).

A query equal to one term of a concept (notation variants folded) is expanded to the concept's
other terms; a concept tied to a theme also has the theme's title and English title as terms.
The files are read once per process.
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

from resolvers.text import normalise
from settings import DATA_DIR

SYNONYMS_FILE = "search_synonyms.toml"
THEMES_FILE = "themes.toml"


def _read(path: Path) -> dict:
    with path.open("rb") as file:
        return tomllib.load(file)


def key(term: str) -> str:
    """The form under which a query and a term are compared."""
    return normalise(term).strip()


@functools.cache
def concepts() -> dict[str, tuple[str, ...]]:
    """Every term (by `key`) and the terms of the concepts it belongs to, as written."""
    themes = {theme["number"]: theme for theme in _read(DATA_DIR / THEMES_FILE)["theme"]}
    related: dict[str, list[str]] = {}
    for concept in _read(DATA_DIR / SYNONYMS_FILE)["concept"]:
        terms = list(concept["terms"])
        if "theme" in concept:
            theme = themes[concept["theme"]]
            terms += [theme["title"], theme["title_en"]]
        for term in terms:
            related.setdefault(key(term), []).extend(terms)
    return {term: tuple(others) for term, others in related.items()}


def related_terms(query: str) -> list[str]:
    """The terms related to `query`, as written, each once and none the same as the query."""
    wanted = key(query)
    seen = {wanted}
    found = []
    for term in concepts().get(wanted, ()):
        if key(term) not in seen:
            seen.add(key(term))
            found.append(term)
    return found
