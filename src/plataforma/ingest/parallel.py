"""Prepare batches in worker processes while the main process writes the previous ones.

Validation and preparation cost about three times what the write costs, and pydantic holds
the GIL, so threads do not help: on two cores a process pool roughly doubles throughput on
large files (measured by ``bench/bulk_import.py``). Batches come back in submission order,
with at most ``workers * 2`` in flight so memory stays bounded on any file size.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from functools import partial

from plataforma.ingest.batch import Malformed, Numbered, Owners, PreparedBatch, prepare_batch
from plataforma.ingest.gcpause import collect_young, paused_gc
from plataforma.security.principal import Principal

IN_FLIGHT_PER_WORKER = 2


def default_workers() -> int:
    """One worker per core besides the one the main process writes on.

    On two cores one worker beat two (18k against 16k persons/s): the writer needs a core of
    its own, and a third process only adds switching.
    """
    return max(1, (os.cpu_count() or 1) - 1)


def _plain(rows: list[Numbered]) -> list[Numbered]:
    # Readers hand out dict subclasses that remember the source text; workers need the values.
    return [(line, row if isinstance(row, Malformed) else dict(row)) for line, row in rows]


def _prepare_quietly(
    record_type: str,
    principal: Principal,
    default_agency: str | None,
    owners: Owners,
    rows: list[Numbered],
) -> PreparedBatch:
    """:func:`prepare_batch` with the cyclic collector paused (see :mod:`gcpause`)."""
    with paused_gc():
        batch = prepare_batch(record_type, principal, default_agency, rows, owners=owners)
    collect_young()
    return batch


class BatchPreparer:
    """Maps :func:`prepare_batch` over batches, in this process or in a pool."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: Executor | None = None
        if workers >= 1:  # 0: prepare in this process
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            self._pool = ProcessPoolExecutor(
                workers, mp_context=multiprocessing.get_context(method)
            )

    def map(
        self,
        record_type: str,
        principal: Principal,
        default_agency: str | None,
        batches: Iterable[list[Numbered]],
        owners: Owners,
    ) -> Iterator[tuple[list[Numbered], PreparedBatch]]:
        """Yield each batch with what it became, in order."""
        work = partial(_prepare_quietly, record_type, principal, default_agency, owners)
        if self._pool is None:
            for rows in batches:
                yield rows, work(rows)
            return
        pending: deque[tuple[list[Numbered], Future[PreparedBatch]]] = deque()
        for rows in batches:
            pending.append((rows, self._pool.submit(work, _plain(rows))))
            if len(pending) >= self.workers * IN_FLIGHT_PER_WORKER:
                done_rows, future = pending.popleft()
                yield done_rows, future.result()
        while pending:
            done_rows, future = pending.popleft()
            yield done_rows, future.result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
