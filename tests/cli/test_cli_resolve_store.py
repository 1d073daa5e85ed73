"""``plataforma resolve store``: links the store on every backend, saves a trained model
where the consumer's setting reads it, and refuses a model file that is not one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from plataforma.cli import resolve as resolve_cli
from plataforma.cli.main import app
from plataforma.context import Platform
from resolve.person_support import JOSE, JOSE_MISSPELT, enter, links, person, two_agencies


@pytest.fixture
def run(platform: Platform, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(resolve_cli, "open_platform", lambda: Platform.open(platform.settings))
    runner = CliRunner(env={"COLUMNS": "200"})
    return lambda *args: runner.invoke(app, ["resolve", "store", *args])


def test_links_the_store_and_saves_the_trained_model(
    run: Any, platform: Platform, tmp_path: Path
) -> None:
    two_agencies(platform)
    first = enter(platform, "person", person("P1", "POL-GDL", JOSE), link=False)
    second = enter(platform, "person", person("P2", "FGE-JAL", JOSE_MISSPELT), link=False)
    target = tmp_path / "model.json"
    done = run("--train", "--save-model", str(target))
    assert done.exit_code == 0, done.output
    assert "2 mentions → 1 persons" in done.output and "PLATAFORMA_RESOLVE_MODEL" in done.output
    assert target.exists()
    assert {r.person_id for r in links(platform, first, second)} == {f"{first}.0"}
    again = run("--model", str(target))
    assert again.exit_code == 0 and "links rewritten 0" in again.output


def test_a_bad_model_file_is_a_clear_error(run: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    done = run("--model", str(bad))
    assert done.exit_code == 2 and "not a resolve model" in done.output
