"""A failed audit insert loses nothing, is logged and counted, and turns /healthz degraded.

Issue 7 defect 1: ``flush`` took the events out of the buffer before inserting them and the
background loop swallowed every exception, so a failed insert lost its events without trace.
The failure here is real: the audit table is renamed away under the running platform.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY
from sqlalchemy import func, select, text

from conftest import token_for
from plataforma.context import Platform
from plataforma.security.audit import AuditAction, AuditEvent, AuditLog, AuditUnavailable
from plataforma.store.tables import audit_log

INCIDENT = {
    "source_ref": "FAIL-1",
    "folio": "F-FAIL-1",
    "occurred_at": "2024-03-01T10:00:00",
    "place": {"state": "14"},
    "crime_types": ["robo_a_negocio"],
}


def _failures() -> float:
    return REGISTRY.get_sample_value("plataforma_audit_failures_total", {"stage": "insert"}) or 0


def _stored(platform: Platform, actor: str) -> int:
    with platform.engine.connect() as conn:
        query = select(func.count()).select_from(audit_log).where(audit_log.c.actor == actor)
        return int(conn.execute(query).scalar_one())


@pytest.fixture
def table_away(platform: Platform) -> Iterator[None]:
    """The audit table renamed away (a real failure on both engines) and back afterwards."""
    with platform.engine.begin() as conn:
        conn.execute(text("ALTER TABLE audit_log RENAME TO audit_log_away"))
    yield
    _bring_back(platform)


def _bring_back(platform: Platform) -> None:
    with platform.engine.begin() as conn:
        exists = conn.execute(
            text(
                "SELECT count(*) FROM sqlite_master WHERE name = 'audit_log_away'"
                if platform.dialect == "sqlite"
                else "SELECT count(*) FROM pg_tables WHERE tablename = 'audit_log_away'"
            )
        ).scalar_one()
        if exists:
            conn.execute(text("ALTER TABLE audit_log_away RENAME TO audit_log"))


def test_a_buffered_flush_that_fails_keeps_its_events(
    platform: Platform, table_away: None, caplog: pytest.LogCaptureFixture
) -> None:
    audit = AuditLog(platform.engine, platform.settings.checkpoint_path, durable=False)
    audit.record(AuditEvent("kept-1", "SSPC", AuditAction.QUERY))
    failures = _failures()
    with caplog.at_level(logging.ERROR, logger="plataforma.security.audit"):
        assert audit.flush() == 0
    assert audit.pending == 1
    assert _failures() == failures + 1
    assert "audit insert failed" in caplog.text
    assert "insert" in audit.health.problems()
    _bring_back(platform)
    assert audit.flush() == 1
    assert _stored(platform, "kept-1") == 1
    assert audit.health.problems() == {}


def test_a_durable_record_that_fails_refuses_and_keeps_the_event(
    platform: Platform, table_away: None
) -> None:
    failures = _failures()
    with pytest.raises(AuditUnavailable):
        platform.audit.record(AuditEvent("kept-2", "SSPC", AuditAction.READ))
    assert platform.audit.pending == 1
    assert _failures() == failures + 1
    _bring_back(platform)
    platform.audit.sync()
    assert _stored(platform, "kept-2") == 1
    assert platform.audit.health.problems() == {}


def test_a_failing_audit_log_refuses_reads_and_turns_healthz_degraded(
    client: TestClient, world: Platform
) -> None:
    officer = token_for(client, "officer")
    record_id = client.post("/api/v1/records/incident", json=INCIDENT, headers=officer).json()["id"]
    headers = {**officer, "X-Purpose": "investigation"}
    assert client.get("/healthz").status_code == 200
    with world.engine.begin() as conn:
        conn.execute(text("ALTER TABLE audit_log RENAME TO audit_log_away"))
    try:
        reply = client.get(f"/api/v1/records/incident/{record_id}", headers=headers)
        assert reply.status_code == 503
        assert reply.headers["content-type"].startswith("application/problem+json")
        assert "F-FAIL-1" not in reply.text  # nothing answered that is not on record
        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.json()["status"] == "degraded" and "insert" in health.json()["problems"]
        metrics = client.get("/metrics").text
        assert 'plataforma_audit_failures_total{stage="insert"}' in metrics
    finally:
        _bring_back(world)
    world.audit.sync()
    assert client.get("/healthz").status_code == 200
    assert client.get(f"/api/v1/records/incident/{record_id}", headers=headers).status_code == 200
