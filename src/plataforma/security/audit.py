"""The append-only, hash-chained audit log.

Events are inserted unchained: a write's event in the write's own transaction (so an
acknowledged write is never unaudited), a read's or a query's through a group commit before
the answer leaves (so a crash cannot lose the trace of a read that was answered). Concurrent
readers share that commit: the first to reach it inserts everyone's queued events in one
synced transaction and wakes the others. A chainer then links unchained rows in batches and
appends each new head to the checkpoint log outside the database (``audit_chain``), so an
edit, deletion or truncation is detectable (``plataforma audit verify``).

A failed insert loses nothing: the events stay in memory and are retried, the failure is
logged and counted, and ``/healthz`` reports the audit log degraded until a retry succeeds.
A read whose event could not be committed is refused (:class:`AuditUnavailable`): nothing is
answered that is not on record.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Engine, String, Table, insert
from sqlalchemy.exc import SQLAlchemyError

from plataforma.metrics import (
    AUDIT_APPENDS,
    AUDIT_CHAIN_REFUSED,
    AUDIT_COMMITS,
    AUDIT_FAILURES,
    AUDIT_INSERTED,
    AUDIT_PENDING,
)
from plataforma.security.audit_chain import (
    GENESIS,
    ChainRefused,
    Link,
    chain_batch,
    link_unchained,
)
from plataforma.security.audit_forms import row_hash
from plataforma.security.checkpoint import (
    Checkpoint,
    append_head,
    read_checkpoint,
    ship_heads_to_syslog,
)
from plataforma.security.group_commit import GroupCommit
from plataforma.security.principal import Principal
from plataforma.store.deferred import InsertQueue
from plataforma.store.engine import begin_write
from plataforma.store.tables import audit_log

__all__ = ["GENESIS", "AuditAction", "AuditEvent", "AuditLog", "Outcome", "append", "row_hash"]

log = logging.getLogger(__name__)

#: Rows of other tables committed in the same transaction as an event (``record(rows=...)``).
Companions = Sequence[tuple[Table, Sequence[dict[str, Any]]]]


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
    # Real-time interconnectivity (hit/no-hit inquiries and what follows from a hit).
    INQUIRY = "inquiry"
    CONFIRMATION = "confirmation"
    MESSAGE = "message"
    SUBSCRIPTION = "subscription"
    NOTIFICATION = "notification"
    # The master person index: an analyst's "same person" / "not the same" and its revoke.
    JUDGEMENT = "judgement"


class Outcome(StrEnum):
    OK = "ok"
    DENIED = "denied"
    FAILED = "failed"
    REJECTED = "rejected"


class AuditUnavailable(Exception):
    """The event could not be committed; the act it records must not go ahead."""


# Column widths: a value longer than its column would make PostgreSQL refuse the whole batch.
_WIDTHS = {
    column.name: column.type.length
    for column in audit_log.columns
    if isinstance(column.type, String) and column.type.length
}


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

    @classmethod
    def of(
        cls,
        principal: Principal,
        action: AuditAction,
        outcome: Outcome = Outcome.OK,
        *,
        record_type: str | None = None,
        record_id: str | None = None,
        purpose: str | None = None,
        detail: dict[str, Any] | None = None,
        at: datetime | None = None,
    ) -> AuditEvent:
        """The event of ``principal`` doing ``action``: who, which agency and from where.

        The one way to build an event for an act of a principal, so no call site can forget
        the agency or the source address.
        """
        return cls(
            principal.username,
            principal.agency,
            action,
            outcome,
            record_type,
            record_id,
            None if purpose is None else str(purpose),
            principal.source_ip,
            detail or {},
            at or datetime.now(UTC),
        )

    def row(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "actor": _fitted("actor", self.actor),
            "agency": _fitted("agency", self.agency),
            "action": str(self.action),
            "outcome": str(self.outcome),
            "record_type": _fitted("record_type", self.record_type),
            "record_id": _fitted("record_id", self.record_id),
            "purpose": _fitted("purpose", self.purpose),
            "source_ip": _fitted("source_ip", self.source_ip),
            "detail": _storable(self.detail),
        }


def _fitted(column: str, value: str | None) -> str | None:
    """``value`` storable in ``column``: no NUL, and cut to the column's width (marked …)."""
    if value is None:
        return None
    text: str = _storable(str(value))
    width = _WIDTHS.get(column)
    return text if width is None or len(text) <= width else text[: width - 1] + "…"


def _storable(value: Any) -> Any:
    """``value`` without NUL characters, which PostgreSQL refuses in text and JSON.

    Events carry what callers typed; one NUL in an event would otherwise make the whole
    committed batch fail, and every event in it wait for a retry that can never succeed.
    """
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(v) for v in value]
    return value


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


