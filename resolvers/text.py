"""Normalising Japanese text so that notation variants compare equal.

Used on both sides of every text match (the stored search bodies and the user's query), so
that full-/half-width forms, hiragana/katakana, the small ヶ/ケ and the variant kanji (異体字) of
place names, and the punctuation that separates words (・, spaces, dashes, brackets) meet.

A dash typed after kana is the long vowel mark (カ-ボン is カーボン); ー itself is a letter and is
kept. Other separators are dropped, except that a word in latin letters keeps one space on each
side: ` ev ` in `超小型 ev を活用` is a word, which `preventive` does not contain, so a search for
EV finds the electric vehicle and not every romaji name with "ev" inside.
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
# A word to read: kanji (with the ヶ of 霞ヶ浦) and the hiragana that follow them (okurigana), or
# a run without kanji.
WORD = re.compile(f"[{KANJI_CLASS}ヶヵ]+[ぁ-ゖ]*|[^{KANJI_CLASS}ヶヵ]+")
WORDS_KEPT = 16384


def hiragana_to_katakana(text: str) -> str:
    return "".join(
        chr(ord(char) + KATAKANA_OFFSET) if HIRAGANA_START <= ord(char) <= HIRAGANA_END else char
        for char in text
    )


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
