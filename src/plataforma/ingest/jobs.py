"""The ``import_jobs`` row that reports a long import's progress to the API and to operators.

Counts are written in the same transaction as the batch they describe, so a job row never
claims more than the store holds, even after a crash.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import Connection, Engine, insert, select, update

from plataforma.store.ids import uuid7
from plataforma.store.tables import import_jobs


class JobStatus(StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(slots=True)
class Counts:
    """Every row read ends in exactly one of the other counters."""

    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    duplicates: int = 0

    def columns(self) -> dict[str, int]:
        """The counters ``import_jobs`` has columns for (duplicates = the remainder)."""
        values = asdict(self)
        del values["duplicates"]
        return values


def start_job(engine: Engine, record_type: str, source: str, actor: str) -> str:
    job_id = uuid7()
    with engine.begin() as conn:
        conn.execute(
            insert(import_jobs).values(
                id=job_id,
                record_type=record_type,
                source=source,
                started_by=actor,
                started_at=datetime.now(UTC),
                status=str(JobStatus.RUNNING),
                **Counts().columns(),
            )
        )
    return job_id


def record_progress(conn: Connection, job_id: str, counts: Counts) -> None:
    conn.execute(update(import_jobs).where(import_jobs.c.id == job_id).values(**counts.columns()))


def finish_job(engine: Engine, job_id: str, counts: Counts, status: JobStatus) -> None:
    """Close the job with a synced commit: it makes every batch of the load durable."""
    with engine.begin() as conn:
        conn.execute(
            update(import_jobs)
            .where(import_jobs.c.id == job_id)
            .values(status=str(status), finished_at=datetime.now(UTC), **counts.columns())
        )


def get_job(engine: Engine, job_id: str) -> dict[str, object] | None:
    with engine.connect() as conn:
        row = conn.execute(select(import_jobs).where(import_jobs.c.id == job_id)).first()
    return dict(row._mapping) if row else None
