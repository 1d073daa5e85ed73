"""Backups of a live store and their restore: the database, the audit checkpoint, a manifest.

A backup is a directory: the database (``plataforma.db``, a page copy made with SQLite's
online backup API; or ``plataforma.dump``, ``pg_dump -Fc`` on PostgreSQL), the audit
checkpoint file copied byte for byte, the installed code tables, and ``manifest.json`` with
the time, the row counts and the chain head of exactly the snapshot that was saved.

Why the order matters. ``audit verify`` compares the chain in the database with the
checkpoint kept outside it, and a checkpoint *ahead* of the database reads as a truncated
log. The chainer commits a new head to the database before it writes the checkpoint, so the
checkpoint is never ahead of the committed chain; copying it first (under the chain's lock,
so no chainer rewrites it mid-copy) and snapshotting the database after keeps the backup's
checkpoint at or behind its database. Writes go on throughout: SQLite's one-step backup reads
a WAL snapshot, which blocks no writer, and ``pg_dump`` reads an exported snapshot.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, func, inspect, select, text, update

from plataforma.store.engine import begin_write
from plataforma.store.tables import audit_head, audit_log, metadata, records

MANIFEST = "manifest.json"
SQLITE_FILE = "plataforma.db"
PG_FILE = "plataforma.dump"
CHECKPOINT_FILE = "audit-checkpoint"
CODES_DIR = "codes"
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot be made; the message says why and what to do."""


@dataclass
class Manifest:
    """What a backup holds; ``restore`` checks the files and the counts against it."""

    format: int
    dialect: str
    started_at: str
    finished_at: str
    revision: str | None
    database_file: str
    database_sha256: str
    checkpoint_sha256: str | None
    chain_head: tuple[int, str] | None
    counts: dict[str, int] = field(default_factory=dict)
    records_by_type: dict[str, int] = field(default_factory=dict)

    def save(self, directory: Path) -> None:
        _write_synced(directory / MANIFEST, json.dumps(asdict(self), indent=2).encode())

    @classmethod
    def load(cls, directory: Path) -> Manifest:
        path = directory / MANIFEST
        if not path.is_file():
            raise BackupError(f"{directory} is not a backup: no {MANIFEST}")
        data = json.loads(path.read_text())
        if data.get("format") != FORMAT:
            raise BackupError(f"{path}: backup format {data.get('format')}, expected {FORMAT}")
        head = data.get("chain_head")
        data["chain_head"] = (int(head[0]), str(head[1])) if head else None
        return cls(**data)


def snapshot_counts(conn: Connection) -> tuple[dict[str, int], dict[str, int]]:
    """Rows per table and records per type, as ``conn``'s snapshot sees them."""
    counts = {
        table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        for table in metadata.sorted_tables
    }
    counts["audit_log_unchained"] = int(
        conn.execute(select(func.count()).where(audit_log.c.hash.is_(None))).scalar_one()
    )
    by_type = conn.execute(
        select(records.c.record_type, func.count()).group_by(records.c.record_type)
    ).all()
    return counts, {str(kind): int(n) for kind, n in by_type}


def _chain_head(conn: Connection) -> tuple[int, str] | None:
    row = conn.execute(select(audit_head.c.chain_seq, audit_head.c.hash)).first()
    return (int(row.chain_seq), str(row.hash)) if row else None


def _revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    value = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return str(value) if value else None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_synced(path: Path, content: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    _fsync_path(path.parent)


@contextmanager
def chain_locked(engine: Engine) -> Iterator[None]:
    """Hold the audit chain's lock: no chainer (in any process) moves the head meanwhile.

    Chainers take the same lock first (an update of the head row), so a checkpoint file
    copied inside is whole and no newer than the committed chain.
    """
    with begin_write(engine) as conn:
        conn.execute(update(audit_head).where(audit_head.c.id == 1).values(id=1))
        yield


def copy_checkpoint(engine: Engine, checkpoint: Path, dest: Path) -> str | None:
    """Copy the checkpoint file byte for byte under the chain's lock; its SHA-256 or None."""
    target = dest / CHECKPOINT_FILE
    with chain_locked(engine):
        if not checkpoint.exists():
            return None
        content = checkpoint.read_bytes()
    _write_synced(target, content)
    return hashlib.sha256(content).hexdigest()


def take_backup(engine: Engine, checkpoint: Path, dest: Path, codes: Path | None) -> Manifest:
    """Back up the store behind ``engine`` into the new directory ``dest`` while it runs.

    The caller chains the audit log first, so little is left unchained in the snapshot.
    The manifest is written last: a backup that failed midway has none, and restore
    refuses it.
    """
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BackupError(f"{dest} exists and is not empty: back up into a new directory")
    dest.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC).isoformat()
    checkpoint_sha = copy_checkpoint(engine, checkpoint, dest)
    if engine.dialect.name == "sqlite":
        name = SQLITE_FILE
        revision, head, counts, by_type = _sqlite_snapshot(engine, dest / name)
    elif engine.dialect.name == "postgresql":
        name = PG_FILE
        revision, head, counts, by_type = _pg_snapshot(engine, dest / name)
    else:
        raise BackupError(f"no backup for {engine.dialect.name} databases")
    if codes is not None and codes.is_dir():
        shutil.copytree(codes, dest / CODES_DIR)
    manifest = Manifest(
        FORMAT,
        engine.dialect.name,
        started,
        datetime.now(UTC).isoformat(),
        revision,
        name,
        _sha256(dest / name),
        checkpoint_sha,
        head,
        counts,
        by_type,
    )
    manifest.save(dest)
    return manifest


