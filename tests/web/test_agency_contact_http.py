"""The 24/7 contact point of an agency: recorded through the admin API, refused half-given,
and shown to the inquiring agency with a confirmation."""

from __future__ import annotations

from fastapi.testclient import TestClient

from conftest import token_for
from plataforma.consumers import periodic_jobs
from plataforma.context import Platform
from plataforma.exchange.confirmation_deadlines import check_deadlines
from plataforma.synth.agencies import directory

CONTACT = {"contact_desk": "Guardia 24/7", "contact_phone": "+52 33 3000 0000"}


def test_admin_records_and_changes_a_contact_point(client: TestClient, world: Platform) -> None:
    admin = token_for(client, "admin")
    body = {"code": "POL-ZAP", "name": "Policía de Zapopan", "level": "municipal"}
    body |= {"kind": "police", "state": "14"} | CONTACT
    added = client.post("/api/v1/admin/agencies", json=body, headers=admin)
    assert added.status_code == 201, added.text
    assert added.json()["contact_phone"] == CONTACT["contact_phone"]
    changed = client.patch(
        "/api/v1/admin/agencies/POL-ZAP", json={"contact_radio": "Canal 7"}, headers=admin
    )
    assert changed.json()["contact_radio"] == "Canal 7"
    assert changed.json()["contact_desk"] == CONTACT["contact_desk"]
    half = body | {"code": "POL-TLQ", "contact_phone": None}
    refused = client.post("/api/v1/admin/agencies", json=half, headers=admin)
    assert refused.status_code == 422
    assert [e["pointer"] for e in refused.json()["errors"]] == ["/contact_phone"]


def test_every_synthetic_agency_records_a_contact_point() -> None:
    rows = directory().rows
    assert all(row["contact_desk"] and row["contact_phone"] for row in rows)
    assert len({row["contact_phone"] for row in rows}) > len(rows) // 2


def test_the_deadline_job_is_one_of_the_periodic_jobs(world: Platform) -> None:
    jobs = {name: (interval, job) for name, interval, job in periodic_jobs()}
    interval, job = jobs["confirmation_deadlines"]
    assert job is check_deadlines and 0 < interval <= 60
    assert job(world) == 0
