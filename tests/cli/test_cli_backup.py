"""``plataforma backup`` / ``restore`` through Typer: exit codes and what they print."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import make_settings
from plataforma.cli import backup as backup_cli
from plataforma.cli.main import app
from plataforma.context import Platform
from plataforma.records.service import RecordService
from plataforma.security.principal import LOCAL_ADMIN

runner = CliRunner(env={"COLUMNS": "200"})


def test_backup_then_restore_through_the_command_line(
    sqlite_platform: Platform, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    RecordService(sqlite_platform).submit(
        LOCAL_ADMIN, "person", {"source_ref": "P-1", "given_names": "Ana"}
    )
    monkeypatch.setattr(
        backup_cli, "open_platform", lambda: Platform.open(sqlite_platform.settings)
    )
    made = runner.invoke(app, ["backup", str(tmp_path / "b")])
    assert made.exit_code == 0, made.output
    assert "person records" in made.output and (tmp_path / "b" / "manifest.json").is_file()
    again = runner.invoke(app, ["backup", str(tmp_path / "b")])
    assert again.exit_code == 1 and "not empty" in again.output

    target = make_settings(tmp_path / "elsewhere")
    monkeypatch.setattr(backup_cli, "get_settings", lambda: target)
    restored = runner.invoke(app, ["restore", str(tmp_path / "b")])
    assert restored.exit_code == 0, restored.output
    assert "audit chain verified" in restored.output
    refused = runner.invoke(app, ["restore", str(tmp_path / "b")])
    assert refused.exit_code == 1 and "holds data" in refused.output