Snapshot = tuple[str | None, tuple[int, str] | None, dict[str, int], dict[str, int]]


def _describe(conn: Connection) -> Snapshot:
    counts, by_type = snapshot_counts(conn)
    return _revision(conn), _chain_head(conn), counts, by_type


def _sqlite_snapshot(engine: Engine, target: Path) -> Snapshot:
    source_path = engine.url.database
    if not source_path or source_path == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    source = sqlite3.connect(source_path, timeout=30)
    copy = sqlite3.connect(target)
    try:
        # One step (pages=-1): the copy reads one WAL snapshot, which no writer waits for;
        # stepping page by page would restart each time a writer commits.
        source.backup(copy, pages=-1)
    finally:
        copy.close()
        source.close()
    _fsync_path(target)
    _fsync_path(target.parent)
    snapshot = create_engine(f"sqlite:///{target}")
    try:
        with snapshot.connect() as conn:
            return _describe(conn)
    finally:
        snapshot.dispose()


def libpq_url(engine: Engine) -> str:
    """``engine``'s URL as ``pg_dump`` and ``pg_restore`` take it (no SQLAlchemy driver)."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tool = Path(command[0]).name
        raise BackupError(f"{tool} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")


def _pg_snapshot(engine: Engine, target: Path) -> Snapshot:
    """``pg_dump`` of an exported snapshot, described (counts, head) from the same snapshot."""
    if shutil.which("pg_dump") is None:
        raise BackupError("pg_dump not found: install the PostgreSQL client (same major version)")
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            snapshot_id = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
            described = _describe(conn)
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    f"--snapshot={snapshot_id}",
                    "--no-owner",
                    "--no-privileges",
                    f"--file={target}",
                    f"--dbname={libpq_url(engine)}",
                ]
            )
    _fsync_path(target)
    return described


def _holds_data(conn: Connection) -> bool:
    tables = set(inspect(conn).get_table_names())
    return any(
        table.name in tables and conn.execute(select(func.count()).select_from(table)).scalar()
        for table in (records, audit_log)
    )


def restore_files(source: Path, engine: Engine, checkpoint: Path, codes: Path) -> Manifest:
    """Put backup ``source`` in place of the empty store behind ``engine``.

    Refuses a target that holds records or audit events: a restore replaces a store, and
    replacing one that is in use must be a deliberate act (empty it, or restore elsewhere).
    """
    manifest = Manifest.load(source)
    if manifest.dialect != engine.dialect.name:
        raise BackupError(
            f"a {manifest.dialect} backup cannot restore a {engine.dialect.name} store"
        )
    database = source / manifest.database_file
    if _sha256(database) != manifest.database_sha256:
        raise BackupError(f"{database} does not match its manifest (damaged or altered)")
    saved_checkpoint = source / CHECKPOINT_FILE
    if manifest.checkpoint_sha256 and _sha256(saved_checkpoint) != manifest.checkpoint_sha256:
        raise BackupError(f"{saved_checkpoint} does not match its manifest (damaged or altered)")
    with engine.connect() as conn:
        if _holds_data(conn):
            raise BackupError("the target store holds data: restore into an empty one")
        has_schema = inspect(conn).has_table(records.name)
    if engine.dialect.name == "sqlite":
        _restore_sqlite(database, engine)
    else:
        _restore_pg(database, engine, clean=has_schema)
    if manifest.checkpoint_sha256:
        checkpoint.parent.mkdir(parents=True, exist_ok=True)
        _write_synced(checkpoint, saved_checkpoint.read_bytes())
    else:
        checkpoint.unlink(missing_ok=True)
    if (source / CODES_DIR).is_dir() and not codes.exists():
        shutil.copytree(source / CODES_DIR, codes)
    return manifest


def _restore_sqlite(database: Path, engine: Engine) -> None:
    target = Path(engine.url.database or "")
    engine.dispose()  # no pooled connection may keep the replaced file open
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".restoring")
    shutil.copyfile(database, tmp)
    _fsync_path(tmp)
    for suffix in ("-wal", "-shm"):  # an empty store's leftovers must not replay over it
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    os.replace(tmp, target)
    _fsync_path(target.parent)


def _restore_pg(dump: Path, engine: Engine, *, clean: bool) -> None:
    if shutil.which("pg_restore") is None:
        raise BackupError("pg_restore not found: install the PostgreSQL client")
    engine.dispose()
    command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
    if clean:  # an empty, migrated schema: replace it with the backup's
        command += ["--clean", "--if-exists"]
    _run([*command, "--single-transaction", f"--dbname={libpq_url(engine)}", str(dump)])
