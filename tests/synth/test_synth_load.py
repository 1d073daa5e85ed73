"""A small synthetic dataset loads into the store on every backend, with its truth."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import func, select

from plataforma.context import Platform
from plataforma.security.principal import LOCAL_ADMIN
from plataforma.store import reader
from plataforma.store.tables import records
from plataforma.synth import generate, load_dataset


def test_small_dataset_loads_without_rejects(platform: Platform, tmp_path: Path) -> None:
    report = load_dataset(platform, LOCAL_ADMIN, generate(60, 5), truth_dir=tmp_path)
    assert report.rejected == 0
    with platform.engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(records)).scalar_one()
        incidents = reader.list_records(conn, "incident", limit=5)
    assert stored == report.records
    assert report.summaries["incident"].created >= 60
    assert {s for s in report.summaries} >= {"agency", "incident", "detention", "warrant"}
    assert incidents and incidents[0].agency != "local-admin"
    with (tmp_path / "truth_persons.csv").open() as handle:
        truth = list(csv.DictReader(handle))
    assert len(truth) == report.truth_rows - 1  # the surge row is in its own file
    assert (tmp_path / "truth_surges.csv").exists()


def test_reloading_the_same_seed_changes_nothing(sqlite_platform: Platform) -> None:
    load_dataset(sqlite_platform, LOCAL_ADMIN, generate(20, 9))
    again = load_dataset(sqlite_platform, LOCAL_ADMIN, generate(20, 9))
    assert sum(s.created + s.updated for s in again.summaries.values()) == 0
