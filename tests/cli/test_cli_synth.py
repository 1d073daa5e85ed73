"""``plataforma synth --out DIR`` writes one file per record type plus the ground truth."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from plataforma.cli.synth import synth
from plataforma.records.service import validate


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command()(synth)
    return app


def test_out_writes_files_per_type_and_truth(tmp_path: Path) -> None:
    out = tmp_path / "data"
    result = CliRunner().invoke(_app(), ["--scale", "50", "--seed", "3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    names = {p.name for p in out.iterdir()}
    assert {
        "agency.csv",
        "vehicle.csv",
        "firearm.csv",
        "warrant.csv",
        "incident.jsonl",
        "person.jsonl",
        "detention.jsonl",
        "protection_order.jsonl",
        "seizure.jsonl",
        "truth_persons.csv",
        "truth_surges.csv",
        "persons_for_resolve.csv",
        "incidents_for_trends.csv",
    } <= names
    with (out / "truth_persons.csv").open() as handle:
        truth = list(csv.DictReader(handle))
    assert truth and set(truth[0]) == {"record_id", "person_id"}
    with (out / "persons_for_resolve.csv").open() as handle:
        resolve_ids = {row["record_id"] for row in csv.DictReader(handle)}
    assert resolve_ids == {row["record_id"] for row in truth}
    first = json.loads((out / "incident.jsonl").read_text().splitlines()[0])
    validate("incident", first)
    assert "records into" in result.output


def test_store_mode_loads_into_the_configured_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLATAFORMA_DATA_DIR", str(tmp_path / "store"))
    monkeypatch.delenv("PLATAFORMA_DATABASE_URL", raising=False)
    from plataforma.settings import get_settings

    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(_app(), ["--scale", "20", "--seed", "3"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert (tmp_path / "store" / "plataforma.db").exists()
    assert (tmp_path / "store" / "synth-truth" / "truth_persons.csv").exists()
