"""``/api/v1/admin`` for administrators and the public RND lookup ``/api/v1/public``."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from conftest import token_for
from plataforma.context import Platform
from plataforma.model.values import make_curp
from plataforma.security.audit import AuditAction, Outcome
from plataforma.security.audit_verify import AuditQuery, search_audit
from plataforma.security.passwords import current_totp
from plataforma.security.policy import Purpose
from plataforma.store.tables import api_keys

CURP = make_curp("Lucía", "Prueba", "Sintética", dt.date(1990, 5, 4), "M", "JC")
INCIDENT = {
    "source_ref": "IPH-1",
    "folio": "F-1",
    "occurred_at": "2024-03-01T10:00:00",
    "place": {"state": "14"},
    "crime_types": ["robo_a_casa_habitacion"],
}


def detention(source_ref: str, **extra: Any) -> dict[str, Any]:
    return {
        "source_ref": source_ref,
        "given_names": "Lucía",
        "first_surname": "Prueba",
        "second_surname": "Sintética",
        "curp": CURP,
        "detained_at": "2024-03-02T08:30:00",
        "place": {"state": "14", "municipality": "Guadalajara"},
        "detention_type": "flagrancia",
        "reasons": ["robo_a_casa_habitacion"],
        "arresting_officers": ["Agente Uno"],
        "receiving_authority": "Ministerio Público de Guadalajara",
        "description": "not for the public",
        **extra,
    }


def _events(platform: Platform, **query: Any) -> list[dict[str, Any]]:
    platform.audit.sync()
    with platform.engine.connect() as conn:
        return search_audit(conn, AuditQuery(limit=1000, **query))


def test_admin_creates_agency_user_and_key(client: TestClient, world: Platform) -> None:
    admin = token_for(client, "admin")
    agency = {"code": "FGE-CDMX", "name": "Fiscalía CDMX", "level": "state", "kind": "prosecutor"}
    assert client.post("/api/v1/admin/agencies", json=agency, headers=admin).status_code == 422
    made = client.post("/api/v1/admin/agencies", json={**agency, "state": "09"}, headers=admin)
    assert made.status_code == 201, made.text
    codes = [a["code"] for a in client.get("/api/v1/admin/agencies", headers=admin).json()]
    assert "FGE-CDMX" in codes and "SSPC" in codes
    user = {
        "username": "rosa",
        "agency": "FGE-CDMX",
        "roles": ["prosecutor"],
        "password": "una frase larga y secreta",
        "clearance": "CONFIDENTIAL",
    }
    created = client.post("/api/v1/admin/users", json=user, headers=admin)
    assert created.status_code == 201, created.text
    secret = created.json()["totp_secret"]
    assert created.json()["otpauth_uri"].startswith("otpauth://totp/")
    login = {"username": "rosa", "password": user["password"], "totp": current_totp(secret)}
    assert client.post("/api/v1/auth/token", json=login).json()["agency"] == "FGE-CDMX"
    users = client.get("/api/v1/admin/users", params={"agency": "FGE-CDMX"}, headers=admin)
    assert [u["username"] for u in users.json()] == ["rosa"]
    assert "totp_secret" not in users.json()[0]
    again = client.post("/api/v1/admin/users", json=user, headers=admin)
    assert again.status_code == 422 and again.json()["errors"][0]["pointer"] == "/username"
    operations = {e["detail"]["operation"] for e in _events(world, action="admin")}
    assert {"agency.add", "agency.list", "user.add", "user.list"} <= operations
    assert all(e["actor"] == "admin" for e in _events(world, action="admin"))


def test_non_administrators_are_refused_and_audited(client: TestClient, world: Platform) -> None:
    officer = token_for(client, "officer")
    reply = client.get("/api/v1/admin/users", headers=officer)
    assert reply.status_code == 403
    assert reply.headers["content-type"] == "application/problem+json"
    key = {"name": "x", "agency": "POL-GDL", "roles": ["officer"]}
    assert client.post("/api/v1/admin/keys", json=key, headers=officer).status_code == 403
    denied = _events(world, action="admin", actor="officer")
    assert len(denied) == 2 and {e["outcome"] for e in denied} == {"denied"}
    assert client.get("/api/v1/admin/users").status_code == 401


def test_api_key_submits_records_until_revoked(client: TestClient, world: Platform) -> None:
    admin = token_for(client, "admin")
    spec = {"name": "CAD Guadalajara", "agency": "POL-GDL", "roles": ["officer"]}
    made = client.post("/api/v1/admin/keys", json=spec, headers=admin)
    assert made.status_code == 201, made.text
    key, prefix = made.json()["key"], made.json()["prefix"]
    with world.engine.connect() as conn:
        stored = conn.execute(select(api_keys)).one()
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {str(v) for v in stored._mapping.values()}
    wrote = client.post("/api/v1/records/incident", json=INCIDENT, headers={"X-API-Key": key})
    assert wrote.status_code == 201, wrote.text
    writes = _events(world, action="write", record_id=wrote.json()["id"])
    assert writes[0]["actor"] == f"key:{prefix}" and writes[0]["agency"] == "POL-GDL"
    listed = client.get("/api/v1/admin/keys", headers=admin).json()
    assert [k["prefix"] for k in listed] == [prefix] and listed[0]["revoked_at"] is None
    assert client.delete(f"/api/v1/admin/keys/{prefix}", headers=admin).status_code == 204
    refused = client.post("/api/v1/records/incident", json=INCIDENT, headers={"X-API-Key": key})
    assert refused.status_code == 401
    assert client.delete(f"/api/v1/admin/keys/{prefix}", headers=admin).status_code == 404
    assert client.get("/api/v1/admin/keys", headers=admin).json()[0]["revoked_at"]


def test_api_key_for_unknown_agency_is_refused(client: TestClient) -> None:
    spec = {"name": "x", "agency": "NOPE", "roles": ["officer"]}
    reply = client.post("/api/v1/admin/keys", json=spec, headers=token_for(client, "admin"))
    assert reply.status_code == 422 and reply.json()["errors"][0]["pointer"] == "/agency"


def test_public_lookup_says_only_whether_when_where_and_who(
    client: TestClient, world: Platform
) -> None:
    fiscal = token_for(client, "fiscal")
    assert client.post(
        "/api/v1/records/detention", json=detention("D-1"), headers=fiscal
    ).is_success
    for hidden in (
        detention("D-2", marking="CONFIDENTIAL"),
        detention("D-3", restricted_file="juvenile"),
        detention("D-4", status="cleared"),
    ):
        assert client.post("/api/v1/records/detention", json=hidden, headers=fiscal).is_success
    by_curp = client.get("/api/v1/public/detentions", params={"curp": CURP})
    assert by_curp.status_code == 200, by_curp.text
    body = by_curp.json()
    assert body["registered"] is True and len(body["detentions"]) == 1
    assert body["detentions"][0] == {
        "detained_at": "2024-03-02T08:30:00-06:00",
        "state": "14",
        "state_name": "Jalisco",
        "receiving_authority": "Ministerio Público de Guadalajara",
    }
    assert "not for the public" not in by_curp.text and "Agente" not in by_curp.text
    by_name = client.get(
        "/api/v1/public/detentions", params={"name": "lucia", "first_surname": "PRUEBA"}
    )
    assert by_name.json()["registered"] is True
    other = client.get(
        "/api/v1/public/detentions",
        params={"name": "Lucía", "first_surname": "Prueba", "second_surname": "Otra"},
    )
    assert other.json() == {"registered": False, "detentions": []}
    public = _events(world, actor="public")
    assert len(public) == 3 and {e["source_ip"] for e in public} == {"testclient"}
    assert any(e["record_id"] for e in public)
    assert {(e["agency"], e["action"], e["purpose"]) for e in public} == {
        ("public", AuditAction.QUERY, Purpose.PUBLIC_LOOKUP)
    }


def test_signed_in_callers_cannot_declare_the_public_lookups_purpose(
    client: TestClient, world: Platform
) -> None:
    """Their reads would otherwise be filed as an anonymous citizen's questions."""
    fiscal = token_for(client, "fiscal")
    made = client.post("/api/v1/records/detention", json=detention("D-1"), headers=fiscal)
    record_id = made.json()["id"]
    as_public = {**fiscal, "X-Purpose": str(Purpose.PUBLIC_LOOKUP)}
    reply = client.get(f"/api/v1/records/detention/{record_id}", headers=as_public)
    assert reply.status_code == 403 and "public_lookup" in reply.text
    listing = client.get("/api/v1/records/detention", headers=as_public)
    assert listing.status_code == 403
    tried = [e for e in _events(world) if e["purpose"] == Purpose.PUBLIC_LOOKUP]
    assert tried and {(e["actor"], e["outcome"]) for e in tried} == {("fiscal", Outcome.DENIED)}


def test_public_lookup_needs_an_identifying_query(client: TestClient) -> None:
    reply = client.get("/api/v1/public/detentions", params={"name": "Lucía"})
    assert reply.status_code == 422
    assert reply.headers["content-type"] == "application/problem+json"
    bad = client.get("/api/v1/public/detentions", params={"curp": "NOTACURP"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["pointer"] == "query:curp"


def test_public_lookup_is_rate_limited(client: TestClient) -> None:
    for _ in range(30):
        assert client.get("/api/v1/public/detentions", params={"curp": CURP}).status_code == 200
    limited = client.get("/api/v1/public/detentions", params={"curp": CURP})
    assert limited.status_code == 429
    assert limited.headers["content-type"] == "application/problem+json"
    assert int(limited.headers["retry-after"]) >= 1
