"""The column reader gives exactly the row reader's table, rejects and flags, bad rows included."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from trends_helpers import TODAY

from plataforma.textfiles import detect_encoding
from plataforma.trends.incident_columns import split_file
from plataforma.trends.incidents import COLUMNS, IncidentTable, read_incidents
from plataforma.trends.periods import Period

# Values of every kind the reader meets, good and bad; no commas or quotes (see QUOTED).
POOLS: dict[str, list[str]] = {
    "source_ref": ["A1", "A2", "A3", " A1", "A1 ", "", "B7", "B7", "ref-\xa0"],
    "agency": ["SSC", "SSC ", "FGE", ""],
    "occurred_at": [
        "2024-03-01",
        "2024-03-01T10:00:00",
        "2024-03-01 23:59",
        "2024-02-30",  # not a calendar date
        "2024-13-01T00:00",
        "2031-01-01",  # future
        "2025-01-16",  # within the day of tolerance
        "2025-01-17",
        "15/03/2024 22:10",
        "2024-03-02T05:30:00+00:00",
        "2024-03",
        "2024",
        "ayer",
        "",
        " 2024-03-05 ",
        "\xa02024-03-06",
        "2024-03-07T25:99",
    ],
    "crime_type": [
        "robo_a_negocio",
        "extorsion",
        "Robo a negocio",
        "Tentativa de homicidio",
        "delito_inventado",
        "",
        " homicidio_doloso ",
    ],
    "state": ["09", "9", "Jalisco", "Ciudad de México", "Atlantis", "", "99", " 14 "],
    "municipality": ["09015", "14039", "Cuauhtémoc", "Guadalajara", "99999", "09999", "Nada", ""],
    "latitude": ["19.43", "-19.5", "", "abc", "19,43", "inf", "nan", " 20.1 ", "1e2", "+3.5", "7."],
    "longitude": ["-99.13", "", "x", "-99.2"],
}
QUOTED = ['"Robo, a negocio"', '"dijo ""hola"""', '"línea\npartida"', 'a"b']


def _rows(seed: int, count: int) -> list[list[str]]:
    rng = random.Random(seed)
    return [[rng.choice(POOLS[name]) for name in COLUMNS] for _ in range(count)]


def _write(path: Path, lines: list[str], encoding: str = "utf-8", end: str = "\n") -> Path:
    path.write_bytes(end.join([",".join(COLUMNS), *lines, ""]).encode(encoding))
    return path


def _same(fast: IncidentTable, rows: IncidentTable) -> None:
    for name in ("line", "day", "crime", "state", "municipality", "month_only"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(rows, name), err_msg=name)
    for name in ("latitude", "longitude"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(rows, name), err_msg=name)
    assert [(r.line, r.reason, dict(r.original)) for r in fast.rejected] == [
        (r.line, r.reason, dict(r.original)) for r in rows.rejected
    ]
    assert [(r.line, r.reason, dict(r.original)) for r in fast.flagged] == [
        (r.line, r.reason, dict(r.original)) for r in rows.flagged
    ]
    assert fast.mapped == rows.mapped and fast.columns == rows.columns


def _both(path: Path, period: Period = Period.MONTH) -> tuple[IncidentTable, IncidentTable]:
    assert split_file(path, detect_encoding(path)) is not None  # the fast path really ran
    fast = read_incidents(path, period=period, today=TODAY, fast=True)
    rows = read_incidents(path, period=period, today=TODAY, fast=False)
    return fast, rows


@pytest.mark.parametrize("period", [Period.MONTH, Period.DAY])
def test_a_file_full_of_bad_rows_reads_the_same_both_ways(tmp_path: Path, period: Period) -> None:
    lines = [",".join(row) for row in _rows(1, 3000)]
    # Structural trouble: short and long rows, blank and whitespace-only lines.
    lines[10:10] = ["", "   ", ",,,,,,,", "a,b,c", "1,2,3,4,5,6,7,8,9", " ,\t, , , , , , "]
    fast, rows = _both(_write(tmp_path / "bad.csv", lines), period)
    assert len(rows.rejected) > 500 and len(rows.flagged) > 500 and len(rows) > 50
    _same(fast, rows)


def test_quoted_fields_and_their_line_numbers_read_the_same(tmp_path: Path) -> None:
    rng = random.Random(2)
    rows = _rows(2, 800)
    for row in rows[::7]:
        row[rng.randrange(len(row))] = rng.choice(QUOTED)
    lines = [",".join(row) for row in rows]
    fast, slow = _both(_write(tmp_path / "quoted.csv", lines))
    _same(fast, slow)


def test_windows_line_ends_and_cp1252_read_the_same(tmp_path: Path) -> None:
    lines = [",".join(row) for row in _rows(3, 500)]
    lines.insert(5, "")
    fast, rows = _both(_write(tmp_path / "win.csv", lines, "cp1252", "\r\n"))
    assert len(rows) > 0
    _same(fast, rows)


def test_a_header_only_file_and_extra_columns(tmp_path: Path) -> None:
    empty = _write(tmp_path / "empty.csv", [])
    _same(*_both(empty))
    path = tmp_path / "extra.csv"
    path.write_text(
        "occurred_at,crime_type,state,notes\n2024-03-01,extorsion,09,x\n2024-02-30,extorsion,09,\n"
    )
    fast, rows = _both(path)
    assert len(rows) == 1 and rows.rejected[0].reason.startswith("occurred_at: not a calendar")
    _same(fast, rows)
