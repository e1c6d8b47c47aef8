"""The members-by-prefecture map: Japan's 47 prefectures as tiles on a grid, shaded by count.

Each prefecture sits at (column, row) roughly where it lies, Hokkaido at the top right and
Okinawa at the bottom left, so that the map reads as Japan without drawing any coastline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

POSITIONS: dict[str, tuple[int, int]] = {
    "01": (13, 0), "02": (13, 1), "03": (13, 2), "04": (13, 3), "05": (12, 2), "06": (12, 3),
    "07": (12, 4), "08": (13, 5), "09": (12, 5), "10": (11, 5), "11": (11, 6), "12": (13, 6),
    "13": (12, 6), "14": (11, 7), "15": (11, 4), "16": (10, 4), "17": (9, 4), "18": (8, 5),
    "19": (10, 6), "20": (10, 5), "21": (9, 5), "22": (10, 7), "23": (9, 6), "24": (9, 7),
    "25": (8, 6), "26": (7, 5), "27": (7, 6), "28": (6, 5), "29": (8, 7), "30": (7, 7),
    "31": (5, 5), "32": (4, 5), "33": (5, 6), "34": (4, 6), "35": (3, 6), "36": (5, 8),
    "37": (5, 7), "38": (4, 7), "39": (4, 8), "40": (2, 6), "41": (1, 6), "42": (0, 6),
    "43": (1, 7), "44": (2, 7), "45": (2, 8), "46": (1, 8), "47": (0, 9),
}
LEVELS = 4
ENGLISH_LABELS: dict[str, str] = {
    "01": "HKD", "02": "AOM", "03": "IWT", "04": "MYG", "05": "AKT", "06": "YGT", "07": "FKS",
    "08": "IBR", "09": "TCG", "10": "GNM", "11": "STM", "12": "CHB", "13": "TKY", "14": "KNG",
    "15": "NGT", "16": "TYM", "17": "ISK", "18": "FKI", "19": "YNS", "20": "NGN", "21": "GIF",
    "22": "SZO", "23": "AIC", "24": "MIE", "25": "SHG", "26": "KYT", "27": "OSK", "28": "HYG",
    "29": "NAR", "30": "WKY", "31": "TTR", "32": "SMN", "33": "OKY", "34": "HRS", "35": "YGC",
    "36": "TKS", "37": "KGW", "38": "EHM", "39": "KOC", "40": "FKO", "41": "SAG", "42": "NGS",
    "43": "KMM", "44": "OIT", "45": "MYZ", "46": "KGS", "47": "OKN",
}
"""Three letters per prefecture for the English map, one per prefecture (a tile cannot hold an
English name, and the first letters alone repeat: Fukui, Fukuoka and Fukushima are all "Fuk")."""


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    label: str
    """What the tile shows: the whole name in Japanese, three letters in English."""
    count: int
    level: int
    column: int
    row: int


def level_of(count: int, highest: int) -> int:
    """0 for no members, else 1–4 by the share of the largest count."""
    return 0 if count == 0 else max(1, math.ceil(LEVELS * count / highest))


def tiles(prefectures: list[dict], counts: dict[str, int], language: str) -> list[Tile]:
    highest = max(counts.values(), default=0)
    result = []
    for prefecture in prefectures:
        code = prefecture["code"]
        count = counts.get(code, 0)
        name = prefecture["name"] if language == "ja" else prefecture["nameEn"]
        label = name if language == "ja" else ENGLISH_LABELS[code]
        column, row = POSITIONS[code]
        result.append(Tile(code, name, label, count, level_of(count, highest), column, row))
    return result


def legend(counts: dict[str, int]) -> list[tuple[int, int, int]]:
    """(level, lowest count, highest count) for each shade, to explain the colours."""
    highest = max(counts.values(), default=0)
    if highest == 0:
        return []
    bounds = [math.floor(highest * level / LEVELS) for level in range(LEVELS + 1)]
    return [(level, bounds[level - 1] + 1, bounds[level]) for level in range(1, LEVELS + 1) if bounds[level] > bounds[level - 1]]
