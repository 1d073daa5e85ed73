"""``plataforma resolve persons --engine splink|spark``: same contract as the built-in engine."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from plataforma.cli.resolve import app as resolve_app

COLUMNS = ("record_id", "given_name", "first_surname", "second_surname", "sex", "date_of_birth")
ROWS = [
    ("r1", "José", "Ramírez", "Acuña", "H", "1980-04-02"),
    ("r2", "Pepe", "RAMIREZ", "ACUNA", "H", "1980-04-02"),
    ("r3", "José", "Ramírez", "Acuña", "H", "1980-02-04"),
    ("r4", "Lucía", "Zarza", "Pérez", "M", "1991-11-30"),
    ("r5", "José", "Ramírez", "Acuña", "H", "2011-04-02"),  # his son
]


def _app() -> typer.Typer:
    app = typer.Typer()
    app.add_typer(resolve_app, name="resolve")
    return app


def _write(path: Path, rows: list[tuple[str, ...]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return path


def _run(tmp_path: Path, engine: str) -> dict[str, tuple[str, float]]:
    infile, out = _write(tmp_path / "in.csv", ROWS), tmp_path / f"out-{engine}.csv"
    args = ["resolve", "persons", str(infile), "--out", str(out), "--engine", engine]
    result = CliRunner().invoke(_app(), args)
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["record_id", "person_id", "match_score"]
    return {r["record_id"]: (r["person_id"], float(r["match_score"])) for r in rows}


def test_engine_splink_writes_the_builtin_result(tmp_path: Path) -> None:
    splink = _run(tmp_path, "splink")
    assert splink == _run(tmp_path, "builtin")
    assert splink["r1"][0] == splink["r2"][0] == splink["r3"][0] == "r1"
    assert splink["r4"][0] == "r4" and splink["r5"][0] == "r5"


def test_engine_splink_on_a_header_only_file(tmp_path: Path) -> None:
    infile, out = _write(tmp_path / "in.csv", []), tmp_path / "out.csv"
    args = ["resolve", "persons", str(infile), "--out", str(out), "--engine", "splink"]
    result = CliRunner().invoke(_app(), args)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").strip() == "record_id,person_id,match_score"


def test_engine_spark_without_java_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("plataforma.resolve.spark_session.java_available", lambda: False)
    infile, out = _write(tmp_path / "in.csv", ROWS), tmp_path / "out.csv"
    args = ["resolve", "persons", str(infile), "--out", str(out), "--engine", "spark"]
    result = CliRunner().invoke(_app(), args)
    assert result.exit_code == 2
    assert "Java not found" in result.output
    assert "Traceback" not in result.output


def test_unknown_engine_is_refused(tmp_path: Path) -> None:
    infile = _write(tmp_path / "in.csv", ROWS)
    args = ["resolve", "persons", str(infile), "--out", str(tmp_path / "o.csv"), "--engine", "x"]
    result = CliRunner().invoke(_app(), args)
    assert result.exit_code == 2
    assert "engine" in result.output.lower()
