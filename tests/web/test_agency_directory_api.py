"""The agency directory over HTTP: no silent overwrite, no records owned by no agency.

``/api/v1/admin/agencies``: adding an existing code is a 409, changing one is a PATCH.
``/api/v1/records``: an administrator (the only role that writes for other agencies) cannot
create a record owned by an agency that is not registered, alone or in a batch.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from conftest import token_for
from plataforma.context import Platform
from plataforma.security.audit_verify import AuditQuery, search_audit

JALISCO = {"code": "FGE-JAL", "name": "Otra", "level": "federal", "kind": "police"}


def _agency(client: TestClient, headers: dict[str, str], code: str) -> dict[str, Any]:
    listing = client.get("/api/v1/admin/agencies", headers=headers).json()
    return next(a for a in listing if a["code"] == code)


def test_post_of_an_existing_agency_is_a_conflict_naming_it(client: TestClient) -> None:
    """Defect 5 over HTTP: POST used to upsert, replacing the entry with version 2."""
    admin = token_for(client, "admin")
    before = _agency(client, admin, "FGE-JAL")
    reply = client.post("/api/v1/admin/agencies", json=JALISCO, headers=admin)
    assert reply.status_code == 409, reply.text
    assert reply.headers["content-type"] == "application/problem+json"
    problem = reply.json()
    assert problem["errors"][0]["pointer"] == "/code"
    assert "FGE-JAL already exists" in problem["errors"][0]["detail"]
    assert _agency(client, admin, "FGE-JAL") == before


def test_patch_changes_only_the_given_fields(client: TestClient, world: Platform) -> None:
    admin = token_for(client, "admin")
    before = _agency(client, admin, "POL-GDL")
    reply = client.patch(
        "/api/v1/admin/agencies/POL-GDL", json={"name": "Comisaría GDL"}, headers=admin
    )
    assert reply.status_code == 200, reply.text
    assert reply.json() == {**before, "name": "Comisaría GDL", "version": before["version"] + 1}
    world.audit.sync()
    with world.engine.connect() as conn:
        events = search_audit(conn, AuditQuery(action="admin", limit=100))
    update = next(e for e in events if e["detail"]["operation"] == "agency.update")
    assert update["actor"] == "admin" and update["detail"]["changed"] == ["name"]


def test_patch_of_unknown_or_invalid_agency_is_a_problem(client: TestClient) -> None:
    admin = token_for(client, "admin")
    missing = client.patch("/api/v1/admin/agencies/NOPE", json={"name": "X"}, headers=admin)
    assert missing.status_code == 404 and "NOPE" in missing.json()["detail"]
    bad = client.patch("/api/v1/admin/agencies/SSPC", json={"level": "mayor"}, headers=admin)
    assert bad.status_code == 422 and bad.json()["errors"][0]["pointer"] == "/level"
    officer = token_for(client, "officer")
    denied = client.patch("/api/v1/admin/agencies/SSPC", json={"name": "X"}, headers=officer)
    assert denied.status_code == 403


PERSON = {"source_ref": "P-NOPE", "given_names": "Ana", "first_surname": "Prueba"}


def test_a_record_for_an_unknown_agency_is_refused_naming_it(
    client: TestClient, world: Platform
) -> None:
    """Defect 4 on the API: an administrator could create records owned by agency NOPE."""
    admin = token_for(client, "admin")
    reply = client.post("/api/v1/records/person", json={**PERSON, "agency": "NOPE"}, headers=admin)
    assert reply.status_code == 422, reply.text
    assert reply.json()["errors"] == [{"pointer": "/agency", "detail": "unknown agency NOPE"}]
    batch = [{**PERSON, "agency": "NOPE"}, {**PERSON, "agency": "FGE-JAL"}]
    done = client.post("/api/v1/records/person/batch", json=batch, headers=admin)
    assert done.status_code == 200, done.text
    assert [r["source_ref"] for r in done.json()["results"]] == ["P-NOPE"]
    assert done.json()["rejected"] == [
        {"index": 0, "errors": [{"pointer": "/agency", "detail": "unknown agency NOPE"}]}
    ]
    from sqlalchemy import func, select

    from plataforma.store.tables import records

    with world.engine.connect() as conn:
        owners = conn.execute(select(func.count()).where(records.c.agency == "NOPE")).scalar_one()
    assert owners == 0
