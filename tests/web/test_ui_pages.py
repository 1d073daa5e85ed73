"""Home panels per role, role gates, the record view and the audit viewer."""

from __future__ import annotations

from typing import Any

from ui_session import csrf, signed_in

from plataforma.context import Platform
from plataforma.records.service import RecordService
from plataforma.security.audit import AuditAction, Outcome
from plataforma.security.audit_verify import AuditQuery, search_audit
from plataforma.security.policy import Purpose
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


STOLEN_CAR = {
    "source_ref": "V-STOLEN-1",
    "agency": "POL-GDL",
    "plate": "JKL-123-A",
    "plate_state": "14",
    "make": "Nissan",
    "model": "Versa",
    "theft_status": "robado",
    "reported_stolen_at": "2026-12-01T20:52:00+00:00",
    "owner_name": "Rosa Pérez Soto",
}
CANCUN_INCIDENT = {
    **INCIDENT,
    "source_ref": "IPH-QR-0001",
    "folio": "IPH-QR-0001",
    "occurred_at": "2024-05-01T21:15:00",
    "place": {"state": "23", "municipality": "Benito Juárez"},
}


def test_spanish_record_page_names_fields_values_and_local_times(
    client: Any, world: Platform
) -> None:
    car = RecordService(world).submit(LOCAL_ADMIN, "vehicle", STOLEN_CAR)
    signed_in(client, "clerk")  # POL-GDL: Jalisco keeps Mexico City's time (CST, UTC-6)
    page = client.get(f"/ui/records/{car.id}?purpose=investigation").text
    assert "Este vehículo tiene reporte de robo." in page
    assert '<strong class="value-alert">Robado</strong>' in page
    assert "Estatus de robo" in page and "Nombre del propietario" in page
    assert "2026-12-01 14:52 CST" in page  # 20:52 UTC on the clock of the user's state
    assert "<dd>Activo</dd>" in page and ">active<" not in page
    assert "UTC+00:00" not in page and "Theft status" not in page
    english = client.get(f"/ui/records/{car.id}?purpose=investigation&lang=en").text
    assert "This vehicle is reported stolen." in english and "Theft status" in english
    assert '<strong class="value-alert">Stolen</strong>' in english


def test_record_times_are_read_on_the_clock_of_the_place(client: Any, world: Platform) -> None:
    incident = RecordService(world).submit(LOCAL_ADMIN, "incident", CANCUN_INCIDENT)
    signed_in(client, "clerk")
    page = client.get(f"/ui/records/{incident.id}?purpose=investigation").text
    assert "2024-05-01 21:15 EST" in page  # typed in Cancún's time, shown in Cancún's time
    entered = page.split("<dt>Capturado</dt><dd>")[1].split("</dd>")[0]
    assert " EST · local-admin" in entered  # the envelope's times too


def test_person_description_and_enums_are_in_spanish(client: Any, world: Platform) -> None:
    person = {
        "source_ref": "P-1",
        "agency": "POL-GDL",
        "given_names": "Luis",
        "first_surname": "Soto",
        "sex": "H",
        "description": {"build": "delgada", "hair": "negro", "height_cm": 170},
        "documents": [{"kind": "passport", "number": "G1234567"}],
    }
    record = RecordService(world).submit(LOCAL_ADMIN, "person", person)
    signed_in(client, "clerk")
    page = client.get(f"/ui/records/{record.id}?purpose=investigation").text
    for spanish in ("Complexión", "Cabello", "Estatura (cm)", "Hombre", "Pasaporte"):
        assert spanish in page
    for english in ("Build", "Hair", "Height cm", ">passport<", ">H<"):
        assert english not in page


def test_ui_errors_are_pages_in_the_users_language(client: Any, world: Platform) -> None:
    signed_in(client, "clerk")
    missing = client.get("/ui/no-such-page")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert "Esta página no existe" in missing.text and "clerk" in missing.text  # still signed in
    english = client.get("/ui/no-such-page?lang=en")
    assert english.status_code == 404 and "This page does not exist" in english.text
    signed_in(client, "auditor")
    too_long = client.get("/ui/audit", params={"actor": "x" * 65, "lang": "es"})
    assert too_long.status_code == 422 and too_long.headers["content-type"].startswith("text/html")
    assert "Actor" in too_long.text or "actor" in too_long.text
    assert "Debe tener a lo más 64 caracteres" in too_long.text
    api = client.get("/api/v1/no-such-thing")  # the API keeps its problem documents
    assert api.status_code == 404 and api.headers["content-type"] == "application/problem+json"


def test_an_unexpected_failure_on_a_page_is_a_page_too(world: Platform) -> None:
    from fastapi.testclient import TestClient

    from plataforma.web.app import create_app

    app = create_app(world)

    @app.get("/ui/boom")
    def boom() -> None:
        raise RuntimeError("synthetic failure")

    with TestClient(app, raise_server_exceptions=False) as failing:
        reply = failing.get("/ui/boom")
    assert reply.status_code == 500 and reply.headers["content-type"].startswith("text/html")
    assert "Algo salió mal" in reply.text and "synthetic failure" not in reply.text


def test_a_denied_read_says_why_in_spanish(client: Any, world: Platform) -> None:
    secret = RecordService(world).submit(
        LOCAL_ADMIN, "incident", {**INCIDENT, "source_ref": "IPH-S", "marking": "SECRET"}
    )
    signed_in(client, "fiscal")  # cleared to CONFIDENTIAL
    page = client.get(f"/ui/records/{secret.id}?purpose=prosecution")
    assert page.status_code == 403
    assert "el registro clasificado SECRET supera su nivel de acceso" in page.text


def test_the_iph_summary_names_fields_in_spanish(client: Any) -> None:
    signed_in(client, "clerk")
    form = {"folio": "IPH-X", "occurred_at": "2024-05-01T13:45", "marking": "SBU"}
    reply = client.post("/ui/incidents/validate", data=form, headers={"X-CSRF-Token": csrf(client)})
    assert "<li>Lugar de los hechos: Campo obligatorio</li>" in reply.text
    assert "place:" not in reply.text


def test_the_admin_panel_lists_through_administration_checked_and_audited(
    client: Any, world: Platform
) -> None:
    """The panel's users and agencies are the same audited lists as the API's and the CLI's."""
    assert 'id="panel-admin"' in _panels(client, "admin")
    world.audit.sync()
    with world.engine.connect() as conn:
        events = search_audit(conn, AuditQuery(actor="admin", action=AuditAction.ADMIN))
    operations = {e["detail"]["operation"] for e in events if e["outcome"] == Outcome.OK}
    assert {"user.list", "agency.list"} <= operations
    assert {e["purpose"] for e in events} == {Purpose.ADMINISTRATION}
