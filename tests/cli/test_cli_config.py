"""``plataforma config docs``: docs/configuration.md is the settings class, rendered."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from plataforma.cli import config
from plataforma.cli.main import app

DOC = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"
runner = CliRunner()


def test_configuration_doc_is_the_settings_class_rendered() -> None:
    """Fails when a field is added, changed or removed without regenerating the doc."""
    current = DOC.read_text(encoding="utf-8")
    assert config.render(current) == current, (
        "docs/configuration.md is out of date: run `plataforma config docs --write`"
    )


def test_every_setting_has_a_description() -> None:
    assert config.undescribed() == []


def test_check_fails_on_a_drifted_document_and_write_repairs_it(tmp_path: Path) -> None:
    drifted = tmp_path / "configuration.md"
    text = DOC.read_text(encoding="utf-8").replace("`PLATAFORMA_TOKEN_MINUTES`", "`OLD`")
    drifted.write_text(text, encoding="utf-8")
    checked = runner.invoke(app, ["config", "docs", "--check", "--path", str(drifted)])
    assert checked.exit_code == 1 and "out of date" in checked.output
    assert runner.invoke(app, ["config", "docs", "--write", "--path", str(drifted)]).exit_code == 0
    assert drifted.read_text(encoding="utf-8") == DOC.read_text(encoding="utf-8")
    printed = runner.invoke(app, ["config", "docs"])
    assert printed.exit_code == 0 and "`PLATAFORMA_MAX_BATCH_RECORDS`" in printed.output
