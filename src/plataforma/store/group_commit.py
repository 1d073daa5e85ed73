"""Group commit: many concurrent writers share one durable commit.

SQLite with ``synchronous=FULL`` pays one fsync per commit and allows one writer at a time, so
one commit per request caps acknowledged writes at the disk's fsync rate. Here the first
writer to reach the commit lock becomes the leader: it runs every queued unit of work in one
transaction (each inside its own savepoint, so one bad unit fails alone) and commits once.
Everyone's reply still waits for that commit: nothing is acknowledged before it is durable.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Engine

from plataforma.store.engine import begin_write

T = TypeVar("T")


@dataclass(eq=False)
class _Pending(Generic[T]):
    work: Callable[[Connection], T]
    done: bool = False
    result: T | None = None
    error: BaseException | None = None
    _: Any = field(default=None, repr=False)


class GroupCommitter:
    """Runs units of work in shared transactions; ``run`` returns after the durable commit."""

    def __init__(self, engine: Engine, max_batch: int = 512) -> None:
        self._engine = engine
        self._max_batch = max_batch
        self._queue: list[_Pending[Any]] = []
        self._queue_lock = threading.Lock()
        self._commit_lock = threading.Lock()
        self.commits = 0
        self.units = 0

    def run(self, work: Callable[[Connection], T]) -> T:
        pending: _Pending[T] = _Pending(work)
        with self._queue_lock:
            self._queue.append(pending)
        while not pending.done:
            with self._commit_lock:
                if pending.done:
                    break
                with self._queue_lock:
                    batch = self._queue[: self._max_batch]
                    del self._queue[: self._max_batch]
                self._execute(batch)
        if pending.error is not None:
            raise pending.error
        return pending.result  # type: ignore[return-value]

    def _execute(self, batch: list[_Pending[Any]]) -> None:
        try:
            with begin_write(self._engine) as conn:
                for pending in batch:
                    try:
                        with conn.begin_nested():
                            pending.result = pending.work(conn)
                    except Exception as error:  # handed to that unit's caller
                        pending.error = error
        except BaseException as error:  # the shared commit failed: nobody was written
            for pending in batch:
                pending.error = pending.error or error
                pending.result = None
        finally:
            self.commits += 1
            self.units += len(batch)
            for pending in batch:
                pending.done = True
