"""The real-time loop end to end, through the API of a running app (bus, relay, consumers):

an officer checks a plate and gets no hit; another agency then enters the car as stolen; the
officer's inbox receives the delayed hit; a new inquiry is a hit, the officer asks the owner to
confirm it, the owner's desk is told, answers, and the officer is told the answer. Every step
goes through the same services, policy and audit as any other caller.
"""

from __future__ import annotations

import time
from typing import Any

from fastapi.testclient import TestClient

from conftest import add_user, token_for
from plataforma.context import Platform

PLATE = "JKL-123-A"
PATROL = {"X-Purpose": "patrol"}


def _inbox(client: TestClient, headers: dict[str, str], kind: str) -> list[dict[str, Any]]:
    """The caller's notifications of ``kind``, waiting up to 15 s for the first to arrive."""
    deadline = time.monotonic() + 15
    while True:
        reply = client.get("/api/v1/inbox", headers=headers)
        assert reply.status_code == 200, reply.text
        found = [n for n in reply.json()["items"] if n["kind"] == kind]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_a_delayed_hit_then_a_confirmed_hit(client: TestClient, world: Platform) -> None:
    add_user(world, "clerk_jal", "FGE-JAL", ["records_clerk"])
    officer = {**token_for(client, "officer"), **PATROL}
    owner = {**token_for(client, "clerk_jal"), "X-Purpose": "investigation"}

    first = client.post("/api/v1/inquiries/vehicle", json={"plate": PLATE}, headers=officer)
    assert first.status_code == 200 and first.json()["hit"] is False

    stolen = {
        "source_ref": "ROBO-1",
        "plate": PLATE,
        "plate_state": "14",
        "make": "Nissan",
        "theft_status": "robado",
        "reported_stolen_at": "2026-11-20T08:00:00-06:00",
    }
    entered = client.post("/api/v1/records/vehicle", json=stolen, headers=owner)
    assert entered.status_code == 201, entered.text
    record_id = entered.json()["id"]

    delayed = _inbox(client, officer, "delayed_hit")
    assert [n["record_id"] for n in delayed] == [record_id]

    second = client.post("/api/v1/inquiries/vehicle", json={"plate": PLATE}, headers=officer)
    hit = second.json()["hits"][0]
    assert hit["record_id"] == record_id and hit["agency"] == "FGE-JAL"
    asked = client.post(
        "/api/v1/confirmations",
        json={**hit["confirmation"], "priority": "urgent", "note": "conductor detenido"},
        headers=officer,
    )
    assert asked.status_code in (200, 201), asked.text
    confirmation_id = asked.json()["id"]

    requests = _inbox(client, owner, "confirmation_request")
    assert [n["ref_id"] for n in requests] == [confirmation_id]
    answered = client.post(
        f"/api/v1/confirmations/{confirmation_id}/answer",
        json={"answer": "confirmed", "note": "sigue con reporte de robo"},
        headers=owner,
    )
    assert answered.status_code == 200, answered.text

    answers = _inbox(client, officer, "confirmation_answer")
    assert [n["ref_id"] for n in answers] == [confirmation_id]


def test_nobody_else_is_told(client: TestClient, world: Platform) -> None:
    """The analyst of a third agency asked nothing and follows nothing: its inbox stays empty."""
    add_user(world, "clerk_jal", "FGE-JAL", ["records_clerk"])
    officer = {**token_for(client, "officer"), **PATROL}
    owner = {**token_for(client, "clerk_jal"), "X-Purpose": "investigation"}
    client.post("/api/v1/inquiries/vehicle", json={"plate": PLATE}, headers=officer)
    stolen = {"source_ref": "ROBO-2", "plate": PLATE, "theft_status": "robado"}
    assert client.post("/api/v1/records/vehicle", json=stolen, headers=owner).status_code == 201
    assert _inbox(client, officer, "delayed_hit")
    analyst = {**token_for(client, "analyst"), "X-Purpose": "analysis"}
    reply = client.get("/api/v1/inbox", headers=analyst)
    assert reply.status_code == 200 and reply.json()["items"] == []
