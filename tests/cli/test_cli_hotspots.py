"""The hotspots command body and its Typer command, with a stand-in for the incidents reader."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import typer
from typer.testing import CliRunner

from plataforma.cli.hotspots import make_command


@dataclass(frozen=True)
class Row:
    occurred_at: dt.datetime
    crime_type: str
    state: str | None
    municipality: str | None
    latitude: float | None
    longitude: float | None


def _float(text: str) -> float | None:
    return float(text) if text else None


def read(path: Path) -> Iterator[Row]:
    """Stands in for trends.incidents (the real reader resolves codes and rejects bad rows)."""
    with path.open(encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            yield Row(
                dt.datetime.fromisoformat(r["occurred_at"]), r["crime_type"], r["state"] or None,
                r["municipality"] or None, _float(r["latitude"]), _float(r["longitude"]),
            )  # fmt: skip


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
                    [day, "robo_a_transeunte", "09", "09015", f"{lat:.5f}", f"{lon:.5f}"]
                )
            size = 40 if m < months - 1 else 200
            for lat, lon in zip(
                rng.normal(19.43, 0.002, size), rng.normal(-99.13, 0.002, size), strict=True
            ):
                writer.writerow(
                    [day, "robo_a_transeunte", "09", "09015", f"{lat:.5f}", f"{lon:.5f}"]
                )
        writer.writerow(
            ["2024-01-02T08:00:00", "robo_a_transeunte", "09", "09015", "-99.13", "19.43"]
        )
        writer.writerow(["2024-01-02T08:00:00", "robo_a_transeunte", "09", "09015", "", ""])
    return path


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("hotspots")(make_command(read))

    @app.command("noop")
    def noop() -> None:  # a second command keeps Typer from collapsing the group
        """Nothing."""

    return app


def test_gi_star_hotspots_are_written_with_the_place_summary(tmp_path: Path) -> None:
    out = tmp_path / "hot.csv"
    result = CliRunner().invoke(
        _app(), ["hotspots", str(_incidents(tmp_path / "in.csv")), "--out", str(out)]
    )
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
    result = CliRunner().invoke(
        _app(), ["hotspots", str(incidents), "--out", str(out), "--emerging"]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open()))
    assert rows and all(r["reason"] for r in rows)
    muni = tmp_path / "muni.csv"
    result = CliRunner().invoke(
        _app(), ["hotspots", str(incidents), "--out", str(muni), "--level", "municipality"]
    )
    assert result.exit_code == 0, result.output
    assert muni.read_text().startswith("area,level,")


def test_emerging_by_municipality_is_refused_with_a_reason(tmp_path: Path) -> None:
    args = ["hotspots", str(_incidents(tmp_path / "in.csv")), "--out", str(tmp_path / "o.csv")]
    result = CliRunner().invoke(_app(), [*args, "--emerging", "--level", "municipality"])
    assert result.exit_code == 2
    assert "--emerging" in result.output


def test_an_empty_file_writes_a_header_only(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("occurred_at,crime_type,state,municipality,latitude,longitude\n")
    out = tmp_path / "o.csv"
    result = CliRunner().invoke(_app(), ["hotspots", str(empty), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().strip() == "area,level,latitude,longitude,count,z_score,p_value,spot"
