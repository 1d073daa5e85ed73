"""Search by identifier in the UI and the API: normalised, policy-checked and audited."""

from __future__ import annotations

from typing import Any

from ui_session import signed_in

from conftest import token_for
from plataforma.context import Platform
from plataforma.records.service import RecordService
from plataforma.security.audit import AuditAction
from plataforma.security.audit_verify import AuditQuery, search_audit
from plataforma.security.principal import LOCAL_ADMIN

VEHICLE = {"source_ref": "V-1", "agency": "POL-GDL", "plate": "JKL-123-A", "plate_state": "14"}
SECRET_VEHICLE = {**VEHICLE, "source_ref": "V-2", "agency": "FGE-JAL", "marking": "SECRET"}


def _queries(world: Platform, actor: str) -> list[dict[str, Any]]:
    world.audit.sync()
    with world.engine.connect() as conn:
        return search_audit(conn, AuditQuery(actor=actor, action=AuditAction.QUERY))


def test_ui_search_is_normalised_audited_and_needs_a_purpose(client: Any, world: Platform) -> None:
    RecordService(world).submit(LOCAL_ADMIN, "vehicle", VEHICLE)
    signed_in(client, "officer")
    page = client.get("/ui/search?kind=plate&q=jkl 123a&purpose=patrol")
    assert page.status_code == 200 and "JKL-123-A" in page.text
    partial = client.get(
        "/ui/search?kind=plate&q=JKL123A&purpose=patrol", headers={"HX-Request": "true"}
    )
    assert "<html" not in partial.text and "JKL-123-A" in partial.text
    assert client.get("/ui/search?kind=plate&q=JKL123A").status_code == 422
    bad = client.get("/ui/search?kind=curp&q=NOTACURP&purpose=patrol")
    assert bad.status_code == 422 and "CURP no válido: no tiene 18 caracteres" in bad.text
    logged = _queries(world, "officer")
    assert logged and logged[-1]["detail"]["key"] == "JKL123A"
    assert {e["purpose"] for e in logged} == {"patrol"}


def test_api_search_hides_what_the_caller_may_not_read(client: Any, world: Platform) -> None:
    RecordService(world).submit(LOCAL_ADMIN, "vehicle", VEHICLE)
    RecordService(world).submit(LOCAL_ADMIN, "vehicle", SECRET_VEHICLE)
    headers = token_for(client, "officer")
    reply = client.get("/api/v1/search?kind=plate&q=jkl-123-a", headers=headers)
    assert reply.status_code == 403  # no purpose declared
    reply = client.get(
        "/api/v1/search?kind=plate&q=jkl-123-a", headers={**headers, "X-Purpose": "patrol"}
    )
    assert reply.status_code == 200
    body = reply.json()
    assert body["key_kind"] == "plate" and body["key"] == "JKL123A"
    assert [item["source_ref"] for item in body["items"]] == ["V-1"]
    invalid = client.get(
        "/api/v1/search?kind=vin&q=123", headers={**headers, "X-Purpose": "patrol"}
    )
    assert invalid.status_code == 422 and invalid.json()["errors"][0]["pointer"] == "/q"
    assert len(_queries(world, "officer")) == 2  # the denied one and the answered one
