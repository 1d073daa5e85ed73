"""``plataforma admin reindex-keys``: progress, summary and bad options."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from plataforma.cli import admin as admin_cli
from plataforma.cli import reindex as reindex_cli
from plataforma.context import Platform
from plataforma.records.service import RecordService
from plataforma.security.principal import LOCAL_ADMIN

runner = CliRunner()


@pytest.fixture
def store(world: Platform, monkeypatch: pytest.MonkeyPatch) -> Platform:
    monkeypatch.setattr(reindex_cli, "open_platform", lambda: Platform.open(world.settings))
    RecordService(world).submit(
        LOCAL_ADMIN, "vehicle", {"source_ref": "V1", "agency": "POL-GDL", "plate": "ABS-123"}
    )
    return world


def test_a_store_already_up_to_date_changes_nothing(store: Platform) -> None:
    result = runner.invoke(admin_cli.app, ["reindex-keys", "--type", "vehicle"])
    assert result.exit_code == 0, result.output
    assert re.search(r"records read\s*│\s*1\b", result.output), result.output
    assert re.search(r"keys or flags changed\s*│\s*0\b", result.output)


def test_an_unknown_type_is_refused_by_name(store: Platform) -> None:
    result = runner.invoke(admin_cli.app, ["reindex-keys", "--type", "vehicel", "--dry-run"])
    assert result.exit_code == 2
    assert "vehicel" in result.output
