"""Rows committed with an audit event (the inquiry log): same transaction, same durability.

``AuditLog.record(event, rows=...)`` hands the inquiry log to the audit group commit instead
of a commit of its own; the rows must be stored exactly when the event is (durable or
buffered), and kept for the retry when the insert fails.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select, text

from plataforma.context import Platform
from plataforma.model.envelope import Marking
from plataforma.security.audit import AuditAction, AuditEvent, AuditUnavailable
from plataforma.security.principal import Principal, Role
from plataforma.store.tables import audit_log, inquiries, inquiry_keys

OFFICER = Principal("officer", "POL-GDL", frozenset({Role.OFFICER}), Marking.SBU)


def _rows(n: int) -> list[tuple[object, list[dict[str, object]]]]:
    at = datetime.now(UTC)
    inquiry = {
        "id": f"00000000-0000-7000-8000-{n:012d}",
        "at": at,
        "actor": "officer",
        "agency": "POL-GDL",
        "purpose": "patrol",
        "kind": "vehicle",
        "query": {"plate": "JKL123A"},
        "hits": [],
    }
    key = {"kind": "plate", "value": "JKL123A", "inquiry_id": inquiry["id"], "at": at}
    return [(inquiries, [inquiry]), (inquiry_keys, [key])]


def _count(platform: Platform, table: object) -> int:
    with platform.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_rows_are_committed_with_the_event(platform: Platform) -> None:
    event = AuditEvent.of(OFFICER, AuditAction.INQUIRY, purpose="patrol")
    platform.audit.record(event, _rows(1))  # type: ignore[arg-type]
    assert _count(platform, audit_log) == 1
    assert _count(platform, inquiries) == 1 and _count(platform, inquiry_keys) == 1


def test_buffered_rows_go_out_with_the_buffered_events(platform: Platform) -> None:
    platform.audit.durable = False
    platform.audit.record(AuditEvent.of(OFFICER, AuditAction.INQUIRY), _rows(2))  # type: ignore[arg-type]
    assert _count(platform, inquiries) == 0
    assert platform.audit.flush() == 1
    assert _count(platform, inquiries) == 1


def test_a_failed_insert_keeps_the_rows_for_the_retry(platform: Platform) -> None:
    with platform.engine.begin() as conn:
        conn.execute(text("ALTER TABLE inquiries RENAME TO inquiries_away"))
    try:
        event = AuditEvent.of(OFFICER, AuditAction.INQUIRY)
        try:
            platform.audit.record(event, _rows(3))  # type: ignore[arg-type]
        except AuditUnavailable:
            pass
        else:
            raise AssertionError("the inquiry was answered without its log")
        assert platform.audit.pending == 1
    finally:
        with platform.engine.begin() as conn:
            conn.execute(text("ALTER TABLE inquiries_away RENAME TO inquiries"))
    assert platform.audit.flush() == 1
    assert _count(platform, inquiries) == 1 and _count(platform, audit_log) == 1
