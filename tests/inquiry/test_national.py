"""End to end: a record entered → the consumer links it → a person inquiry finds the warrant
entered under another spelling through the national person, marked so, with its link score;
never a record the caller may not read."""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from conftest import token_for
from plataforma.context import Platform
from plataforma.resolve.links import links_of_records

BORN = "1984-07-19"
PERSON = {
    "source_ref": "P-1",
    "given_names": "José",
    "first_surname": "Ramírez",
    "second_surname": "Acuña",
    "date_of_birth": BORN,
    "sex": "H",
}
#: The prosecutor's clerk wrote his nickname: no inquiry key of "José" reaches it.
WARRANT = {
    "source_ref": "W-1",
    "given_names": "Pepe",
    "first_surname": "Ramírez",
    "second_surname": "Acuña",
    "date_of_birth": BORN,
    "sex": "H",
    "warrant_type": "aprehension",
    "case_number": "CP-77/2026",
    "issued_by": "Juzgado Penal 3",
    "issued_at": "2026-03-01",
    "issuing_state": "14",
    "crime_types": ["homicidio_doloso"],
}
ASK = {"name": "José Ramírez Acuña", "date_of_birth": BORN}


def _linked(platform: Platform, record_id: str) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        with platform.engine.connect() as conn:
            if links_of_records(conn, [record_id]):
                return
        time.sleep(0.05)
    raise AssertionError(f"{record_id} was not linked")


def _enter(client: TestClient, headers: dict[str, str], kind: str, body: dict[str, Any]) -> str:
    reply = client.post(f"/api/v1/records/{kind}", json=body, headers=headers)
    assert reply.status_code == 201, reply.text
    return str(reply.json()["id"])


@pytest.mark.parametrize("marking", ["SBU", "CONFIDENTIAL"])
def test_the_warrant_under_a_nickname_is_found_through_the_national_person(
    client: TestClient, world: Platform, marking: str
) -> None:
    clerk = {**token_for(client, "clerk"), "X-Purpose": "investigation"}
    fiscal = {**token_for(client, "fiscal"), "X-Purpose": "prosecution"}
    officer = {**token_for(client, "officer"), "X-Purpose": "patrol"}
    person_id = _enter(client, clerk, "person", PERSON)
    _linked(world, person_id)
    before = client.post("/api/v1/inquiries/person", json=ASK, headers=officer).json()
    assert before["hit"] is False

    warrant_id = _enter(client, fiscal, "warrant", {**WARRANT, "marking": marking})
    _linked(world, warrant_id)
    answer = client.post("/api/v1/inquiries/person", json=ASK, headers=officer).json()
    if marking == "CONFIDENTIAL":
        # FGE-JAL's CONFIDENTIAL warrant is above the municipal officer's SBU clearance.
        assert answer["hit"] is False
        found = [r["record_id"] for r in answer["hits"] + answer["other_records"]]
        assert warrant_id not in found
        return
    assert answer["hit"] is True
    [hit] = answer["hits"]
    assert hit["record_id"] == warrant_id and hit["record_type"] == "warrant"
    assert hit["via"] == "national_person" and hit["match"]["via"] == "national_person"
    assert hit["link_score"] > 0.9
    assert hit["confirmation"]["owner_agency"] == "FGE-JAL"
    [own] = answer["other_records"]
    assert own["record_id"] == person_id and "via" not in own


def test_vehicle_inquiries_are_not_widened(client: TestClient, world: Platform) -> None:
    officer = {**token_for(client, "officer"), "X-Purpose": "patrol"}
    reply = client.post("/api/v1/inquiries/vehicle", json={"plate": "JKL-123-A"}, headers=officer)
    assert reply.status_code == 200 and reply.json()["hit"] is False