class AuditHealth:
    """What is wrong with the audit log right now, by stage; empty when all is well."""

    def __init__(self) -> None:
        self._problems: dict[str, str] = {}
        self._lock = threading.Lock()

    def fail(self, stage: str, problem: str) -> bool:
        """Note ``problem``; True when it is new (so it is logged once, not every tick)."""
        with self._lock:
            new = self._problems.get(stage) != problem
            self._problems[stage] = problem
            return new

    def clear(self, stage: str) -> bool:
        with self._lock:
            return self._problems.pop(stage, None) is not None

    def problems(self) -> dict[str, str]:
        with self._lock:
            return dict(self._problems)


class AuditLog:
    """Commits events (group commit, or a buffer when not durable) and chains them."""

    def __init__(
        self,
        engine: Engine,
        checkpoint: Checkpoint,
        *,
        durable: bool = True,
        syslog: str | None = None,
    ) -> None:
        if syslog:
            ship_heads_to_syslog(syslog)
        self._engine = engine
        self._checkpoint = checkpoint
        self.durable = durable
        self.health = AuditHealth()
        # Events not yet committed: the buffer when not durable, else those kept after a
        # failed commit. The background thread flushes it.
        self._buffer: list[AuditEvent] = []
        self._rows: list[tuple[Table, Sequence[dict[str, Any]]]] = []
        self._lock = threading.Lock()
        self._group: GroupCommit[tuple[Sequence[AuditEvent], Companions]] = GroupCommit(
            self._commit_batch
        )
        self._chain_lock = threading.Lock()
        # Held while a flush is in flight, so sync() returns only once every event recorded
        # before it is in the table (even those another thread had already taken).
        self._flush_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.appended = 0
        self.commits = 0

    # -- recording -------------------------------------------------------------------------

    def record(self, event: AuditEvent, rows: Companions = ()) -> None:
        """Record ``event``; when durable, returns only once it is committed.

        ``rows`` (table, rows) are inserted in the same transaction as the event: a log that
        belongs with the act (the inquiry log) rides the group commit instead of paying a
        commit of its own, and is exactly as durable as the event.
        """
        self.record_many([event], rows)

    def record_many(self, events: Sequence[AuditEvent], rows: Companions = ()) -> None:
        if not events:
            return
        if not self.durable:
            with self._lock:
                self._buffer.extend(events)
                self._rows.extend(rows)
                AUDIT_PENDING.set(len(self._buffer))
            return
        error = self._group.submit((events, rows))
        if error is not None:
            raise AuditUnavailable("the audit log could not commit the event") from error

    def _commit_batch(
        self, batch: Sequence[tuple[Sequence[AuditEvent], Companions]]
    ) -> list[BaseException | None]:
        """As leader: every queued request's events in one synced transaction."""
        try:
            self._insert(
                [event for events, _ in batch for event in events],
                [row for _, rows in batch for row in rows],
            )
            return [None] * len(batch)
        except SQLAlchemyError:
            # One bad event must fail only its own request: retry each request alone.
            errors: list[BaseException | None] = []
            for events, rows in batch:
                try:
                    self._insert(events, rows)
                    errors.append(None)
                except SQLAlchemyError as error:
                    self._insert_failed(error, events, rows)
                    errors.append(error)
            return errors

    def _insert(self, events: Sequence[AuditEvent], rows: Companions = ()) -> None:
        with begin_write(self._engine) as conn:
            if rows:
                queue = InsertQueue()
                append(conn, events, queue)
                for table, table_rows in rows:
                    queue.add(table, table_rows)
                queue.flush(conn)  # one pipeline on PostgreSQL
            else:
                append(conn, events)
        self.commits += 1
        AUDIT_COMMITS.inc()
        AUDIT_INSERTED.inc(len(events))
        if self.health.clear("insert"):
            log.info("audit inserts recovered")

    def _insert_failed(
        self, error: BaseException, events: Sequence[AuditEvent], rows: Companions = ()
    ) -> None:
        """Keep ``events`` for a retry, log, count, and mark the audit log degraded."""
        with self._lock:
            self._buffer[:0] = events
            self._rows[:0] = rows
            kept = len(self._buffer)
            AUDIT_PENDING.set(kept)
        AUDIT_FAILURES.labels("insert").inc()
        self.health.fail("insert", f"audit events could not be committed ({kept} kept)")
        log.error(
            "audit insert failed; events kept for retry",
            extra={"events": len(events), "kept": kept, "error": repr(error)},
        )

    def flush(self) -> int:
        """Commit what the buffer holds; on failure it is kept, and 0 is returned."""
        with self._flush_lock:
            with self._lock:
                events, self._buffer = self._buffer, []
                rows, self._rows = self._rows, []
            if not events:
                return 0
            try:
                self._insert(events, rows)
            except SQLAlchemyError as error:
                self._insert_failed(error, events, rows)
                return 0
            with self._lock:
                AUDIT_PENDING.set(len(self._buffer))
            return len(events)

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._buffer)

    # -- chaining --------------------------------------------------------------------------

    def chain(self) -> int:
        """Link every unchained row, oldest first; returns how many were linked.

        Refusals and failures are logged, counted and shown by :attr:`health`, not raised:
        callers such as ``audit verify`` must still be able to run and say what is wrong.
        """
        linked = 0
        with self._chain_lock:
            try:
                while done := chain_batch(self._engine, self._checkpoint):
                    linked += done
                    AUDIT_APPENDS.inc(done)
            except ChainRefused as refusal:
                AUDIT_CHAIN_REFUSED.inc()
                if self.health.fail("chain", f"chaining refused: {refusal}"):
                    log.error("audit chaining refused", extra={"reason": str(refusal)})
            except (SQLAlchemyError, OSError) as error:
                AUDIT_FAILURES.labels("chain").inc()
                if self.health.fail("chain", f"chaining failed: {error!r}"):
                    log.error("audit chaining failed", extra={"error": repr(error)})
            else:
                if self.health.clear("chain"):
                    log.info("audit chaining resumed")
        self.appended += linked
        return linked

    def chain_within(self, conn: Connection) -> Link | None:
        """Link unchained rows inside the caller's write transaction (a bulk import's batch).

        A bulk load inserts events faster than a chainer running beside it links them; linked
        in the batch that inserted them, an import's events are never unchained once committed.
        Returns the new head, for :meth:`witness` once the commit is durable. A refusal links
        nothing and is left to the chainer, which logs and reports it; a store without a chain
        yet is left to the chainer too (only it may race another process to start one).
        """
        try:
            linked, head = link_unchained(conn, self._checkpoint, start_chain=False)
        except ChainRefused:
            return None
        if linked:
            AUDIT_APPENDS.inc(linked)
            self.appended += linked
        return head

    def witness(self, head: Link | None) -> None:
        """Append ``head`` (from :meth:`chain_within`) to the checkpoint log.

        Only once its transaction is durable (a synced commit, its own or a later one): a
        checkpoint must never name a head that a power loss could take back.
        """
        if head is None:
            return
        try:
            append_head(self._checkpoint, head.chain_seq, head.hash)
        except OSError as error:
            # As the chainer's own append: the rows stay linked, the next append covers them.
            AUDIT_FAILURES.labels("chain").inc()
            if self.health.fail("chain", f"checkpoint append failed: {error!r}"):
                log.error("audit checkpoint append failed", extra={"error": repr(error)})

    @property
    def refusal(self) -> str | None:
        """Why chaining is stopped, if it is."""
        return self.health.problems().get("chain")

    def sync(self) -> None:
        """Commit buffered events and chain everything: call before answering an auditor."""
        self.flush()
        self.chain()

    # -- background ------------------------------------------------------------------------

    def start(self, interval: float = 0.5) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(
                target=self._run, args=(interval,), daemon=True, name="audit"
            )
            self._thread.start()

    @contextmanager
    def chaining(self, interval: float = 0.5) -> Iterator[None]:
        """Chain in the background for the duration (a bulk load), unless already running.

        A CLI import runs no server: without this its events would wait, unchained, for
        the end of the load; with it the unchained window stays that of one chainer run.
        """
        started = self._thread is None
        if started:
            self.start(interval)
        try:
            yield
        finally:
            if started:
                self.stop()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self.sync()
        if self.pending:
            log.error("audit events lost at shutdown", extra={"events": self.pending})

    def _run(self, interval: float) -> None:
        while not self._stop.wait(interval):
            # flush() and chain() handle the failures they expect; anything else is a bug,
            # which must not kill the thread (nothing would be chained again) nor go unseen.
            try:
                self.sync()
            except Exception as error:
                AUDIT_FAILURES.labels("background").inc()
                self.health.fail("background", f"audit background run failed: {error!r}")
                log.exception("audit background run failed")
            else:
                self.health.clear("background")

    def head(self) -> Checkpoint:
        return self._checkpoint

    @property
    def last_checkpoint(self) -> tuple[int, str] | None:
        return read_checkpoint(self._checkpoint)
