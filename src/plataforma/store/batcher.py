"""Concurrent writes merged into shared upserts and one durable commit.

Each API request writes one record; alone, it pays for six statements and a commit, and on
SQLite (``synchronous=FULL``, one writer) the commit is an fsync that serialises everyone. The
first writer to reach the commit lock becomes the leader: it merges every queued write into
one :func:`write_records` call per actor and one audit insert, and commits once. Replies still
wait for that commit, so nothing is acknowledged before it is durable.

Two writes of the same record never share a round (a later round applies the second on top
of the first, so both versions exist), and if a round fails each of its writes is retried
alone, so one bad write fails only its own request. That includes a write refused because it
would replace a record its caller may not read (each write brings its caller's
``may_replace`` guard; a round asks the guard of the write that owns the record).

The batcher is storage machinery: it knows how to commit writes together, not what an audit
event is. The caller hands it the function that stores events in a transaction (the audit
log's ``append``), which keeps ``store`` below ``security`` in the package graph. Whether it
is used at all is the dialect's call (:attr:`Dialect.group_commit`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Engine

from plataforma.store.engine import begin_write
from plataforma.store.prepare import PreparedRecord
from plataforma.store.writer import MayReplace, StoredFacts, WriteResult, write_records

logger = logging.getLogger(__name__)

Event = TypeVar("Event")
#: Stores events inside the caller's transaction (``security.audit.append``).
AppendEvents = Callable[[Connection, Sequence[Event]], Any]
EventsFor = Callable[[list[WriteResult]], Sequence[Event]]


@dataclass(eq=False)
class _Write(Generic[Event]):
    items: Sequence[PreparedRecord]
    actor: str
    events: EventsFor[Event]
    may_replace: MayReplace | None = None
    done: bool = False
    results: list[WriteResult] | None = None
    error: BaseException | None = None

    def keys(self) -> set[tuple[str, str, str]]:
        return {item.natural_key for item in self.items}


class WriteBatcher(Generic[Event]):
    """``write`` returns once the records and their audit events are durably committed."""

    def __init__(
        self, engine: Engine, append: AppendEvents[Event], max_records: int = 2000
    ) -> None:
        self._engine = engine
        self._append = append
        self._max_records = max_records
        self._queue: list[_Write[Event]] = []
        self._queue_lock = threading.Lock()
        self._commit_lock = threading.Lock()
        self.commits = 0
        self.writes = 0

    def write(
        self,
        items: Sequence[PreparedRecord],
        actor: str,
        events: EventsFor[Event],
        may_replace: MayReplace | None = None,
    ) -> list[WriteResult]:
        pending = _Write(items, actor, events, may_replace)
        with self._queue_lock:
            self._queue.append(pending)
        while not pending.done:
            with self._commit_lock:
                if not pending.done:
                    self._lead()
        if pending.error is not None:
            raise pending.error
        assert pending.results is not None
        return pending.results

    def _lead(self) -> None:
        with self._queue_lock:
            batch: list[_Write[Event]] = []
            taken = 0
            while self._queue and (
                not batch or taken + len(self._queue[0].items) <= self._max_records
            ):
                write = self._queue.pop(0)
                batch.append(write)
                taken += len(write.items)
        for round_ in _rounds(batch):
            self._commit_round(round_)

    def _commit_round(self, round_: list[_Write[Event]]) -> None:
        try:
            with begin_write(self._engine) as conn:
                self._write_together(conn, round_)
            self.commits += 1
        except Exception:
            # Not swallowed: each write is retried alone and a failure reaches its caller.
            logger.warning(
                "merged write of %d requests failed; retrying each alone",
                len(round_),
                exc_info=True,
            )
            for write in round_:
                self._commit_alone(write)
        finally:
            self.writes += len(round_)
            for write in round_:
                write.done = True

    def _commit_alone(self, write: _Write[Event]) -> None:
        try:
            with begin_write(self._engine) as conn:
                self._write_together(conn, [write])
            self.commits += 1
        except Exception as error:  # handed to that write's caller
            write.results, write.error = None, error

    def _write_together(self, conn: Connection, writes: list[_Write[Event]]) -> None:
        by_actor: dict[str, list[_Write[Event]]] = {}
        for write in writes:
            by_actor.setdefault(write.actor, []).append(write)
        for actor, group in by_actor.items():
            results = write_records(
                conn,
                [item for w in group for item in w.items],
                actor,
                may_replace=_guard_of(group),
            )
            position = 0
            for write in group:
                write.results = results[position : position + len(write.items)]
                position += len(write.items)
        self._append(conn, [event for w in writes for event in w.events(w.results or [])])


def _rounds(batch: list[_Write[Event]]) -> list[list[_Write[Event]]]:
    """Split ``batch`` so that no record is written twice in one round; order is kept."""
    rounds: list[list[_Write[Event]]] = []
    seen: list[set[tuple[str, str, str]]] = []
    for write in batch:
        keys = write.keys()
        # After the last round that touches these records, so their writes keep their order.
        start = max((i + 1 for i, used in enumerate(seen) if used & keys), default=0)
        if start < len(rounds):
            rounds[start].append(write)
            seen[start] |= keys
        else:
            rounds.append([write])
            seen.append(set(keys))
    return rounds


def _guard_of(group: list[_Write[Event]]) -> MayReplace | None:
    """One guard for a round: each record is judged by the guard of the write that holds it.

    A round never holds two writes of the same record (see :func:`_rounds`), so the owner of
    a natural key is unique.
    """
    guards: dict[tuple[str, str, str], MayReplace] = {}
    for write in group:
        if write.may_replace is not None:
            guards.update(dict.fromkeys(write.keys(), write.may_replace))
    if not guards:
        return None

    def may_replace(existing: StoredFacts) -> bool:
        guard = guards.get((existing.agency, existing.record_type, existing.source_ref))
        return guard is None or guard(existing)

    return may_replace
