"""`plataforma trends hotspots`: through the incidents file's one reader to the hotspot CSV."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from click.testing import Result
from typer.testing import CliRunner

from plataforma.cli.main import app


def _incidents(path: Path, months: int = 1) -> Path:
    rng = np.random.default_rng(0)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["occurred_at", "crime_type", "state", "municipality", "latitude", "longitude"]
        )
        for m in range(months):
            day = f"2024-{m + 1:02d}-10T12:00:00"
            for lat, lon in zip(
                rng.uniform(19.3, 19.55, 400), rng.uniform(-99.25, -99.0, 400), strict=True
            ):
                writer.writerow(
                    [
                        day,
                        "robo_a_transeunte_en_via_publica",
                        "09",
                        "09015",
                        f"{lat:.5f}",
                        f"{lon:.5f}",
                    ]
                )
            size = 40 if m < months - 1 else 200
            for lat, lon in zip(
                rng.normal(19.43, 0.002, size), rng.normal(-99.13, 0.002, size), strict=True
            ):
                writer.writerow(
                    [
                        day,
                        "robo_a_transeunte_en_via_publica",
                        "09",
                        "09015",
                        f"{lat:.5f}",
                        f"{lon:.5f}",
                    ]
                )
        writer.writerow(
            [
                "2024-01-02T08:00:00",
                "robo_a_transeunte_en_via_publica",
                "09",
                "09015",
                "-99.13",
                "19.43",
            ]
        )
        writer.writerow(
            ["2024-01-02T08:00:00", "robo_a_transeunte_en_via_publica", "09", "09015", "", ""]
        )
    return path


def _run(*args: str) -> Result:
    return CliRunner().invoke(app, ["trends", "hotspots", *args])


def test_gi_star_hotspots_are_written_with_the_place_summary(tmp_path: Path) -> None:
    out = tmp_path / "hot.csv"
    result = _run(str(_incidents(tmp_path / "in.csv")), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "places_swapped: 1" in result.output
    assert "places_centroid: 1" in result.output
    rows = list(csv.DictReader(out.open()))
    assert rows and {r["spot"] for r in rows} == {"hot"}
    top = max(rows, key=lambda r: float(r["z_score"]))
    assert abs(float(top["latitude"]) - 19.43) < 0.01


def test_emerging_patterns_and_municipality_level(tmp_path: Path) -> None:
    incidents = _incidents(tmp_path / "in.csv", months=4)
    out = tmp_path / "emerging.csv"
    result = _run(str(incidents), "--out", str(out), "--emerging")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open()))
    assert rows and all(r["reason"] for r in rows)
    muni = tmp_path / "muni.csv"
    result = _run(str(incidents), "--out", str(muni), "--level", "municipality")
    assert result.exit_code == 0, result.output
    assert muni.read_text().startswith("area,level,")


def test_emerging_by_municipality_is_refused_with_a_reason(tmp_path: Path) -> None:
    args = [str(_incidents(tmp_path / "in.csv")), "--out", str(tmp_path / "o.csv")]
    result = _run(*args, "--emerging", "--level", "municipality")
    assert result.exit_code == 2
    assert "--emerging" in result.output


def test_an_empty_file_writes_a_header_only(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("occurred_at,crime_type,state,municipality,latitude,longitude\n")
    out = tmp_path / "o.csv"
    result = _run(str(empty), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text().strip() == "area,level,latitude,longitude,count,z_score,p_value,spot"


def test_rows_the_reader_refuses_land_in_the_rejects_file_with_their_reason(
    tmp_path: Path,
) -> None:
    incidents = _incidents(tmp_path / "in.csv")
    with incidents.open("a", encoding="utf-8") as handle:
        handle.write("2024-01-03T08:00:00,no_such_crime,09,09015,19.43,-99.13\n")
    out = tmp_path / "hot.csv"
    result = _run(str(incidents), "--out", str(out))
    assert result.exit_code == 0, result.output
    rejects = list(csv.DictReader((tmp_path / "hot.csv.rejects.csv").open()))
    assert [r["crime_type"] for r in rejects] == ["no_such_crime"]
    assert rejects[0]["reason"].startswith("crime_type")
