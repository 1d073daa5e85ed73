"""File mode end to end: the planted surge is found, bad rows land beside the output."""

from __future__ import annotations

import csv
from pathlib import Path

from trends_helpers import TODAY, incident, monthly_file

from plataforma.trends.detect import detect_file, sidecar
from plataforma.trends.outputs import ALERT_COLUMNS
from plataforma.trends.periods import Period


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_a_surge_alarms_at_municipality_and_state(tmp_path: Path) -> None:
    monthly = [2, 3, 1, 2, 2, 3, 2, 1, 2, 3, 2, 2, 3, 2, 2, 1, 3, 2, 2, 3, 2, 2, 1, 14]
    source = monthly_file(tmp_path / "in.csv", monthly)
    out = tmp_path / "ALERTS.csv"
    summary = detect_file(source, out, today=TODAY)
    rows = _rows(out)
    assert list(rows[0]) == list(ALERT_COLUMNS)
    fired = {(r["area"], r["crime_type"], r["period_start"]) for r in rows}
    assert fired == {("14039", "extorsion", "2024-12-01"), ("14", "extorsion", "2024-12-01")}
    assert rows[0]["observed"] == "14" and float(rows[0]["expected"]) < 4
    assert rows[0]["method"] == "farrington"
    assert summary.rejects_file is None and not sidecar(out, "rejects").exists()


def test_rejects_are_written_beside_the_output(tmp_path: Path) -> None:
    source = monthly_file(tmp_path / "in.csv", [2] * 13)
    with source.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(incident("x", "y")))
        writer.writerow(incident("bad", "2099-01-01"))
    out = tmp_path / "ALERTS.csv"
    summary = detect_file(source, out, today=TODAY)
    rejects = _rows(sidecar(out, "rejects"))
    assert summary.rejected == 1 and rejects[0]["line"] == "28"
    assert rejects[0]["reason"].startswith("occurred_at: in the future")
    assert rejects[0]["source_ref"] == "bad"


def test_weekly_file_mode_and_empty_input(tmp_path: Path) -> None:
    source = monthly_file(tmp_path / "in.csv", [4] * 6)
    summary = detect_file(source, tmp_path / "A.csv", period=Period.WEEK, today=TODAY)
    assert summary.periods > 20 and summary.alarms == []
    empty = tmp_path / "empty.csv"
    empty.write_text(
        "source_ref,agency,occurred_at,crime_type,state,municipality,latitude,longitude\n"
    )
    assert detect_file(empty, tmp_path / "B.csv", today=TODAY).alarms == []
    assert (tmp_path / "B.csv").read_text().startswith("area,crime_type")
