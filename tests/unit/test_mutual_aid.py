"""The eight regions, and which pairs of prefectures may count on each other after a disaster."""

import csv

from models import Prefecture
from resolvers.matching import mutual_aid, region_of
from settings import DATA_DIR

REGIONS = {
    "Hokkaido": ["北海道"],
    "Tohoku": ["青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県"],
    "Kanto": ["茨城県", "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県"],
    "Chubu": ["新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県"],
    "Kinki": ["三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県"],
    "Chugoku": ["鳥取県", "島根県", "岡山県", "広島県", "山口県"],
    "Shikoku": ["徳島県", "香川県", "愛媛県", "高知県"],
    "Kyushu-Okinawa": ["福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県"],
}


def prefectures() -> dict[str, Prefecture]:
    offices = {row["code"]: row for row in csv.DictReader((DATA_DIR / "prefecture_offices.csv").open())}
    return {
        row["name"]: Prefecture(
            id=int(row["code"]), code=row["code"], name=row["name"], name_en=row["name_en"],
            latitude=float(offices[row["code"]]["latitude"]), longitude=float(offices[row["code"]]["longitude"]),
        )
        for row in csv.DictReader((DATA_DIR / "prefectures.csv").open())
    }


def test_every_prefecture_is_in_its_region():
    by_name = prefectures()
    assert {name: region_of(p) for name, p in by_name.items()} == {
        name: region for region, names in REGIONS.items() for name in names
    }


def test_mutual_aid_needs_another_region_and_300_km():
    p = prefectures()
    assert mutual_aid(p["青森県"], p["福島県"]) is None, "343 km, but both in Tohoku"
    assert mutual_aid(p["新潟県"], p["福島県"]) is None, "another region, but 128 km"
    assert mutual_aid(p["新潟県"], p["静岡県"]) is None, "330 km, but both in Chubu"
    assert mutual_aid(p["大阪府"], p["大阪府"]) is None
    aid = mutual_aid(p["新潟県"], p["青森県"])
    assert aid is not None and round(aid.km) == 357 and aid.regions == ("Chubu", "Tohoku")
