"""Database engines: embedded SQLite by default, PostgreSQL (psycopg 3) by URL.

SQLite runs in WAL mode with ``synchronous=FULL`` so that a commit survives power loss: an
acknowledged write is on disk. The schema is brought to the latest Alembic revision on first
use, so every command works on a fresh data directory.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event

from plataforma.store.dialect import dialect_for
from plataforma.store.jsontext import dumps, loads

WRITE_OPTION = "plataforma_write"
_MIGRATIONS = Path(__file__).with_name("migrations")
_migrate_lock = threading.Lock()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, issue BEGIN: savepoints then work as documented.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # 16 KiB pages (a new database only; an existing file keeps its own): a bulk load writes
    # each page to the WAL and again at checkpoint, and bigger pages mean fewer frames, fewer
    # checkpoints and shallower indexes. Measured: 48 → 38 µs a person record in the writer.
    cursor.execute("PRAGMA page_size=16384")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA cache_size=-65536")
    # Checkpoint every 10,000 pages (~160 MB of WAL) instead of 1,000: bulk loads rewrite the
    # same index pages many times, and each checkpoint is an extra fsync of the database file.
    cursor.execute("PRAGMA wal_autocheckpoint=10000")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # A write transaction that starts by reading must hold the write lock from the start, or
    # SQLite refuses its upgrade when another writer committed meanwhile ("database is locked").
    immediate = conn.get_execution_options().get(WRITE_OPTION)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def begin_write(engine: Engine, *, synced: bool = True) -> Iterator[Connection]:
    """A transaction meant to write: on SQLite it takes the write lock at BEGIN.

    ``synced=False`` commits without waiting for the disk: for the batches of a bulk load,
    which is acknowledged only by a later, synced commit. Both engines write their log in
    order, so that commit's flush makes every earlier one durable too, and a crash before it
    loses only a suffix of batches, which a rerun of the idempotent load restores.
    """
    lock = _writer_lock(engine)
    held = lock.acquire(timeout=_WRITER_WAIT) if lock is not None else False
    try:
        with (
            engine.connect().execution_options(**{WRITE_OPTION: True}) as conn,
            dialect_for(conn).transaction(conn, synced=synced),
        ):
            yield conn
    finally:
        if held and lock is not None:
            lock.release()


# One writer (SQLite): the process's writers queue on a lock of their own before BEGIN
# IMMEDIATE. Left to SQLite, a waiting writer sleeps in its busy handler's growing steps (up
# to 100 ms) and keeps losing the lock to a busy writer: with 1,000 records/s written and a
# bus consumer delivering a notification for one in ten, the commit-to-signal p99 was 48 ms,
# 7.6 ms queued here. Reentrant, for a write nested in the same thread; a waiter gives up
# after _WRITER_WAIT and falls back to SQLite's own waiting, so it can never deadlock.
_writer_locks: weakref.WeakKeyDictionary[Engine, threading.RLock] = weakref.WeakKeyDictionary()
_writer_locks_lock = threading.Lock()
_WRITER_WAIT = 30.0


def _writer_lock(engine: Engine) -> threading.RLock | None:
    if not dialect_for(engine).one_writer:
        return None
    with _writer_locks_lock:
        lock = _writer_locks.get(engine)
        if lock is None:
            lock = _writer_locks[engine] = threading.RLock()
        return lock


def make_engine(url: str, pool_size: int = 20) -> Engine:
    """An engine for ``url`` with the settings the platform relies on."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=pool_size,  # PLATAFORMA_DB_POOL_SIZE, as on PostgreSQL
            json_serializer=dumps,
            json_deserializer=loads,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(
        url,
        # Connections are kept, never opened per request: an overflow connection is a new
        # PostgreSQL backend, and opening and closing them dominated the write path under load.
        pool_size=pool_size,
        max_overflow=10,
        # No pre-ping: it costs a round trip per checkout on the hot path; recycling keeps
        # connections fresh and a dropped one fails the request, which the caller retries.
        pool_recycle=1800,
        json_serializer=dumps,
        json_deserializer=loads,
    )


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision; cheap when it already is."""
    with _migrate_lock:
        config = alembic_config(engine)
        head = ScriptDirectory.from_config(config).get_current_head()
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
        if current != head:
            command.upgrade(config, "head")
