"""scripts/refresh_registry.py writes the romaji that data/ holds, so a refresh changes no name."""

import csv

from scripts import refresh_registry
from settings import DATA_DIR


def rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_prefecture_keeps_its_english_name():
    prefectures = rows("prefectures.csv")
    source = [
        {"code": p["local_government_code"], "prefecture": p["name"],
         "prefecture_kana": p["name_kana"]}
        for p in prefectures
    ]

    assert [refresh_registry.prefecture_row(row) for row in source] == prefectures


def test_every_municipality_keeps_its_english_name():
    municipalities = rows("municipalities.csv")
    source = [
        {"code": m["code"], "city": m["name"], "city_kana": m["name_kana"]} for m in municipalities
    ]

    assert [refresh_registry.municipality_row(row) for row in source] == municipalities
