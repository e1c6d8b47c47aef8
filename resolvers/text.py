"""Normalising Japanese text so that notation variants compare equal, and numbers as people type them.

Used on both sides of every text match (the stored search bodies and the user's query), so
that full-/half-width forms, hiragana/katakana and the small ヶ/ケ variants of place names meet.
Text with kanji also gets a katakana reading (pykakasi's dictionary), which search bodies carry
so that a query typed in kana finds what is written in kanji.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pykakasi import Kakasi

HIRAGANA_START, HIRAGANA_END = ord("ぁ"), ord("ゖ")
KATAKANA_OFFSET = ord("ァ") - ord("ぁ")
VARIANTS = str.maketrans({"ヶ": "ケ", "ヵ": "カ", "ゞ": "ヾ", "ゝ": "ヽ", "〜": "~", "～": "~"})
KANJI_CLASS = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆"
KANJI = re.compile(f"[{KANJI_CLASS}]")
# A word to read: kanji (with the ヶ of 霞ヶ浦) and the hiragana that follow them (okurigana), or
# a run without kanji.
WORD = re.compile(f"[{KANJI_CLASS}ヶヵ]+[ぁ-ゖ]*|[^{KANJI_CLASS}ヶヵ]+")
WORDS_KEPT = 16384


def hiragana_to_katakana(text: str) -> str:
    return "".join(
        chr(ord(char) + KATAKANA_OFFSET) if HIRAGANA_START <= ord(char) <= HIRAGANA_END else char
        for char in text
    )


def ascii_digits(text: str) -> str | None:
    """`text` as ASCII digits if it is a number written in digits, else None: the one reading of
    codes, IDs and numbers that callers send (API arguments, portal forms, query strings).

    Japanese input methods type full-width digits (２７２２５６), which NFKC folds to ASCII, and
    white space around the digits is dropped. Only decimal digits count: NFKC would turn a
    superscript or circled digit (², ①) into a plain one, so `12345²` is refused rather than read
    as 123452. Digits of other scripts (Arabic-Indic ١٢٣, Devanagari १२३), which Python's `int()`
    reads but NFKC keeps, are refused too: nobody writes a Japanese code or a quantity in them, and
    taking them would give one number many spellings.
    """
    stripped = text.strip()
    folded = unicodedata.normalize("NFKC", stripped)
    return folded if stripped.isdecimal() and folded.isascii() else None


def whole_number(text: str, max_digits: int) -> int | None:
    """`text` read by `ascii_digits` as a number of at most `max_digits` digits, else None."""
    digits = ascii_digits(text)
    return int(digits) if digits is not None and len(digits) <= max_digits else None


def normalise(text: str) -> str:
    """NFKC, katakana for kana, ケ for ヶ, lower case, no white space."""
    folded = unicodedata.normalize("NFKC", text)
    folded = hiragana_to_katakana(folded).translate(VARIANTS).lower()
    return "".join(folded.split())


@functools.cache
def _kakasi() -> Kakasi:
    """One converter per process, made when first needed: building it loads the dictionaries
    (most of a second), which nothing but the search bodies needs."""
    from pykakasi import Kakasi

    return Kakasi()


@functools.lru_cache(maxsize=WORDS_KEPT)
def _read_word(word: str) -> str:
    if not KANJI.search(word):
        return word
    return "".join(item["kana"] for item in _kakasi().convert(word))


def reading(text: str) -> str | None:
    """The normalised katakana reading of text that has kanji; None for text without kanji.

    A dictionary reading is a best guess, right for ordinary words (防災 → ボウサイ) and often
    wrong for place names (龍ケ崎 → リュウケサキ), which is why municipalities are found by
    their official kana instead. Text is read word by word, each distinct word once per process
    (pykakasi's cost is per word looked up), so a repeated text or a second seed costs nothing.
    """
    if not KANJI.search(text):
        return None
    return normalise("".join(_read_word(word) for word in WORD.findall(text)))
