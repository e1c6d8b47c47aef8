"""Reading the seed files in `data/` into plain Python structures (no database here)."""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Dataset:
    prefectures: list[dict[str, Any]]
    municipalities: list[dict[str, str]]
    alliances: dict[str, Any]
    roster: dict[str, Any]
    full_members: list[dict[str, str]]
    themes: dict[str, Any]
    partners: list[dict[str, Any]]
    case_studies: list[dict[str, Any]]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def read_prefectures(data_dir: Path) -> list[dict[str, Any]]:
    """The registry's prefectures with the location of each prefectural office."""
    offices = {row["code"]: row for row in read_csv(data_dir / "prefecture_offices.csv")}
    return [
        row | {"latitude": float(offices[row["code"]]["latitude"]), "longitude": float(offices[row["code"]]["longitude"])}
        for row in read_csv(data_dir / "prefectures.csv")
    ]


def read_dataset(data_dir: Path) -> Dataset:
    case_studies = [
        case
        for path in sorted((data_dir / "case_studies").glob("*.toml"))
        for case in read_toml(path)["case_study"]
    ]
    return Dataset(
        prefectures=read_prefectures(data_dir),
        municipalities=read_csv(data_dir / "municipalities.csv"),
        alliances=read_toml(data_dir / "alliances.toml"),
        roster=read_toml(data_dir / "roster.toml"),
        full_members=read_toml(data_dir / "full_members.toml")["full_member"],
        themes=read_toml(data_dir / "themes.toml"),
        partners=read_toml(data_dir / "partners.toml")["partner"],
        case_studies=case_studies,
    )
