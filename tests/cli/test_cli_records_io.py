"""``plataforma import|export|purge`` through Typer: exit codes, summary and files."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from conftest import add_agency
from plataforma.cli import records_io
from plataforma.context import Platform
from plataforma.store import reader


@pytest.fixture
def run(platform: Platform, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(records_io, "open_platform", lambda: Platform.open(platform.settings))
    app = typer.Typer()
    app.command("import")(records_io.import_file)
    app.command("export")(records_io.export_records)
    app.command("purge")(records_io.purge)
    runner = CliRunner(env={"COLUMNS": "200"})

    def invoke(*args: str) -> object:
        return runner.invoke(app, list(args))

    return invoke


def test_import_reports_and_exits_zero_with_rejects(
    run, platform: Platform, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "p.csv"
    path.write_bytes("source_ref,given_names,sex\nA1,Añá,M\nA2,,H\nA3,Luz,Z\n".encode("latin-1"))
    add_agency(platform, "SSPC")
    result = run("import", "person", str(path), "--agency", "SSPC", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "created" in result.output and "rejects in" in result.output
    rejects = (tmp_path / "p.csv.rejects.csv").read_text().splitlines()
    assert [line.split(",")[-2] for line in rejects[1:]] == ["3", "4"]
    with platform.engine.connect() as conn:
        stored = reader.get_by_source(conn, "SSPC", "person", "A1")
    assert stored is not None and stored.data["given_names"] == "Añá"


def test_import_of_unreadable_input_exits_non_zero(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run("import", "person", str(tmp_path / "missing.csv")).exit_code == 2
    path = tmp_path / "p.csv"
    path.write_bytes("source_ref\n\xd1\n".encode("latin-1"))
    result = run("import", "person", str(path), "--encoding", "utf-8")
    assert result.exit_code == 2 and "not valid utf-8" in result.output
    assert run("import", "spaceship", str(path)).exit_code == 2


def test_export_and_purge_commands(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "p.jsonl"
    path.write_text(
        '{"source_ref": "A1", "given_names": "Ana", "purge_after": "2001-01-01"}\n'
        '{"source_ref": "A2", "given_names": "Eva"}\n'
    )
    assert run("import", "person", str(path), "--workers", "1").exit_code == 0
    out = tmp_path / "out.csv"
    result = run("export", "person", "--out", str(out), "--purpose", "analysis")
    assert result.exit_code == 0, result.output
    assert len(out.read_text().splitlines()) == 3
    dry = run("purge", "--dry-run")
    assert dry.exit_code == 0 and "would purge" in dry.output
    assert run("purge").exit_code == 0
    result = run("export", "person", "--format", "jsonl")
    assert result.exit_code == 0
    assert '"A2"' in result.output and '"A1"' not in result.output
    assert run("purge", "--before", "yesterday").exit_code == 2


def _owners(platform: Platform) -> list[str]:
    from sqlalchemy import select

    from plataforma.store.tables import records

    with platform.engine.connect() as conn:
        query = select(records.c.agency).where(records.c.record_type == "person")
        return sorted(conn.execute(query).scalars())


def test_import_with_an_unknown_default_agency_refuses_naming_it(
    run, platform: Platform, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Defect 4: ``--agency NOPE`` created records owned by an agency that does not exist."""
    path = tmp_path / "p.csv"
    path.write_text("source_ref,given_names\nA1,Ana\nA2,Eva\n")
    result = run("import", "person", str(path), "--agency", "NOPE", "--workers", "1")
    assert result.exit_code == 2, result.output
    assert "unknown agency NOPE" in result.output
    assert _owners(platform) == []
    assert not (tmp_path / "p.csv.rejects.csv").exists()


def test_rows_naming_an_unknown_agency_go_to_the_rejects_file(
    run, platform: Platform, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    add_agency(platform, "SSPC")
    path = tmp_path / "p.csv"
    path.write_text("source_ref,given_names,agency\nA1,Ana,SSPC\nA2,Eva,NOPE\nA3,Luz,\n")
    result = run("import", "person", str(path), "--workers", "1")
    assert result.exit_code == 0, result.output
    rejects = (tmp_path / "p.csv.rejects.csv").read_text().splitlines()
    assert rejects[1:] == ["A2,Eva,NOPE,3,agency: unknown agency NOPE"]
    # A row without an agency is the importer's own: the local administrator's PLATAFORMA.
    assert _owners(platform) == ["PLATAFORMA", "SSPC"]
