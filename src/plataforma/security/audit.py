"""The append-only, hash-chained audit log.

Events are inserted unchained: a write's event in the write's own transaction (so an
acknowledged write is never unaudited), reads through a small in-memory buffer flushed every
half second (so a millisecond inquiry does not wait for a disk flush). A chainer then links
unchained rows in batches — each row's hash covers its content and the previous hash — and
checkpoints the head outside the database, so an edit, deletion or truncation is detectable
(`plataforma audit verify`). Batching is what keeps the chain from being a global lock.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, insert, select, update

from plataforma.security.checkpoint import Checkpoint, read_checkpoint, write_checkpoint
from plataforma.store.deferred import InsertQueue
from plataforma.store.tables import audit_head, audit_log

GENESIS = "0" * 64
_CHAIN_BATCH = 5000


class AuditAction(StrEnum):
    LOGIN = "login"
    LOGOUT = "logout"
    READ = "read"
    QUERY = "query"
    WRITE = "write"
    IMPORT = "import"
    EXPORT = "export"
    PURGE = "purge"
    ADMIN = "admin"
    AUDIT_SEARCH = "audit_search"


class Outcome(StrEnum):
    OK = "ok"
    DENIED = "denied"
    FAILED = "failed"
    REJECTED = "rejected"


@dataclass(slots=True)
class AuditEvent:
    actor: str
    agency: str
    action: AuditAction
    outcome: Outcome = Outcome.OK
    record_type: str | None = None
    record_id: str | None = None
    purpose: str | None = None
    source_ip: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def row(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "actor": _storable(self.actor),
            "agency": _storable(self.agency),
            "action": str(self.action),
            "outcome": str(self.outcome),
            "record_type": _storable(self.record_type),
            "record_id": _storable(self.record_id),
            "purpose": _storable(self.purpose),
            "source_ip": _storable(self.source_ip),
            "detail": _storable(self.detail),
        }


def _storable(value: Any) -> Any:
    """``value`` without NUL characters, which PostgreSQL refuses in text and JSON.

    Events carry what callers typed; one NUL in a buffered read event would otherwise make
    the whole flushed batch fail, and the audit trail lose every event in it.
    """
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(v) for v in value]
    return value


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def row_hash(prev_hash: str, seq: int, row: Any) -> str:
    """The chain link: covers every column an auditor relies on, and the previous link."""
    fields = [
        seq,
        row.id,
        _aware(row.at).isoformat(),
        row.actor,
        row.agency,
        row.action,
        row.outcome,
        row.record_type,
        row.record_id,
        row.purpose,
        row.source_ip,
        row.detail,
    ]
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{prev_hash}|{canonical}".encode()).hexdigest()


def append(
    conn: Connection, events: Sequence[AuditEvent], deferred: InsertQueue | None = None
) -> None:
    """Insert ``events`` inside the caller's transaction (used by writes).

    With ``deferred``, the rows join the caller's queue and go out when it flushes them.
    """
    if deferred is not None:
        deferred.add(audit_log, [event.row() for event in events])
    elif events:
        conn.execute(insert(audit_log), [event.row() for event in events])


class AuditLog:
    """Buffers read events, flushes them, and chains what is unchained."""

    def __init__(self, engine: Engine, checkpoint: Checkpoint) -> None:
        self._engine = engine
        self._checkpoint = checkpoint
        self._buffer: list[AuditEvent] = []
        self._lock = threading.Lock()
        self._chain_lock = threading.Lock()
        # Held while a flush is in flight, so sync() returns only once every event recorded
        # before it is in the table (even those another thread had already taken).
        self._flush_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.appended = 0

    def record(self, event: AuditEvent) -> None:
        with self._lock:
            self._buffer.append(event)

    def flush(self) -> int:
        with self._flush_lock:
            with self._lock:
                events, self._buffer = self._buffer, []
            if events:
                with self._engine.begin() as conn:
                    append(conn, events)
            return len(events)

    def chain(self) -> int:
        """Link every unchained row, oldest first; returns how many were linked."""
        linked = 0
        with self._chain_lock:
            while True:
                done = self._chain_batch()
                linked += done
                if done < _CHAIN_BATCH:
                    break
        self.appended += linked
        return linked

    def _chain_batch(self) -> int:
        with self._engine.begin() as conn:
            # Take the write lock first (SQLite), or the head's row lock (PostgreSQL).
            conn.execute(update(audit_head).where(audit_head.c.id == 1).values(id=1))
            head = conn.execute(
                select(audit_head).where(audit_head.c.id == 1).with_for_update()
            ).first()
            seq, prev = (head.chain_seq, head.hash) if head else self._last_link(conn)
            rows = conn.execute(
                select(audit_log)
                .where(audit_log.c.hash.is_(None))
                .order_by(audit_log.c.id)
                .limit(_CHAIN_BATCH)
            ).all()
            if not rows:
                return 0
            links = []
            for row in rows:
                seq += 1
                digest = row_hash(prev, seq, row)
                links.append({"b_id": row.id, "chain_seq": seq, "prev_hash": prev, "hash": digest})
                prev = digest
            conn.execute(
                update(audit_log)
                .where(audit_log.c.id == bindparam("b_id"))
                .values(
                    chain_seq=bindparam("chain_seq"),
                    prev_hash=bindparam("prev_hash"),
                    hash=bindparam("hash"),
                ),
                links,
            )
            if head:
                conn.execute(
                    update(audit_head).where(audit_head.c.id == 1).values(chain_seq=seq, hash=prev)
                )
            else:
                conn.execute(insert(audit_head).values(id=1, chain_seq=seq, hash=prev))
        write_checkpoint(self._checkpoint, seq, prev)
        return len(rows)

    @staticmethod
    def _last_link(conn: Connection) -> tuple[int, str]:
        """Where the chain ends when the head row is missing (first run, or head deleted).

        Continuing from the last linked row keeps appending possible after tampering with the
        head; `audit verify` still reports the tampering against the checkpoint.
        """
        last = conn.execute(
            select(audit_log.c.chain_seq, audit_log.c.hash)
            .where(audit_log.c.chain_seq.is_not(None))
            .order_by(audit_log.c.chain_seq.desc())
            .limit(1)
        ).first()
        return (last.chain_seq, last.hash) if last else (0, GENESIS)

    def sync(self) -> None:
        """Flush buffered events and chain everything: call before answering an auditor."""
        self.flush()
        self.chain()

    def start(self, interval: float = 0.5) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(
                target=self._run, args=(interval,), daemon=True, name="audit"
            )
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self.sync()

    def _run(self, interval: float) -> None:
        while not self._stop.wait(interval):
            try:
                self.sync()
            except Exception:
                continue

    def head(self) -> Checkpoint:
        return self._checkpoint

    @property
    def last_checkpoint(self) -> tuple[int, str] | None:
        return read_checkpoint(self._checkpoint)
