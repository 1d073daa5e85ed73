"""Home panels per role, role gates, the record view and the audit viewer."""

from __future__ import annotations

from typing import Any

from ui_session import signed_in

from plataforma.context import Platform
from plataforma.records.service import RecordService
from plataforma.security.principal import LOCAL_ADMIN

INCIDENT = {
    "source_ref": "IPH-GDL-0001",
    "agency": "POL-GDL",
    "folio": "IPH-GDL-0001",
    "occurred_at": "2024-05-01T13:45:00",
    "place": {
        "state": "14",
        "municipality": "Guadalajara",
        "latitude": 20.67,
        "longitude": -103.35,
    },
    "crime_types": ["robo_de_vehiculo_automotor"],
    "persons": [{"role": "victim", "given_names": "Ana", "first_surname": "Ruiz", "curp": "XX"}],
}


def _panels(client: Any, username: str) -> str:
    page = signed_in(client, username).get("/ui/")
    assert page.status_code == 200
    return str(page.text)


def test_each_role_gets_its_own_home(client: Any, world: Platform) -> None:
    RecordService(world).submit(LOCAL_ADMIN, "incident", INCIDENT)
    officer = _panels(client, "officer")
    assert 'id="panel-check"' in officer and 'id="panel-admin"' not in officer
    clerk = _panels(client, "clerk")
    assert 'id="panel-clerk"' in clerk and "IPH-GDL-0001" in clerk
    analyst = _panels(client, "analyst")
    assert 'id="incident-map"' in analyst and "Robo de vehículo automotor" in analyst
    assert "Jalisco" in analyst and "-103.3" in analyst
    assert 'id="panel-prosecutor"' in _panels(client, "fiscal")
    assert 'id="panel-auditor"' in _panels(client, "auditor")
    admin = _panels(client, "admin")
    assert 'id="panel-admin"' in admin and "FGE-JAL" in admin and "fiscal" in admin


def test_role_gates(client: Any) -> None:
    signed_in(client, "officer")
    assert client.get("/ui/audit").status_code == 403
    assert client.get("/ui/audit/verify").status_code == 403
    signed_in(client, "auditor")
    assert client.get("/ui/incidents/new").status_code == 403
    assert client.get("/ui/audit").status_code == 200
    signed_in(client, "analyst")  # analysts read, they do not enter reports
    assert client.get("/ui/incidents/new").status_code == 403


def test_record_view_shows_envelope_flags_content_and_history(client: Any, world: Platform) -> None:
    first = RecordService(world).submit(LOCAL_ADMIN, "incident", INCIDENT)
    RecordService(world).submit(LOCAL_ADMIN, "incident", {**INCIDENT, "narrative": "Segunda"})
    signed_in(client, "clerk")
    asks = client.get(f"/ui/records/{first.id}")
    assert "Declare una finalidad" in asks.text  # no purpose, no read
    page = client.get(f"/ui/records/{first.id}?purpose=investigation").text
    assert page.count('class="marking-banner m-SBU"') == 2  # top and bottom
    assert "CURP inválida" in page
    assert "Guadalajara (14039)" in page and "Víctima" in page
    assert "Historial y procedencia" in page and "local-admin" in page
    assert "<td>2</td>" in page and "<td>1</td>" in page
    english = client.get(f"/ui/records/{first.id}?purpose=investigation&lang=en").text
    assert "Invalid CURP" in english and "History and provenance" in english


def test_audit_viewer_filters_and_verifies(client: Any, world: Platform) -> None:
    signed_in(client, "officer")
    signed_in(client, "auditor")
    page = client.get("/ui/audit?actor=officer&action=login")
    assert page.status_code == 200
    assert (
        "officer" in page.text and ">Inicio de sesión<" in page.text and ">clerk<" not in page.text
    )
    verify = client.get("/ui/audit/verify")
    assert "Cadena íntegra" in verify.text
    world.audit.sync()
    assert "audit_search" in client.get("/ui/audit?actor=auditor").text  # looking is logged
