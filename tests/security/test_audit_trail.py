"""Every act lands in the audit log, and the chain shows any edit, deletion or truncation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select, update
from typer.testing import CliRunner

from conftest import token_for
from plataforma.cli import audit as audit_cli
from plataforma.context import Platform
from plataforma.security.audit_verify import AuditQuery, search_audit, verify_chain
from plataforma.store.tables import audit_head, audit_log

PURPOSE = {"X-Purpose": "investigation"}
INCIDENT = {
    "source_ref": "AUD-1",
    "folio": "F-AUD-1",
    "occurred_at": "2024-03-01T10:00:00",
    "place": {"state": "14"},
    "crime_types": ["robo_a_negocio"],
}


def _events(platform: Platform, **query: Any) -> list[dict[str, Any]]:
    platform.audit.sync()
    with platform.engine.connect() as conn:
        return search_audit(conn, AuditQuery(limit=1000, **query))


def test_every_kind_of_act_is_recorded_with_who_where_why_and_outcome(
    client: TestClient, world: Platform
) -> None:
    officer = token_for(client, "officer")
    bad = client.post(
        "/api/v1/auth/token", json={"username": "officer", "password": "nope", "totp": "123456"}
    )
    assert bad.status_code == 401
    record_id = client.post("/api/v1/records/incident", json=INCIDENT, headers=officer).json()["id"]
    client.get(f"/api/v1/records/incident/{record_id}", headers={**officer, **PURPOSE})
    client.get("/api/v1/records/incident", headers={**officer, "X-Purpose": "patrol"})
    client.get(f"/api/v1/records/incident/{record_id}", headers=token_for(client, "auditor"))
    client.get("/api/v1/admin/users", headers=token_for(client, "admin"))
    expected = {
        ("login", "officer", "ok", None),
        ("login", "officer", "denied", None),
        ("write", "officer", "ok", None),
        ("read", "officer", "ok", "investigation"),
        ("query", "officer", "ok", "patrol"),
        ("read", "auditor", "denied", None),
        ("admin", "admin", "ok", "administration"),
    }
    events = _events(world)
    seen = {(e["action"], e["actor"], e["outcome"], e["purpose"]) for e in events}
    assert expected <= seen
    for event in (e for e in events if e["actor"] != "local-admin"):  # fixture's own set-up
        assert event["source_ip"] == "testclient"
        assert event["agency"] in {"POL-GDL", "SSPC", "FGE-JAL"}
    reads = [e for e in events if e["record_id"] == record_id and e["action"] == "read"]
    assert {e["actor"] for e in reads} == {"officer", "auditor"}


def test_auditor_asks_who_looked_at_a_record_and_why(client: TestClient, world: Platform) -> None:
    officer = token_for(client, "officer")
    record_id = client.post("/api/v1/records/incident", json=INCIDENT, headers=officer).json()["id"]
    fiscal = {**token_for(client, "fiscal"), "X-Purpose": "prosecution"}
    assert client.get(f"/api/v1/records/incident/{record_id}", headers=fiscal).status_code == 200
    reply = client.get(
        "/api/v1/audit/events",
        params={"record_id": record_id, "action": "read"},
        headers=token_for(client, "auditor"),
    )
    assert reply.status_code == 200
    [event] = reply.json()
    assert (event["actor"], event["agency"], event["purpose"]) == (
        "fiscal",
        "FGE-JAL",
        "prosecution",
    )
    assert event["source_ip"] == "testclient" and event["chain_seq"] is not None
    searches = _events(world, action="audit_search")
    assert searches and searches[0]["actor"] == "auditor"


@pytest.fixture
def chained(client: TestClient, world: Platform) -> Platform:
    """A log with a dozen chained events and its checkpoint written."""
    token_for(client, "officer")
    for i in range(10):
        body = {**INCIDENT, "source_ref": f"AUD-{i}"}
        client.post("/api/v1/records/incident", json=body, headers=token_for(client, "clerk"))
    world.audit.sync()
    return world


def _problems(platform: Platform) -> list[str]:
    with platform.engine.connect() as conn:
        return verify_chain(conn, platform.settings.checkpoint_path).problems


@pytest.fixture
def audit_verify(world: Platform, monkeypatch: pytest.MonkeyPatch) -> Callable[[], int]:
    monkeypatch.setattr(audit_cli, "open_platform", lambda: Platform.open(world.settings))
    return lambda: CliRunner().invoke(audit_cli.app, ["verify"]).exit_code


def test_intact_chain_verifies(chained: Platform, audit_verify: Callable[[], int]) -> None:
    assert _problems(chained) == []
    assert audit_verify() == 0


def test_an_edited_row_is_detected(chained: Platform, audit_verify: Callable[[], int]) -> None:
    with chained.engine.begin() as conn:
        conn.execute(
            update(audit_log).where(audit_log.c.chain_seq == 5).values(detail={"edited": True})
        )
    assert any("row 5" in p and "altered" in p for p in _problems(chained))
    assert audit_verify() == 1


def test_a_deleted_row_is_detected(chained: Platform, audit_verify: Callable[[], int]) -> None:
    with chained.engine.begin() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.chain_seq == 4))
    assert any("missing" in p for p in _problems(chained))
    assert audit_verify() == 1


def test_a_truncated_tail_is_detected(chained: Platform, audit_verify: Callable[[], int]) -> None:
    with chained.engine.begin() as conn:
        last = conn.execute(select(func.max(audit_log.c.chain_seq))).scalar_one()
        conn.execute(delete(audit_log).where(audit_log.c.chain_seq > last - 3))
        conn.execute(delete(audit_head))
    assert any("truncated" in p for p in _problems(chained))
    assert audit_verify() == 1


def test_an_event_with_nul_characters_does_not_poison_its_batch(platform: Platform) -> None:
    from plataforma.security.audit import AuditAction, AuditEvent

    platform.audit.record(AuditEvent("a\x00b", "SSPC", AuditAction.QUERY, detail={"q": "x\x00"}))
    platform.audit.record(AuditEvent("neighbour", "SSPC", AuditAction.QUERY))
    actors = {e["actor"] for e in _events(platform)}
    assert actors == {"a\ufffdb", "neighbour"}
    assert _problems(platform) == []
