"""scripts/refresh_registry.py writes the romaji that data/ holds, so a refresh changes no name."""

import csv

from scripts import refresh_registry
from settings import DATA_DIR


def rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_municipality_and_prefecture_keeps_its_english_name():
    source = [
        {"code": p["local_government_code"], "prefecture": p["name"], "prefecture_kana": p["name_kana"], "city": ""}
        for p in rows("prefectures.csv")
    ] + [{"code": m["code"], "city": m["name"], "city_kana": m["name_kana"]} for m in rows("municipalities.csv")]

    written = [refresh_registry.prefecture_row(r) if not r["city"] else refresh_registry.municipality_row(r) for r in source]

    assert written == rows("prefectures.csv") + rows("municipalities.csv")
