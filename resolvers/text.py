"""Normalising Japanese text so that notation variants compare equal, and numbers as people type them.

Used on both sides of every text match (the stored search bodies and the user's query), so
that full-/half-width forms, hiragana/katakana, the small ヶ/ケ and the variant kanji (異体字) of
place names, and the punctuation that separates words (・, spaces, dashes, brackets) meet.

A dash typed after kana is the long vowel mark (カ-ボン is カーボン); ー itself is a letter and is
kept. Other separators are dropped, except that a word in latin letters keeps one space on each
side: ` ev ` in `超小型 ev を活用` is a word, which `preventive` does not contain, so a search for
EV finds the electric vehicle and not every romaji name with "ev" inside.
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
# Variant kanji of place and personal names, each folded to its common (新字体) form. NFKC already
# folds the compatibility ideographs (塚, 﨔…); these are separate code points it leaves alone.
KANJI_VARIANTS = str.maketrans({
    "龍": "竜", "齋": "斎", "齊": "斎", "斉": "斎", "邊": "辺", "邉": "辺", "澤": "沢", "﨑": "崎",
    "嵜": "崎", "檜": "桧", "濱": "浜", "嶋": "島", "嶌": "島", "國": "国", "鹽": "塩", "冨": "富",
    "驒": "騨", "髙": "高", "條": "条", "舘": "館", "竃": "竈", "栁": "柳", "德": "徳", "廣": "広",
    "櫻": "桜", "惠": "恵", "眞": "真", "萬": "万", "曾": "曽", "槇": "槙", "峯": "峰", "渕": "淵",
    "蘆": "芦", "縣": "県", "藏": "蔵", "壽": "寿", "龜": "亀", "兒": "児", "會": "会", "豐": "豊",
    "靜": "静", "與": "与", "黑": "黒", "當": "当", "寶": "宝", "鷗": "鴎", "槗": "橋", "𠮷": "吉",
})
DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe63"
LONG_VOWEL_DASH = re.compile(f"(?<=[\u30a1-\u30faー])[{DASHES}]")
SEPARATORS = re.compile(
    f"[\\s{DASHES}・·‧、。,.!?:;/\\\\|\"'`“”‘’「」『』【】〈〉《》〔〕()\\[\\]{{}}]+"
)
LATIN_WORD = re.compile("([a-z0-9]*[a-z][a-z0-9]*)")
SPACES = re.compile(" {2,}")
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
    """NFKC, katakana for kana, ケ for ヶ, common kanji for variants, lower case, no separators
    but one space on each side of a latin word (see the module docstring)."""
    folded = unicodedata.normalize("NFKC", text)
    folded = hiragana_to_katakana(folded).translate(VARIANTS).translate(KANJI_VARIANTS).lower()
    folded = SEPARATORS.sub(" ", LONG_VOWEL_DASH.sub("ー", folded))
    pieces = LATIN_WORD.split(folded)
    pieces[::2] = ["".join(piece.split()) for piece in pieces[::2]]
    pieces[1::2] = [f" {word} " for word in pieces[1::2]]
    return SPACES.sub(" ", "".join(pieces))


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
