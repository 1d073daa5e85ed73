"""``plataforma trends reconcile``: reports a difference with exit 1, repairs it with --repair."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from conftest import add_agency
from plataforma.cli import trends as trends_cli
from plataforma.cli.main import app
from plataforma.context import Platform
from plataforma.records.service import RecordService
from plataforma.security.principal import LOCAL_ADMIN
from plataforma.store.engine import begin_write
from plataforma.store.tables import trend_counts
from plataforma.trends.aggregator import update_counts


@pytest.fixture
def run(platform: Platform, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(trends_cli, "open_platform", lambda: Platform.open(platform.settings))
    runner = CliRunner(env={"COLUMNS": "200"})
    return lambda *args: runner.invoke(app, ["trends", "reconcile", *args])


def test_equal_counts_exit_zero_and_a_lost_increment_exits_one_until_repaired(
    run: Any, platform: Platform
) -> None:
    add_agency(platform, "POL-GDL", "municipal", "police", "14")
    result = RecordService(platform).submit(
        LOCAL_ADMIN,
        "incident",
        {"source_ref": "1", "agency": "POL-GDL", "folio": "IPH-1",
         "occurred_at": "2026-11-30T10:00", "place": {"state": "14", "municipality": "14039"},
         "crime_types": ["extorsion"]},
    )  # fmt: skip
    with begin_write(platform.engine) as conn:
        update_counts(conn, [result.id])
    first = run()
    assert first.exit_code == 0, first.output
    assert "differences: 0" in first.output
    with begin_write(platform.engine) as conn:
        conn.execute(update(trend_counts).where(trend_counts.c.grain == "day").values(count=0))
    broken = run()
    assert broken.exit_code == 1
    assert "live 0, recount 1" in broken.output
    repaired = run("--repair")
    assert repaired.exit_code == 0 and "repaired" in repaired.output
    assert "differences: 0" in run().output
