"""The secretariat's one search box (in the header of every admin page) and its results page
(/admin/search): everything the API's `search` finds, each linked to its admin page where there
is one, with the terms it matched highlighted."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Any

from markupsafe import Markup, escape
from starlette.responses import Response

from portals.admin import alliance_slug, pages
from portals.api import enum_values
from portals.web import Visit, named, page_arguments
from resolvers.text import KANJI_VARIANTS, SEPARATORS, VARIANTS, hiragana_to_katakana

MAX_QUERY_LENGTH = 100
EXCERPT_BEFORE, EXCERPT_LENGTH = 30, 120
CAPITAL = re.compile(r"(?<!^)(?=[A-Z])")


def search_kind(typename: str) -> str:
    """The `SearchKind` of a result's type: CaseStudy → CASE_STUDY."""
    return CAPITAL.sub("_", typename).upper()


def folded(char: str) -> str:
    """One character as search compares it: NFKC, katakana for kana, common kanji, lower case."""
    kana = hiragana_to_katakana(unicodedata.normalize("NFKC", char))
    return kana.translate(VARIANTS).translate(KANJI_VARIANTS).lower()


def folded_with_places(text: str) -> tuple[str, list[int]]:
    """`text` folded, without separators, and where each folded character came from in `text`."""
    chars: list[str] = []
    places: list[int] = []
    for place, char in enumerate(text):
        fold = folded(char)
        if SEPARATORS.fullmatch(fold):
            continue
        chars.append(fold)
        places.extend([place] * len(fold))
    return "".join(chars), places


def matched_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Where in `text` the terms stand (notation folded as search folds it), merged and in order."""
    haystack, places = folded_with_places(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        needle = folded_with_places(term)[0]
        start = haystack.find(needle) if needle else -1
        while start >= 0:
            spans.append((places[start], places[start + len(needle) - 1] + 1))
            start = haystack.find(needle, start + len(needle))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlighted(text: str, terms: list[str]) -> Markup:
    """`text`, escaped, with each matched term in <mark>."""
    pieces: list[str] = []
    shown = 0
    for start, end in matched_spans(text, terms):
        pieces += [escape(text[shown:start]), Markup("<mark>{}</mark>").format(text[start:end])]
        shown = end
    pieces.append(escape(text[shown:]))
    return Markup("").join(pieces)


def excerpt(text: str, terms: list[str]) -> Markup:
    """A stretch of a long text around its first matched term, highlighted."""
    spans = matched_spans(text, terms)
    begin = max(0, spans[0][0] - EXCERPT_BEFORE) if spans else 0
    piece = text[begin:begin + EXCERPT_LENGTH]
    before = "…" if begin else ""
    after = "…" if begin + EXCERPT_LENGTH < len(text) else ""
    return before + highlighted(piece, terms) + after


@dataclass(frozen=True)
class Found:
    """One result as the page shows it."""

    kind: str
    title: Markup
    href: str | None
    detail: Markup | str
    excerpt: Markup
    matched_by: str


def membership_href(municipality: dict[str, Any], slug: str) -> str | None:
    return next(
        (f"/admin/members/{m['id']}" for m in municipality.get("memberships") or [] if m["alliance"]["slug"] == slug),
        None,
    )


def found(visit: Visit, edge: dict[str, Any]) -> Found:
    """A search edge as the page shows it, its matched terms marked in every line (a town found by
    its prefecture's name too)."""
    shown = described(visit, edge)
    return replace(shown, detail=highlighted(str(shown.detail), edge["matchedTerms"]))


def described(visit: Visit, edge: dict[str, Any]) -> Found:
    """A search edge as the page shows it, linked to the admin page of what it found, if any."""
    node, terms, t = edge["node"], edge["matchedTerms"], visit.t
    kind, slug, language = search_kind(node["__typename"]), alliance_slug(visit), t.language
    if kind == "MUNICIPALITY":
        membership = next((m for m in node["memberships"] if m["alliance"]["slug"] == slug), None)
        detail = named(node["prefecture"], language) + " · " + (
            t.enum("MembershipTier", membership["tier"]) + " · " + t.enum("MembershipStatus", membership["status"])
            if membership else t("search.not_a_member")
        )
        return Found(kind, highlighted(named(node, language), terms), membership_href(node, slug), detail,
                     highlighted(node["nameKana"] or "", terms), edge["matchedBy"])
    if kind == "THEME":
        group = next((g for g in node["workingGroups"] if g["alliance"]["slug"] == slug), None)
        title = f"{node['roman']} " + (node["title"] if language == "ja" else node["titleEn"])
        return Found(kind, highlighted(title, terms), f"/admin/working-groups/{group['id']}" if group else None,
                     t("search.working_group") if group else "", excerpt(node["summary"], terms), edge["matchedBy"])
    if kind == "PARTNER":
        return Found(kind, highlighted(named(node, language), terms), f"/admin/partners/{node['slug']}",
                     t.enum("PartnerKind", node["partnerKind"]), excerpt(node["description"], terms), edge["matchedBy"])
    if kind == "OFFERING":
        partner = node["partner"]
        return Found(kind, highlighted(node["title"], terms), f"/admin/partners/{partner['slug']}",
                     named(partner, language), excerpt(node["summary"], terms), edge["matchedBy"])
    if kind == "CASE_STUDY":
        detail = node["organisation"] + (f" · {node['year']}" if node["year"] else "")
        return Found(kind, highlighted(node["title"], terms), None, detail, excerpt(node["summary"], terms),
                     edge["matchedBy"])
    town = node["municipality"]
    return Found(kind, highlighted(node["title"], terms), membership_href(town, slug),
                 named(town, language) + " · " + t.enum("ChallengeStatus", node["status"]),
                 excerpt(node["background"], terms), edge["matchedBy"])


@pages.get("/search")
async def search(visit: Visit) -> Response:
    query = (visit.param("q") or "").strip()[:MAX_QUERY_LENGTH]
    kind = visit.param("kind")
    kinds = [kind] if kind in enum_values("SearchKind") else None
    if not query:
        return visit.render("admin/search.html", query="", kind=kinds and kind, results=None, found=[])
    data = await visit.query("admin/search", query=query, kinds=kinds, **page_arguments(visit.request))
    results = data["search"]
    return visit.render(
        "admin/search.html", query=query, kind=kinds and kind, results=results,
        found=[found(visit, edge) for edge in results["edges"]],
    )
