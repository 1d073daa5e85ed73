"""Bulk import: rows in, records out, in batches that commit as they go.

Each batch is one transaction holding its records, versions, keys, outbox events, one audit
event per record and the job's counts. A crash loses at most the batch in flight, and a rerun
resumes without doubling anything because writes are idempotent on (agency, record type,
source_ref) and identical content makes no new version.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from plataforma.context import Platform
from plataforma.ingest.batch import Malformed, Numbered, Owners, PreparedBatch, Reject
from plataforma.ingest.gcpause import collect_young, paused_gc
from plataforma.ingest.jobs import Counts, JobStatus, finish_job, record_progress, start_job
from plataforma.ingest.parallel import BatchPreparer, default_workers
from plataforma.metrics import IMPORTED, REJECTED
from plataforma.records.service import overwrite_guard, stored_facts
from plataforma.security import policy
from plataforma.security.agencies import registered_codes
from plataforma.security.audit import AuditAction, AuditEvent, Outcome
from plataforma.security.audit_chain import Link
from plataforma.security.principal import Principal
from plataforma.store import rows
from plataforma.store.bulk import EncodedRecord, PlannerStatistics, bulk_write
from plataforma.store.dialect import dialect_for
from plataforma.store.engine import begin_write
from plataforma.store.tables import audit_log
from plataforma.store.writer import ReplaceRefused, WriteResult

DEFAULT_BATCH_SIZE = 5000
# The longest a batch's linked audit head waits for a synced commit before it is witnessed in
# the checkpoint log: batches commit relaxed, and the first batch after this long commits
# synced (which, the log being sequential, makes every earlier batch durable too).
WITNESS_SECONDS = 2.0
# The rejects-file reason for a row whose source_ref names a record the importer may not
# replace; it does not say that the record exists, nor anything about it (the audit does).
NOT_WRITABLE = "source_ref: not writable by you"


class RejectSink(Protocol):
    """Where rejected rows go (a rejects file); ``row`` is what the loader was given."""

    def write(self, line: int, row: Mapping[str, Any] | Malformed, reason: str) -> None: ...


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """``rows_read == created + updated + unchanged + rejected + duplicates``.

    ``duplicates`` counts rows superseded by a later row with the same source_ref in the same
    batch (the later one is written); a repeat in a later batch is an update or unchanged.
    """

    job_id: str
    rows_read: int
    created: int
    updated: int
    unchanged: int
    rejected: int
    duplicates: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.rows_read / self.seconds if self.seconds else 0.0


def _batches(rows: Iterable[Numbered], size: int) -> Iterator[list[Numbered]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


class BulkLoader:
    """Imports rows of one record type as ``principal``; safe to rerun on the same file."""

    #: Link each batch's audit events in the batch's own transaction, so none stays
    #: unchained once committed. False: the events are left to the chainer running beside
    #: the load (the benchmark's comparison).
    chain_batches = True

    def __init__(self, platform: Platform, principal: Principal, workers: int | None = None):
        self.platform = platform
        self.principal = principal
        self.workers = default_workers() if workers is None else workers
        self._statistics = PlannerStatistics()
        self._guard = overwrite_guard(principal)
        self._unwitnessed: Link | None = None  # linked in a batch not yet known to be durable
        self._synced_at = 0.0

    def load(
        self,
        record_type: str,
        rows: Iterable[Numbered],
        *,
        default_agency: str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        on_progress: Callable[[Counts], None] | None = None,
        rejects: RejectSink | None = None,
        source: str = "<rows>",
    ) -> ImportSummary:
        started = time.perf_counter()
        self._synced_at = time.monotonic()
        with self.platform.engine.connect() as conn:
            owners = Owners(registered_codes(conn), self.principal.agency)
        owners.require(default_agency)  # before the job exists: nothing was imported
        job_id = start_job(self.platform.engine, record_type, source, self.principal.username)
        counts = Counts()
        preparer = BatchPreparer(self.workers)
        status = JobStatus.FAILED
        try:
            batches = preparer.map(
                record_type, self.principal, default_agency, _batches(rows, batch_size), owners
            )
            with paused_gc(), self.platform.audit.chaining():
                for number, (source_rows, prepared) in enumerate(batches, 1):
                    self._store_batch(job_id, record_type, source_rows, prepared, counts, rejects)
                    if number % 8 == 0:
                        collect_young()
                    if on_progress:
                        on_progress(counts)
            status = JobStatus.DONE
        finally:
            preparer.close()
            finish_job(self.platform.engine, job_id, counts, status)  # a synced commit
            self._witness()
            self._audit_job(job_id, record_type, source, counts, status)
        return ImportSummary(
            job_id,
            counts.rows_read,
            counts.created,
            counts.updated,
            counts.unchanged,
            counts.rejected,
            counts.duplicates,
            time.perf_counter() - started,
        )

    def _store_batch(
        self,
        job_id: str,
        record_type: str,
        source_rows: list[Numbered],
        prepared: PreparedBatch,
        counts: Counts,
        rejects: RejectSink | None,
    ) -> None:
        self._reject(record_type, source_rows, prepared.rejects, rejects)
        items, duplicates = _last_per_key(prepared.records)
        after = Counts(**vars_of(counts))  # becomes ``counts`` only once the batch commits
        after.rows_read += len(source_rows)
        after.rejected += len(prepared.rejects)
        after.duplicates += duplicates
        while True:
            try:
                results = self._write(job_id, [item for _, item in items], after)
                break
            except ReplaceRefused as error:  # rolled back: set those rows aside, write the rest
                kept = self._refuse(record_type, source_rows, items, error, rejects)
                if len(kept) == len(items):
                    raise
                after.rejected += len(items) - len(kept)
                items = kept
        for name, value in vars_of(after).items():
            setattr(counts, name, value)
        for outcome in ("created", "updated", "unchanged"):
            done = sum(1 for r in results if r.outcome == outcome)
            if done:
                IMPORTED.labels(record_type, outcome).inc(done)

    def _write(
        self, job_id: str, records: list[EncodedRecord], counts: Counts
    ) -> list[WriteResult]:
        """One transaction: the records, their audit events and the job's new counts.

        ``counts`` already holds this batch's reads and rejects; its outcomes are added only
        once the transaction commits, so a retry does not count twice.
        """
        for attempt in (1, 2):
            now = datetime.now(UTC)
            try:
                # Relaxed, except every WITNESS_SECONDS: a checkpoint must never name a head
                # that a power loss could undo, so a linked head is witnessed only once a
                # synced commit has made its batch durable.
                synced = time.monotonic() - self._synced_at >= WITNESS_SECONDS
                with begin_write(self.platform.engine, synced=synced) as conn:
                    results = (
                        bulk_write(conn, records, self.principal.username, now, self._guard)
                        if records
                        else []
                    )
                    if results:
                        self._audit_writes(conn, job_id, now, results)
                    record_progress(conn, job_id, _plus(counts, results))
                    self._statistics.note(conn, len(results))
                    head = self.platform.audit.chain_within(conn) if self.chain_batches else None
                self._unwitnessed = head or self._unwitnessed
                if synced:
                    self._witness()
                break
            except IntegrityError:
                # Another writer created one of these source_refs after our lookup; the retry
                # sees it as existing and updates it (or leaves it unchanged).
                if attempt == 2:
                    raise
        for result in results:
            setattr(counts, str(result.outcome), getattr(counts, str(result.outcome)) + 1)
        return results

    def _witness(self) -> None:
        """Witness the last linked head: every batch up to here is durable now."""
        self.platform.audit.witness(self._unwitnessed)
        self._unwitnessed = None
        self._synced_at = time.monotonic()

    def _audit_writes(
        self, conn: Connection, job_id: str, now: datetime, results: list[WriteResult]
    ) -> None:
        """One ``import`` event per record, in the batch's transaction, by the bulk insert."""
        events = [
            AuditEvent.of(
                self.principal,
                AuditAction.IMPORT,
                record_type=result.record_type,
                record_id=result.id,
                detail={"version": result.version, "outcome": str(result.outcome), "job": job_id},
                at=now,
            )
            for result in results
        ]
        dialect = dialect_for(conn)
        columns, values = rows.driver_rows(dialect, audit_log, [e.row() for e in events])
        dialect.insert_rows(conn, audit_log, columns, values)

    def _reject(
        self,
        record_type: str,
        source_rows: list[Numbered],
        found: list[Reject],
        sink: RejectSink | None,
    ) -> None:
        if not found:
            return
        originals = dict(source_rows)
        denied: list[AuditEvent] = []  # one audit commit per batch, not one per row
        for reject in found:
            if sink is not None:
                sink.write(reject.line, originals[reject.line], reject.reason)
            if reject.denied:
                denied.append(self._denied(record_type, reject.line, reject.reason))
        self.platform.audit.record_many(denied)
        REJECTED.labels(record_type).inc(len(found))

    def _denied(
        self, record_type: str, line: int, reason: str, record_id: str | None = None
    ) -> AuditEvent:
        """The event of a row the importer was refused (by the policy or the write guard)."""
        return AuditEvent.of(
            self.principal,
            AuditAction.IMPORT,
            Outcome.DENIED,
            record_type=record_type,
            record_id=record_id,
            detail={"line": line, "reason": reason},
        )

    def _refuse(
        self,
        record_type: str,
        source_rows: list[Numbered],
        items: list[tuple[int, EncodedRecord]],
        error: ReplaceRefused,
        sink: RejectSink | None,
    ) -> list[tuple[int, EncodedRecord]]:
        """Reject the rows that would replace records the importer may not read; the rest."""
        refused = {(f.agency, f.record_type, f.source_ref): f for f in error.refused}
        originals = dict(source_rows)
        kept = []
        denied = []
        for line, item in items:
            existing = refused.get(item.natural_key)
            if existing is None:
                kept.append((line, item))
                continue
            if sink is not None:
                sink.write(line, originals[line], NOT_WRITABLE)
            reason = policy.can_overwrite(self.principal, stored_facts(existing)).reason
            denied.append(self._denied(record_type, line, reason, existing.id))
        # One durable group commit for the batch's refusals, not one wait per row.
        self.platform.audit.record_many(denied)
        REJECTED.labels(record_type).inc(len(items) - len(kept))
        return kept

    def _audit_job(
        self, job_id: str, record_type: str, source: str, counts: Counts, status: JobStatus
    ) -> None:
        self.platform.audit.record(
            AuditEvent.of(
                self.principal,
                AuditAction.IMPORT,
                Outcome.OK if status is JobStatus.DONE else Outcome.FAILED,
                record_type=record_type,
                detail={"job": job_id, "source": source, "status": str(status), **vars_of(counts)},
            )
        )
        self.platform.audit.flush()


def vars_of(counts: Counts) -> dict[str, int]:
    return {**counts.columns(), "duplicates": counts.duplicates}


def _plus(counts: Counts, results: list[WriteResult]) -> Counts:
    total = Counts(**vars_of(counts))
    for result in results:
        setattr(total, str(result.outcome), getattr(total, str(result.outcome)) + 1)
    return total


def _last_per_key(
    records: list[tuple[int, EncodedRecord]],
) -> tuple[list[tuple[int, EncodedRecord]], int]:
    """Keep the last row per natural key, in file order; count the rows it superseded."""
    last: dict[tuple[str, str, str], tuple[int, EncodedRecord]] = {}
    for line, item in records:
        last.pop(item.natural_key, None)
        last[item.natural_key] = (line, item)
    return list(last.values()), len(records) - len(last)
