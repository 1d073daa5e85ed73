"""The incidents reader: every bad row rejected or flagged with its reason, never a crash."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from trends_helpers import TODAY, incident, write_incidents

from plataforma.trends.incidents import TrendsInputError, read_incidents
from plataforma.trends.periods import Period


def _read(path: Path, period: Period = Period.MONTH):  # type: ignore[no-untyped-def]
    return read_incidents(path, period=period, today=TODAY)


def test_values_read_through_the_code_tables(tmp_path: Path) -> None:
    rows = [
        incident("a", "2024-03-01T10:00:00", "Robo a negocio", "Ciudad de México", "Cuauhtémoc"),
        incident("b", "15/03/2024 22:10", "extorsion", "9", "09015"),
        incident("c", "2024-03-20", "Tentativa de homicidio", "Jalisco", "14039"),
    ]
    table = _read(write_incidents(tmp_path / "in.csv", rows))
    assert len(table) == 3 and not table.rejected
    assert table.state.tolist() == ["09", "09", "14"]
    assert table.municipality.tolist() == ["09015", "09015", "14039"]
    assert table.mapped == {"Tentativa de homicidio": 1}
    assert str(table.day[1]) == "2024-03-15"


def test_offset_times_count_on_the_local_day(tmp_path: Path) -> None:
    # 05:30 UTC on 2 March is still 1 March on the clock of Mexico City (UTC-6).
    rows = [incident("a", "2024-03-02T05:30:00+00:00")]
    table = _read(write_incidents(tmp_path / "in.csv", rows))
    assert str(table.day[0]) == "2024-03-01"


def test_bad_rows_are_rejected_with_their_reason(tmp_path: Path) -> None:
    rows = [
        incident("ok", "2024-03-01"),
        incident("future", "2031-01-01"),
        incident("code", "2024-03-01", crime="delito_inventado"),
        incident("date", "ayer por la tarde"),
        incident("nowhere", "2024-03-01", state="Atlantis", muni=""),
        incident("year", "2024"),
    ]
    table = _read(write_incidents(tmp_path / "in.csv", rows))
    reasons = {r.original["source_ref"]: r.reason for r in table.rejected}
    assert len(table) == 1
    assert reasons["future"].startswith("occurred_at: in the future")
    assert reasons["code"].startswith("crime_type: unknown crime type 'delito_inventado'")
    assert reasons["date"].startswith("occurred_at:")
    assert reasons["nowhere"].startswith("state:")
    assert "only the year" in reasons["year"]
    assert [r.line for r in table.rejected] == [3, 4, 5, 6, 7]


def test_month_only_dates_count_only_in_monthly_series(tmp_path: Path) -> None:
    path = write_incidents(tmp_path / "in.csv", [incident("a", "2024-03")])
    assert len(_read(path)) == 1 and _read(path).month_only.all()
    weekly = _read(path, Period.WEEK)
    assert len(weekly) == 0 and "cannot count by week" in weekly.rejected[0].reason


def test_flags_keep_the_row(tmp_path: Path) -> None:
    rows = [
        {**incident("a", "2024-03-01"), "latitude": "norte", "longitude": ""},
        incident("b", "2024-03-01", state="09", muni="Springfield"),
        incident("c", "2024-03-01", state="20", muni="20999"),
    ]
    table = _read(write_incidents(tmp_path / "in.csv", rows))
    assert len(table) == 3
    assert np.isnan(table.latitude[0]) and np.isnan(table.longitude[0])
    assert table.municipality.tolist() == ["09015", "", "20999"]
    flags = " | ".join(f.reason for f in table.flagged)
    assert (
        "latitude: not a number" in flags
        and "state only" in flags
        and "not in the installed" in flags
    )


def test_a_resubmitted_incident_counts_once(tmp_path: Path) -> None:
    rows = [incident("a", "2024-03-01"), incident("a", "2024-04-01")]
    table = _read(write_incidents(tmp_path / "in.csv", rows))
    assert len(table) == 1 and str(table.day[0]) == "2024-04-01"
    assert table.rejected[0].line == 2 and "repeated at line 3" in table.rejected[0].reason


def test_missing_columns_and_empty_files_are_clear_errors(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("source_ref,agency,state\nx,y,09\n")
    with pytest.raises(TrendsInputError, match="occurred_at, crime_type"):
        _read(path)
    path.write_text("")
    with pytest.raises(TrendsInputError, match="empty"):
        _read(path)
    path.write_text(",".join(["occurred_at", "crime_type", "state"]) + "\n")
    assert len(_read(path)) == 0


def test_latin1_files_and_ragged_rows(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    text = "occurred_at,crime_type,state\n2024-03-01,Extorsión,México\n2024-03-01,extorsion\n"
    path.write_bytes(text.encode("cp1252"))
    table = _read(path)
    assert table.state.tolist() == ["15"]
    assert table.rejected[0].line == 3 and "2 fields" in table.rejected[0].reason
