"""Retention: remove records whose ``purge_after`` date has passed, and say so in the audit log.

Purging is the one deletion the platform allows (DESIGN §4), so each removed record leaves an
audit event (record id, type, owning agency) written in the same transaction as the delete:
either both happen or neither. A ``purged`` outbox event tells consumers (inquiry indexes,
subscriptions) to forget the record.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import ColumnElement, Connection, delete, func, insert, select

from plataforma.context import Platform
from plataforma.errors import Forbidden
from plataforma.security import policy
from plataforma.security.audit import AuditAction, AuditEvent, append
from plataforma.security.principal import Principal
from plataforma.store.engine import begin_write
from plataforma.store.outbox import note_written
from plataforma.store.rows import outbox_row
from plataforma.store.tables import outbox, record_keys, record_versions, records

BATCH = 1000


@dataclass(slots=True)
class PurgeSummary:
    before: date
    dry_run: bool
    by_type: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.by_type.values())


def _expired(before: date) -> ColumnElement[bool]:
    return records.c.purge_after < before


def count_expired(platform: Platform, before: date) -> Counter[str]:
    query = (
        select(records.c.record_type, func.count())
        .where(_expired(before))
        .group_by(records.c.record_type)
    )
    with platform.engine.connect() as conn:
        return Counter({row[0]: int(row[1]) for row in conn.execute(query)})


def purge_expired(
    platform: Platform, principal: Principal, before: date | None = None, dry_run: bool = False
) -> PurgeSummary:
    """Remove (or with ``dry_run`` only count) records whose purge date is before ``before``."""
    decision = policy.can_administer(principal)
    if not decision:
        raise Forbidden(decision.reason)
    summary = PurgeSummary(before or datetime.now(UTC).date(), dry_run)
    if dry_run:
        summary.by_type = count_expired(platform, summary.before)
        return summary
    while True:
        with begin_write(platform.engine) as conn:
            done = _purge_batch(conn, principal, summary)
        if done < BATCH:
            return summary


def _purge_batch(conn: Connection, principal: Principal, summary: PurgeSummary) -> int:
    found = conn.execute(
        select(
            records.c.id,
            records.c.record_type,
            records.c.agency,
            records.c.marking,
            records.c.version,
            records.c.purge_after,
        )
        .where(_expired(summary.before))
        .order_by(records.c.id)
        .limit(BATCH)
    ).all()
    if not found:
        return 0
    ids = [row.id for row in found]
    conn.execute(delete(record_keys).where(record_keys.c.record_id.in_(ids)))
    conn.execute(delete(record_versions).where(record_versions.c.record_id.in_(ids)))
    conn.execute(delete(records).where(records.c.id.in_(ids)))
    now = datetime.now(UTC)
    note_written(conn)
    conn.execute(
        insert(outbox),
        [
            outbox_row(
                row.record_type, row.agency, row.marking, row.id, row.version, "purged", [], now
            )._asdict()
            for row in found
        ],
    )
    append(
        conn,
        [
            AuditEvent.of(
                principal,
                AuditAction.PURGE,
                record_type=row.record_type,
                record_id=row.id,
                detail={"record_agency": row.agency, "purge_after": str(row.purge_after)},
                at=now,
            )
            for row in found
        ],
    )
    summary.by_type.update(row.record_type for row in found)
    return len(found)
