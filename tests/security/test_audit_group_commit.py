"""Read and query events are committed before ``record`` returns, concurrent ones together.

Issue 6 finding 5: read events sat in a 0.5 s memory buffer while the answer went out, so a
crash lost the trace of reads already answered. ``AuditLog.record`` now returns only once the
event is committed; concurrent callers share one commit (the first becomes the leader).
"""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from plataforma.context import Platform
from plataforma.security.audit import AuditAction, AuditEvent, AuditLog
from plataforma.store.tables import audit_log

THREADS = 8
EACH = 15


def _count(platform: Platform, actor: str | None = None) -> int:
    query = select(func.count()).select_from(audit_log)
    if actor is not None:
        query = query.where(audit_log.c.actor == actor)
    with platform.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def test_record_returns_only_once_the_event_is_committed(platform: Platform) -> None:
    missing: list[str] = []

    def reader(n: int) -> None:
        for i in range(EACH):
            actor = f"reader-{n}-{i}"
            platform.audit.record(AuditEvent(actor, "SSPC", AuditAction.READ, record_id="r"))
            if _count(platform, actor) != 1:  # read back on another connection at once
                missing.append(actor)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert missing == []
    assert _count(platform) == THREADS * EACH
    assert platform.audit.commits <= THREADS * EACH
    assert platform.audit.pending == 0


def test_the_buffered_mode_kept_for_baselines_commits_only_on_flush(platform: Platform) -> None:
    audit = AuditLog(platform.engine, platform.settings.checkpoint_path, durable=False)
    audit.record(AuditEvent("buffered", "SSPC", AuditAction.READ))
    assert _count(platform, "buffered") == 0
    assert audit.flush() == 1
    assert _count(platform, "buffered") == 1


def test_a_durable_platform_is_the_default(platform: Platform) -> None:
    assert platform.settings.audit_reads_durable is True
    assert platform.audit.durable is True
    platform.audit.record(AuditEvent("at-once", "SSPC", AuditAction.QUERY))
    assert _count(platform, "at-once") == 1


def test_an_overlong_value_is_cut_to_its_column_not_lost(platform: Platform) -> None:
    platform.audit.record(
        AuditEvent("long", "SSPC", AuditAction.READ, record_id="x" * 500, purpose="p" * 100)
    )
    with platform.engine.connect() as conn:
        row = conn.execute(select(audit_log).where(audit_log.c.actor == "long")).one()
    assert len(row.record_id) == 36 and row.record_id.endswith("…")
    assert len(row.purpose) == 32
