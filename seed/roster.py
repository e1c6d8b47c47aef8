"""Resolving municipality names as printed in the deck to the official registry.

The roster has spelling variants (龍ヶ崎市 for 龍ケ崎市) and misprints (嬭恋村 for 嬬恋村). A name
is resolved, in order: exactly; after normalising notation variants; or, as a misprint, when
exactly one official name in the same prefecture with the same kind (市/町/村) differs from it in a
single character. Anything else is refused: guessing wider would put the wrong town on the roster.
"""

from __future__ import annotations

from dataclasses import dataclass

from resolvers.text import normalise


@dataclass(frozen=True)
class RegistryEntry:
    code: str
    prefecture_name: str
    name: str


@dataclass(frozen=True)
class Resolution:
    entry: RegistryEntry
    printed_name: str
    correction: str | None = None


class UnresolvedName(Exception):
    def __init__(self, prefecture_name: str, printed_name: str, reason: str) -> None:
        super().__init__(f"{prefecture_name} {printed_name}: {reason}")
        self.prefecture_name = prefecture_name
        self.printed_name = printed_name


def differs_by_one_character(left: str, right: str) -> bool:
    return len(left) == len(right) and sum(a != b for a, b in zip(left, right, strict=True)) == 1


class Registry:
    """The official municipalities, indexed by prefecture for name resolution."""

    def __init__(self, entries: list[RegistryEntry]) -> None:
        self._by_prefecture: dict[str, list[RegistryEntry]] = {}
        for entry in entries:
            self._by_prefecture.setdefault(entry.prefecture_name, []).append(entry)

    def resolve(self, prefecture_name: str, printed_name: str) -> Resolution:
        candidates = self._by_prefecture.get(prefecture_name)
        if not candidates:
            raise UnresolvedName(prefecture_name, printed_name, "no such prefecture")
        for entry in candidates:
            if entry.name == printed_name:
                return Resolution(entry, printed_name)
        wanted = normalise(printed_name)
        variants = [entry for entry in candidates if normalise(entry.name) == wanted]
        if len(variants) == 1:
            return Resolution(variants[0], printed_name, "spelling variant")
        misprints = [
            entry
            for entry in candidates
            if entry.name[-1] == printed_name[-1] and differs_by_one_character(entry.name, printed_name)
        ]
        if len(misprints) == 1:
            return Resolution(misprints[0], printed_name, "misprint: one character differs")
        if misprints:
            names = ", ".join(entry.name for entry in misprints)
            raise UnresolvedName(prefecture_name, printed_name, f"ambiguous, could be {names}")
        raise UnresolvedName(prefecture_name, printed_name, "no official municipality matches")
