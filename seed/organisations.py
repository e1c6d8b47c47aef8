"""Matching the organisations a case study names to the partners of `partners.toml`.

Case studies name organisations as their sources print them ("Google Japan"); partners.toml
gives the registered name and the English one ("Google合同会社", "Google Japan G.K."). Names are
compared with notation variants and legal forms (株式会社, G.K., Inc. …) set aside, and a name
with a parenthesised part ("SDGs Open Innovation Platform (OIP)") answers to either part, so the
data files keep the names as the sources wrote them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from models import Partner
from resolvers.text import normalise

LEGAL_FORM = re.compile(
    r"株式会社|合同会社|有限会社|(?:一般|公益)(?:社団|財団)法人|独立行政法人|\(株\)"
    r"|\bco\.,?\s*ltd\b\.?|\binc\b\.?|\bg\.k\.|\bltd\b\.?",
    re.IGNORECASE,
)
PARENTHESISED = re.compile(r"^(.*?)\((.*)\)$")


def organisation_keys(name: str) -> set[str]:
    """The forms under which an organisation's name is compared."""
    plain = LEGAL_FORM.sub("", unicodedata.normalize("NFKC", name))
    match = PARENTHESISED.match(plain.strip())
    parts = match.groups() if match else (plain,)
    return {key for key in (normalise(part).strip(",.・") for part in parts) if key}


def partners_named(names: Iterable[str], partners: Iterable[Partner]) -> list[Partner]:
    """The partners that any of `names` names, each once, in partner order."""
    wanted = set().union(*(organisation_keys(name) for name in names))
    return [
        partner
        for partner in partners
        if wanted & (organisation_keys(partner.name) | organisation_keys(partner.name_en or ""))
    ]
