"""Facts the tests compare the API against, read from the seed files rather than typed in."""

from __future__ import annotations

import base64
import tomllib
from collections import Counter

from settings import DATA_DIR


def deck_roster() -> dict:
    with (DATA_DIR / "roster.toml").open("rb") as handle:
        return tomllib.load(handle)


def deck_counts_by_prefecture_name() -> dict[str, int]:
    """The figure the deck prints beside each prefecture, e.g. 北海道 (30)."""
    return {block["name"]: block["count"] for block in deck_roster()["prefecture"]}


def kind_suffix_counts(names: list[str]) -> Counter[str]:
    return Counter(name[-1] for name in names)


def global_id(type_name: str, pk: int) -> str:
    """The opaque ID the API gives an object (Relay's base64 of "Type:id")."""
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()
