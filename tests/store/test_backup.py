"""Backup of a store under load, restore into a fresh store, and ``audit verify`` there.

On both engines: SQLite through its online backup API, PostgreSQL through ``pg_dump`` of an
exported snapshot restored with ``pg_restore`` into a new database on the test server.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from typer.testing import CliRunner

from conftest import PG_URL, _pg_url, make_settings
from plataforma.cli import audit as audit_cli
from plataforma.cli.backup import backup_store, restore_store
from plataforma.context import Platform
from plataforma.ingest.bulk import BulkLoader
from plataforma.records.service import RecordService
from plataforma.security.checkpoint import read_checkpoint
from plataforma.security.principal import LOCAL_ADMIN
from plataforma.settings import Settings
from plataforma.store.backup import CHECKPOINT_FILE, BackupError, Manifest
from plataforma.store.tables import records


def _person(i: int) -> dict[str, str]:
    return {"source_ref": f"P-{i}", "given_names": "Ana", "first_surname": f"Prueba{i}"}


@pytest.fixture
def fresh(platform: Platform, tmp_path: Path) -> Iterator[Settings]:
    """Settings for a new, empty store on the same engine as ``platform``."""
    if platform.dialect == "sqlite":
        yield make_settings(tmp_path / "restored")
        return
    assert PG_URL
    name = f"plataforma_restore_{uuid.uuid4().hex[:8]}"
    admin = create_engine(_pg_url(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = _pg_url(PG_URL).rsplit("/", 1)[0] + f"/{name}"
    yield make_settings(tmp_path / "restored", url)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


class Writer(threading.Thread):
    """Writes person records through the records service, noting each acknowledged id."""

    def __init__(self, platform: Platform) -> None:
        super().__init__(daemon=True)
        self.service = RecordService(platform)
        self.acknowledged: list[str] = []
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        i = 0
        try:
            while not self.stop.is_set():
                i += 1
                result = self.service.submit(LOCAL_ADMIN, "person", _person(i))
                self.acknowledged.append(result.id)  # after the reply: durable, audited
        except BaseException as error:  # handed to the test, which fails on it
            self.error = error


def _audit_verify(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> str:
    """``plataforma audit verify`` on the store ``settings`` name; its output."""
    monkeypatch.setattr(audit_cli, "open_platform", lambda: Platform.open(settings))
    result = CliRunner().invoke(audit_cli.app, ["verify"])
    assert result.exit_code == 0, result.output
    return result.output


def test_backup_under_load_restores_everything_acknowledged_and_verifies(
    platform: Platform, fresh: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    preload = [(i, _person(-i)) for i in range(1, 3001)]
    BulkLoader(platform, LOCAL_ADMIN, workers=0).load("person", preload)
    # The head row exists before two chainers meet: on PostgreSQL, the first chain of an
    # empty store run by two processes at once can collide inserting it (see the report).
    platform.audit.sync()
    platform.audit.start(interval=0.05)  # a server's chainer, moving the head meanwhile
    writer = Writer(platform)
    writer.start()
    try:
        while len(writer.acknowledged) < 50 and writer.is_alive():
            time.sleep(0.01)
        # The backup runs as a separate process would: its own engine and audit log.
        other = Platform.open(platform.settings)
        try:
            acknowledged_before = list(writer.acknowledged)
            manifest = backup_store(other, tmp_path / "backup")
            written_during = len(writer.acknowledged) - len(acknowledged_before)
        finally:
            other.close()
        time.sleep(0.2)  # and writes go on after it
    finally:  # whatever failed, no thread may go on writing into the next test's store
        writer.stop.set()
        writer.join(timeout=30)
        platform.audit.stop()
    assert writer.error is None, writer.error
    assert written_during > 0, "no write was acknowledged while the backup ran"
    assert len(writer.acknowledged) > len(acknowledged_before) + written_during

    saved = tmp_path / "backup"
    assert Manifest.load(saved).chain_head == manifest.chain_head
    head, saved_checkpoint = manifest.chain_head, read_checkpoint(saved / CHECKPOINT_FILE)
    assert head is not None and saved_checkpoint is not None
    assert saved_checkpoint[0] <= head[0]  # never ahead of its database: no false truncation

    restored_manifest, problems = restore_store(fresh, saved)
    assert problems == [] and restored_manifest == manifest
    assert "audit chain intact" in _audit_verify(fresh, monkeypatch)
    target = Platform.open(fresh)
    try:
        with target.engine.connect() as conn:
            present = set(conn.execute(select(records.c.id)).scalars())
        assert set(acknowledged_before) <= present
        assert manifest.records_by_type["person"] == len(present) >= 3000 + len(acknowledged_before)
        RecordService(target).submit(LOCAL_ADMIN, "person", _person(10**6))  # it runs on
    finally:
        target.close()
    assert "audit chain intact" in _audit_verify(fresh, monkeypatch)


def test_the_backup_holds_its_own_audit_event_and_the_restore_adds_one(
    platform: Platform, fresh: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    RecordService(platform).submit(LOCAL_ADMIN, "person", _person(1))
    backup_store(platform, tmp_path / "b")
    _, problems = restore_store(fresh, tmp_path / "b")
    assert problems == []
    target = Platform.open(fresh)
    try:
        target.audit.sync()
        with target.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT detail FROM audit_log WHERE action = 'admin' ORDER BY id")
            ).scalars()
            operations = [(d if isinstance(d, dict) else json.loads(d))["operation"] for d in rows]
    finally:
        target.close()
    assert operations == ["store.backup", "store.restore"]
    _audit_verify(fresh, monkeypatch)


def test_backup_and_restore_refuse_what_would_lose_data(
    platform: Platform, fresh: Settings, tmp_path: Path
) -> None:
    RecordService(platform).submit(LOCAL_ADMIN, "person", _person(1))
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(BackupError, match="not empty"):
        backup_store(platform, tmp_path / "full")
    backup_store(platform, tmp_path / "b")
    with pytest.raises(BackupError, match="holds data"):
        restore_store(platform.settings, tmp_path / "b")  # the live store itself
    with pytest.raises(BackupError, match="not a backup"):
        restore_store(fresh, tmp_path)
    manifest = Manifest.load(tmp_path / "b")
    database = tmp_path / "b" / manifest.database_file
    database.write_bytes(database.read_bytes() + b"\0")
    with pytest.raises(BackupError, match="does not match its manifest"):
        restore_store(fresh, tmp_path / "b")


def test_a_restored_store_whose_chain_was_altered_fails_verification(
    platform: Platform, fresh: Settings, tmp_path: Path
) -> None:
    """The restore's check is real: a backup of a tampered log does not pass."""
    RecordService(platform).submit(LOCAL_ADMIN, "person", _person(1))
    platform.audit.sync()
    with platform.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'nadie' WHERE chain_seq = 1"))
    backup_store(platform, tmp_path / "b")
    _, problems = restore_store(fresh, tmp_path / "b")
    assert any("altered" in p for p in problems), problems
