"""Engine settings the platform relies on: durable SQLite commits, relaxed only on request."""

from __future__ import annotations

from sqlalchemy import text

from plataforma.context import Platform
from plataforma.store.engine import begin_write

FULL = 2


def synchronous(platform: Platform) -> int:
    with platform.engine.connect() as conn:
        return int(conn.execute(text("PRAGMA synchronous")).scalar_one())


def test_sqlite_commits_are_full_sync_and_relaxed_batches_restore_it(
    sqlite_platform: Platform,
) -> None:
    assert synchronous(sqlite_platform) == FULL
    with begin_write(sqlite_platform.engine, synced=False) as conn:
        assert int(conn.execute(text("PRAGMA synchronous")).scalar_one()) < FULL
    # The pool hands the same connection out again: it must be back to FULL.
    assert synchronous(sqlite_platform) == FULL
    with sqlite_platform.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
