"""Normalising Japanese text so that notation variants compare equal, and numbers as people type them.

Used on both sides of every text match (the stored search bodies and the user's query), so
that full-/half-width forms, hiragana/katakana and the small ヶ/ケ variants of place names meet.
Text with kanji also gets a katakana reading (Sudachi's morphological analyser with the
SudachiDict core dictionary), which search bodies carry so that a query typed in kana finds what
is written in kanji.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from sudachipy import Dictionary, SplitMode, Tokenizer

HIRAGANA_START, HIRAGANA_END = ord("ぁ"), ord("ゖ")
KATAKANA_OFFSET = ord("ァ") - ord("ぁ")
VARIANTS = str.maketrans({"ヶ": "ケ", "ヵ": "カ", "ゞ": "ヾ", "ゝ": "ヽ", "〜": "~", "～": "~"})
KANJI_CLASS = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆"
KANJI = re.compile(f"[{KANJI_CLASS}]")
# Text is read a sentence at a time, and a sentence in pieces of at most 12,000 characters:
# Sudachi refuses input over 49,149 bytes, and a character is at most 4 bytes of UTF-8.
SENTENCE = re.compile(r"[^。！？\n]{0,12000}[。！？\n]?")


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
def reading_tokenizer() -> Tokenizer:
    """One tokenizer per process. The dictionary file is memory-mapped, so its pages are shared
    by every worker on the host; the server makes this at start (`server.create_app`'s lifespan)
    so that no request pays for it."""
    return Dictionary(dict="core").tokenizer(SplitMode.C, fields={"reading_form"})


def reading(text: str) -> str | None:
    """The normalised katakana reading of text that has kanji; None for text without kanji.

    Each morpheme with kanji is replaced by its dictionary reading and the rest kept as written.
    The core dictionary knows place names as whole words (龍ケ崎市 → リュウガサキシ,
    倶知安町 → クッチャンチョウ), but a reading is still a best guess, which is why
    municipalities are found by their official kana instead.
    """
    if not KANJI.search(text):
        return None
    tokenizer = reading_tokenizer()
    return normalise("".join(
        morpheme.reading_form() if KANJI.search(morpheme.surface()) else morpheme.surface()
        for sentence in SENTENCE.findall(text) if sentence
        for morpheme in tokenizer.tokenize(sentence)
    ))
