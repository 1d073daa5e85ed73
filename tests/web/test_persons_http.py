"""``/api/v1/persons`` over HTTP: the page, a judgement and its revoke, refusals."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from conftest import add_user, token_for
from plataforma.context import Platform
from plataforma.model.envelope import Marking
from plataforma.resolve.links import links_of_records

JOSE = {"given_names": "José", "first_surname": "Ramírez", "second_surname": "Acuña"}
BORN = {"date_of_birth": "1984-07-19", "sex": "H"}


def _linked(platform: Platform, record_id: str) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        with platform.engine.connect() as conn:
            if links_of_records(conn, [record_id]):
                return
        time.sleep(0.05)
    raise AssertionError(f"{record_id} was not linked")


def test_judge_revoke_and_read_a_person(client: TestClient, world: Platform) -> None:
    add_user(world, "sup", "POL-GDL", ["supervisor"], Marking.SECRET)
    clerk = {**token_for(client, "clerk"), "X-Purpose": "investigation"}
    sup = {**token_for(client, "sup"), "X-Purpose": "intelligence"}
    officer = {**token_for(client, "officer"), "X-Purpose": "patrol"}
    ids = []
    for ref in ("P-1", "P-2"):
        body = {"source_ref": ref, **JOSE, **BORN}
        reply = client.post("/api/v1/records/person", json=body, headers=clerk)
        assert reply.status_code == 201, reply.text
        ids.append(reply.json()["id"])
        _linked(world, ids[-1])
    left, right = f"{ids[0]}.0", f"{ids[1]}.0"
    page = client.get(f"/api/v1/persons/{ids[1]}", headers=sup)
    assert page.status_code == 200, page.text
    assert page.json()["person_id"] == left and len(page.json()["records"]) == 2

    judgement = {"left": left, "right": right, "verdict": "not_same", "reason": "homónimos"}
    refused = client.post("/api/v1/persons/judgements", json=judgement, headers=officer)
    assert refused.status_code == 403
    made = client.post("/api/v1/persons/judgements", json=judgement, headers=sup)
    assert made.status_code == 201, made.text
    apart = client.get(f"/api/v1/persons/{left}", headers=sup).json()
    assert [r["mention_id"] for r in apart["records"]] == [left]
    assert apart["judgements"][0]["verdict"] == "not_same"

    revoked = client.delete(f"/api/v1/persons/judgements/{made.json()['id']}", headers=sup)
    assert revoked.status_code == 200 and revoked.json()["revoked_by"] == "sup"
    together = client.get(f"/api/v1/persons/{left}", headers=sup).json()
    assert len(together["records"]) == 2


def test_bad_input_names_the_field(client: TestClient, world: Platform) -> None:
    add_user(world, "sup", "POL-GDL", ["supervisor"], Marking.SECRET)
    sup = {**token_for(client, "sup"), "X-Purpose": "intelligence"}
    bad = {"left": "a", "right": "b", "verdict": "perhaps", "reason": "x"}
    reply = client.post("/api/v1/persons/judgements", json=bad, headers=sup)
    assert reply.status_code == 422 and "verdict" in reply.text
    assert client.get("/api/v1/persons/review", headers=sup).status_code == 200
    assert client.get("/api/v1/persons/nobody", headers=sup).status_code == 404
