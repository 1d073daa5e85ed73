"""Verification and search of the audit log.

Verification recomputes every link in chain order: a changed row breaks its own hash, a
deleted row leaves a gap in the sequence, and a truncation or wholesale rewrite disagrees with
the checkpoint kept outside the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from plataforma.security.audit import GENESIS, row_hash
from plataforma.security.checkpoint import Checkpoint, read_checkpoint
from plataforma.store.tables import audit_log


@dataclass
class VerifyReport:
    checked: int = 0
    unchained: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(
    conn: Connection, checkpoint: Checkpoint, limit_problems: int = 20
) -> VerifyReport:
    report = VerifyReport()
    prev, expected_seq = GENESIS, 1
    hashes_at: dict[int, str] = {}
    saved = read_checkpoint(checkpoint)
    query = (
        select(audit_log).where(audit_log.c.chain_seq.is_not(None)).order_by(audit_log.c.chain_seq)
    )
    for row in conn.execution_options(yield_per=10_000).execute(query):
        if row.chain_seq != expected_seq:
            report.problems.append(
                f"rows {expected_seq}..{row.chain_seq - 1} of the chain are missing (deleted)"
            )
            expected_seq = row.chain_seq
        if row.prev_hash != prev or row_hash(prev, row.chain_seq, row) != row.hash:
            report.problems.append(f"row {row.chain_seq} (id {row.id}) was altered")
        prev = row.hash
        if saved and row.chain_seq == saved[0]:
            hashes_at[row.chain_seq] = row.hash
        expected_seq += 1
        report.checked += 1
        if len(report.problems) >= limit_problems:
            report.problems.append("too many problems; stopped")
            return report
    if saved:
        seq, digest = saved
        if report.checked < seq or seq not in hashes_at:
            report.problems.append(
                f"the chain ends at {expected_seq - 1} but was checkpointed at {seq} (truncated)"
            )
        elif hashes_at[seq] != digest:
            report.problems.append(f"row {seq} differs from the checkpointed head (rewritten)")
    report.unchained = conn.execute(
        select(func.count()).select_from(audit_log).where(audit_log.c.hash.is_(None))
    ).scalar_one()
    return report


@dataclass(frozen=True)
class AuditQuery:
    actor: str | None = None
    agency: str | None = None
    record_id: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 100


def search_audit(conn: Connection, query: AuditQuery) -> list[dict[str, Any]]:
    """Events matching ``query``, newest first: who looked at a record, and why."""
    statement = select(audit_log).order_by(audit_log.c.id.desc()).limit(query.limit)
    if query.actor:
        statement = statement.where(audit_log.c.actor == query.actor)
    if query.agency:
        statement = statement.where(audit_log.c.agency == query.agency)
    if query.record_id:
        statement = statement.where(audit_log.c.record_id == query.record_id)
    if query.action:
        statement = statement.where(audit_log.c.action == query.action)
    if query.since:
        statement = statement.where(audit_log.c.at >= query.since)
    if query.until:
        statement = statement.where(audit_log.c.at < query.until)
    return [dict(row._mapping) for row in conn.execute(statement)]
