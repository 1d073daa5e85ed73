"""Small incident files for the trends tests, written row by row so each test shows its point."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from plataforma.trends.incidents import COLUMNS

TODAY = dt.date(2025, 1, 15)


def write_incidents(
    path: Path, rows: list[dict[str, str]], columns: tuple[str, ...] = COLUMNS
) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def incident(
    ref: str, day: str, crime: str = "robo_a_negocio", state: str = "09", muni: str = "09015"
) -> dict[str, str]:
    return {
        "source_ref": ref,
        "agency": "SSC-CDMX",
        "occurred_at": day,
        "crime_type": crime,
        "state": state,
        "municipality": muni,
        "latitude": "19.43",
        "longitude": "-99.13",
    }


def monthly_file(
    path: Path, monthly: list[int], crime: str = "extorsion", muni: str = "14039"
) -> Path:
    """A file whose one series has `monthly[i]` incidents in the i-th month from 2023-01."""
    rows = []
    for i, count in enumerate(monthly):
        year, month = 2023 + i // 12, i % 12 + 1
        for k in range(count):
            day = f"{year}-{month:02d}-{1 + k % 28:02d}T12:00:00"
            rows.append(incident(f"R-{i}-{k}", day, crime, muni[:2], muni))
    return write_incidents(path, rows)
