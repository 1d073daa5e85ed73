"""The outbox relay: publishes committed outbox rows to the bus, in id order, and marks them.

Woken right after a commit that wrote outbox rows (:func:`store.outbox.after_outbox_commit`),
so an event reaches the bus within milliseconds of its record's commit; a periodic sweep also
finds rows it was not woken for (written by another process, or left by a broker outage).

A pass claims a batch of unpublished rows (on PostgreSQL ``FOR UPDATE SKIP LOCKED``, so the
relays of several workers never publish the same rows at once; SQLite has one writer), hands
them to the bus, and marks them published in the same transaction. If the bus refuses, the
transaction rolls back and the rows wait for the next attempt: a broker outage delays events
and loses none. A crash between the publication and the mark publishes them again, which the
broker's deduplication (NATS ``Nats-Msg-Id`` = outbox id) and idempotent consumers absorb.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import SQLAlchemyError

from plataforma.metrics import OUTBOX_UNPUBLISHED, RELAY_FAILURES, RELAY_LAG, RELAY_PUBLISHED
from plataforma.realtime.bus import Bus, BusUnavailable
from plataforma.realtime.events import RecordEvent
from plataforma.store.dialect import dialect_for
from plataforma.store.engine import begin_write
from plataforma.store.outbox import after_outbox_commit
from plataforma.store.tables import outbox

log = logging.getLogger(__name__)

BATCH = 500
_MAX_PAUSE = 2.0


class OutboxRelay:
    """One relay per server process; ``wake_on_commit=False`` is the naive poller (benchmark)."""

    def __init__(
        self, engine: Engine, bus: Bus, sweep_seconds: float, *, wake_on_commit: bool = True
    ) -> None:
        self._engine = engine
        self._bus = bus
        self._sweep = sweep_seconds
        self._wake_on_commit = wake_on_commit
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._unhook: Callable[[], None] = _nothing
        self.published = 0
        self.problem = ""

    def start(self) -> None:
        if self._wake_on_commit:
            self._unhook = after_outbox_commit(self._engine, self.kick)
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="outbox-relay", daemon=True)
        self._thread.start()
        self.kick()  # rows left by the last run or by other processes

    def stop(self) -> None:
        self._unhook()
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def kick(self) -> None:
        """Publish soon (called on the writer's thread after its commit: only wakes)."""
        self._wake.set()

    def _run(self) -> None:
        pause = 0.0
        next_sweep = time.monotonic()
        while not self._stopping.is_set():
            self._wake.wait(timeout=pause or max(0.0, next_sweep - time.monotonic()))
            self._wake.clear()
            if self._stopping.is_set():
                return
            try:
                while self.publish_pending() == BATCH:
                    pass
                if time.monotonic() >= next_sweep:
                    next_sweep = time.monotonic() + self._sweep
                    OUTBOX_UNPUBLISHED.set(self.unpublished())
                self.problem, pause = "", 0.0
            except BusUnavailable as error:
                pause = self._failed("bus", f"bus unavailable: {error}", pause)
            except SQLAlchemyError as error:
                pause = self._failed("database", f"database: {error.__class__.__name__}", pause)

    def _failed(self, reason: str, problem: str, pause: float) -> float:
        RELAY_FAILURES.labels(reason).inc()
        if problem != self.problem:
            log.warning("outbox relay: %s; events wait in the outbox", problem)
        self.problem = problem
        return min(max(pause * 2, 0.05), _MAX_PAUSE)

    def publish_pending(self) -> int:
        """One pass: publish up to :data:`BATCH` unpublished rows; how many were published."""
        if not self._any_unpublished():  # a plain read: no write lock for an idle sweep
            return 0
        with begin_write(self._engine, synced=False) as conn:
            # synced=False: losing the mark in a crash only publishes the rows again.
            claim = dialect_for(conn).claim_rows(
                select(outbox).where(outbox.c.published_at.is_(None)).order_by(outbox.c.id)
            )
            rows = conn.execute(claim.limit(BATCH)).all()
            if not rows:
                return 0
            events = [RecordEvent.from_row(dict(row._mapping)) for row in rows]
            self._bus.publish(events)
            now = datetime.now(UTC)
            conn.execute(
                update(outbox)
                .where(outbox.c.id.in_([event.outbox_id for event in events]))
                .values(published_at=now)
            )
        RELAY_PUBLISHED.inc(len(events))
        for event in events:
            created = event.created_at
            if created.tzinfo is None:  # SQLite hands back naive UTC
                created = created.replace(tzinfo=UTC)
            RELAY_LAG.observe(max(0.0, (now - created).total_seconds()))
        self.published += len(events)
        return len(events)

    def _any_unpublished(self) -> bool:
        with self._engine.connect() as conn:
            query = select(outbox.c.id).where(outbox.c.published_at.is_(None)).limit(1)
            return conn.execute(query).first() is not None

    def unpublished(self) -> int:
        with self._engine.connect() as conn:
            return int(
                conn.scalar(
                    select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
                )
                or 0
            )


def _nothing() -> None:
    """Unhooked: nothing to undo."""
