"""Verification and search of the audit log.

Verification recomputes every link in chain order, each row under its own canonical form
(``chain_version``): a changed row breaks its own hash, a deleted row leaves a gap in the
sequence. Every head in the checkpoint log outside the database must still be in the chain
with the same hash, so a truncation or a rewrite of history shows even when the attacker
re-chained the rows after it; and a checkpoint log whose heads go backwards (a rewound
witness) is reported too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from plataforma.security.audit import GENESIS, row_hash
from plataforma.security.checkpoint import Checkpoint, Head, read_log
from plataforma.store.tables import audit_head, audit_log


@dataclass
class VerifyReport:
    checked: int = 0
    unchained: int = 0
    checkpoints: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _witness_problems(heads: list[Head], seen: dict[int, str], last_seq: int) -> list[str]:
    """Each checkpointed head against what the chain holds at its sequence number."""
    problems: list[str] = []
    for head in heads:
        found = seen.get(head.chain_seq)
        if found is None:
            problems.append(
                f"the chain ends at {last_seq} but was checkpointed at {head.chain_seq} "
                f"(checkpoint line {head.line}; truncated)"
                if head.chain_seq > last_seq
                else f"row {head.chain_seq} checkpointed at line {head.line} is missing"
            )
        elif found != head.hash:
            problems.append(
                f"row {head.chain_seq} differs from the checkpointed head at line "
                f"{head.line} (rewritten)"
            )
    return problems


def verify_chain(
    conn: Connection, checkpoint: Checkpoint, limit_problems: int = 20
) -> VerifyReport:
    report = VerifyReport()
    witness = read_log(checkpoint)
    report.checkpoints = len(witness.heads)
    for line in witness.unreadable:
        report.problems.append(f"checkpoint line {line} is unreadable")
    for earlier, later in witness.rewinds():
        report.problems.append(
            f"the checkpoint log was rewound: line {later.line} names head {later.chain_seq} "
            f"after line {earlier.line} named {earlier.chain_seq}"
        )
    wanted = {head.chain_seq for head in witness.heads}
    seen: dict[int, str] = {}
    prev, expected_seq = GENESIS, 1
    query = (
        select(audit_log).where(audit_log.c.chain_seq.is_not(None)).order_by(audit_log.c.chain_seq)
    )
    for row in conn.execution_options(yield_per=10_000).execute(query):
        if row.chain_seq != expected_seq:
            report.problems.append(
                f"rows {expected_seq}..{row.chain_seq - 1} of the chain are missing (deleted)"
            )
            expected_seq = row.chain_seq
        try:
            intact = row.prev_hash == prev and (
                row_hash(prev, row.chain_seq, row, row.chain_version) == row.hash
            )
        except ValueError:  # an unknown form version: the column itself was tampered with
            intact = False
        if not intact:
            report.problems.append(f"row {row.chain_seq} (id {row.id}) was altered")
        prev = row.hash
        if row.chain_seq in wanted:
            seen[row.chain_seq] = row.hash
        expected_seq += 1
        report.checked += 1
        if len(report.problems) >= limit_problems:
            report.problems.append("too many problems; stopped")
            return report
    report.problems.extend(_witness_problems(witness.heads, seen, expected_seq - 1))
    if report.checked and not witness.heads:
        report.problems.append(
            f"the database holds a chain of {report.checked} but the checkpoint log has no head"
        )
    head = conn.execute(select(audit_head).where(audit_head.c.id == 1)).first()
    if head is not None and (head.chain_seq, head.hash) != (expected_seq - 1, prev):
        report.problems.append(
            f"the head row says {head.chain_seq} but the chain ends at {expected_seq - 1}"
        )
    del report.problems[limit_problems:]
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
