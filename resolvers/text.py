"""Normalising Japanese text so that notation variants compare equal.

Used on both sides of every text match (the stored search bodies and the user's query), so
that full-/half-width forms, hiragana/katakana and the small ヶ/ケ variants of place names meet.
"""

from __future__ import annotations

import unicodedata

HIRAGANA_START, HIRAGANA_END = ord("ぁ"), ord("ゖ")
KATAKANA_OFFSET = ord("ァ") - ord("ぁ")
VARIANTS = str.maketrans({"ヶ": "ケ", "ヵ": "カ", "ゞ": "ヾ", "ゝ": "ヽ", "〜": "~", "～": "~"})


def hiragana_to_katakana(text: str) -> str:
    return "".join(
        chr(ord(char) + KATAKANA_OFFSET) if HIRAGANA_START <= ord(char) <= HIRAGANA_END else char
        for char in text
    )


def normalise(text: str) -> str:
    """NFKC, katakana for kana, ケ for ヶ, lower case, no white space."""
    folded = unicodedata.normalize("NFKC", text)
    folded = hiragana_to_katakana(folded).translate(VARIANTS).lower()
    return "".join(folded.split())
