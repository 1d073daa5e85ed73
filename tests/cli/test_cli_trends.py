"""``plataforma trends``: detect, compstat and import-sesnsp from the command line."""

from __future__ import annotations

import sys
from pathlib import Path

from typer.testing import CliRunner

from plataforma.cli.main import app

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "trends"))
from trends_helpers import monthly_file


def test_detect_writes_alerts_and_explains(tmp_path: Path) -> None:
    monthly = [2, 3, 1, 2, 2, 3, 2, 1, 2, 3, 2, 2, 3, 2, 2, 1, 3, 2, 2, 3, 2, 2, 1, 14]
    source = monthly_file(tmp_path / "in.csv", monthly)
    out = tmp_path / "ALERTS.csv"
    result = CliRunner().invoke(
        app, ["trends", "detect", str(source), "--out", str(out), "--explain"]
    )
    assert result.exit_code == 0, result.output
    assert "2 alarms" in result.output
    assert "14039,extorsion,2024-12-01,14," in out.read_text()
    assert "reason" in out.read_text().splitlines()[0]


def test_detect_refuses_a_file_without_columns(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    result = CliRunner().invoke(
        app, ["trends", "detect", str(bad), "--out", str(tmp_path / "o.csv")]
    )
    assert result.exit_code == 2 and "missing column" in result.output
    result = CliRunner().invoke(
        app, ["trends", "detect", str(bad), "--out", str(tmp_path / "o.csv"), "--method", "magic"]
    )
    assert result.exit_code == 2 and "--method" in result.output


def test_compstat_command(tmp_path: Path) -> None:
    source = monthly_file(tmp_path / "in.csv", [3] * 24)
    out = tmp_path / "COMPSTAT.csv"
    result = CliRunner().invoke(
        app, ["trends", "compstat", str(source), "--out", str(out), "--date", "2024-12-28"]
    )
    assert result.exit_code == 0, result.output
    assert "municipality,14039,subtipo,extorsion,28_days" in out.read_text()
    bad = CliRunner().invoke(
        app, ["trends", "compstat", str(source), "--out", str(out), "--date", "ayer"]
    )
    assert bad.exit_code == 2


def test_import_sesnsp_command(tmp_path: Path) -> None:
    months = ",".join(str(5 + (i % 3)) for i in range(12))
    lines = [
        "Año,Clave_Ent,Entidad,Bien jurídico afectado,Tipo de delito,Subtipo de delito,Modalidad,"
        "Enero,Febrero,Marzo,Abril,Mayo,Junio,Julio,Agosto,Septiembre,Octubre,Noviembre,Diciembre"
    ]
    for year in (2022, 2023, 2024):
        lines.append(
            f"{year},9,Ciudad de México,El patrimonio,Extorsión,Extorsión,Extorsión,{months}"
        )
    source = tmp_path / "estatal.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    alerts = tmp_path / "alerts.csv"
    result = CliRunner().invoke(
        app,
        [
            "trends",
            "import-sesnsp",
            str(source),
            "--out",
            str(tmp_path / "x"),
            "--alerts",
            str(alerts),
        ],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "x" / "counts.parquet").is_file() and alerts.is_file()
