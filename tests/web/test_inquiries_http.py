"""``POST /api/v1/inquiries/{person|vehicle|firearm}``: answers, bad input, purpose, limits."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import token_for
from plataforma.context import Platform
from plataforma.inquiry.rate import RateLimiter
from plataforma.model.envelope import Marking
from plataforma.security.identity import create_api_key
from plataforma.security.principal import Role

sys.path.insert(0, str(Path(__file__).parents[1] / "inquiry"))
from inquiry_fixtures import BORN, PLATE, firearm, store, vehicle, warrant

PATROL = {"X-Purpose": "patrol"}


@pytest.fixture
def officer(client: TestClient) -> dict[str, str]:
    return {**token_for(client, "officer"), **PATROL}


def test_a_person_inquiry_answers_the_hit_first(
    client: TestClient, world: Platform, officer: dict[str, str]
) -> None:
    ids = store(world, [warrant("W1", armed_and_dangerous=True)])
    reply = client.post(
        "/api/v1/inquiries/person",
        json={"name": "RAMON SALAS IBARRA", "date_of_birth": BORN},
        headers=officer,
    )
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["hit"] is True and body["hit_count"] == 1
    hit = body["hits"][0]
    assert hit["record_id"] == ids[0] and hit["caveats"][0] == "armed_and_dangerous"
    assert hit["confirmation"] == {
        "inquiry_id": body["inquiry_id"],
        "record_id": ids[0],
        "owner_agency": "FGE-JAL",
    }
    assert "not proof" in body["notice"]


def test_vehicle_and_firearm_inquiries(
    client: TestClient, world: Platform, officer: dict[str, str]
) -> None:
    store(world, [vehicle("V1"), firearm("F1")])
    plate = client.post(
        "/api/v1/inquiries/vehicle", json={"plate": "jkl 123 a", "state": "14"}, headers=officer
    )
    assert plate.json()["hits"][0]["hit_kind"] == "stolen_vehicle"
    gun = client.post("/api/v1/inquiries/firearm", json={"serial": "ABC12345"}, headers=officer)
    assert gun.json()["hit"] is True
    none = client.post("/api/v1/inquiries/vehicle", json={"plate": "ZZZ999A"}, headers=officer)
    assert none.status_code == 200 and none.json()["hit"] is False


@pytest.mark.parametrize(
    ("kind", "body", "pointer"),
    [
        ("vehicle", {"plate": "A1"}, "/plate"),
        ("vehicle", {"plate": "ABC%"}, "/plate"),
        ("vehicle", {"plate": PLATE, "state": "Narnia"}, "/state"),
        ("vehicle", {}, "/"),
        ("vehicle", {"plate": PLATE, "colour": "rojo"}, "/colour"),
        ("person", {"name": "Ramón"}, "/name"),
        ("person", {"name": "R* S*"}, "/name"),
        ("person", {"name": "Ramón Salas", "date_of_birth": "ayer"}, "/date_of_birth"),
        ("person", {"curp": "SAIR840719"}, "/curp"),
        ("person", {"name": "x" * 500}, "/name"),
        ("firearm", {"serial": "LIMADO"}, "/serial"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(
    client: TestClient, officer: dict[str, str], kind: str, body: dict[str, str], pointer: str
) -> None:
    reply = client.post(f"/api/v1/inquiries/{kind}", json=body, headers=officer)
    assert reply.status_code == 422, reply.text
    assert reply.headers["content-type"].startswith("application/problem+json")
    assert reply.json()["errors"][0]["pointer"] == pointer


def test_purpose_and_login_are_required(client: TestClient, officer: dict[str, str]) -> None:
    body = {"plate": PLATE}
    assert client.post("/api/v1/inquiries/vehicle", json=body).status_code == 401
    no_purpose = {k: v for k, v in officer.items() if k != "X-Purpose"}
    refused = client.post("/api/v1/inquiries/vehicle", json=body, headers=no_purpose)
    assert refused.status_code == 403 and "purpose" in refused.json()["detail"]


def test_floods_get_429_with_retry_after_per_user_and_per_key(
    client: TestClient, world: Platform, officer: dict[str, str]
) -> None:
    settings = world.settings
    body = {"plate": PLATE}
    assert client.post("/api/v1/inquiries/vehicle", json=body, headers=officer).status_code == 200
    per_user, per_key = client.app.state.inquiry_limits  # type: ignore[attr-defined]
    assert (per_user.rate, per_user.burst) == (
        settings.inquiry_rate_per_user,
        settings.inquiry_burst_per_user,
    )
    assert (per_key.rate, per_key.burst) == (
        settings.inquiry_rate_per_key,
        settings.inquiry_burst_per_key,
    )
    # Buckets that refill slowly, so a slow machine cannot refill them during the test.
    client.app.state.inquiry_limits = (RateLimiter(0.01, 5), RateLimiter(0.01, 8))  # type: ignore[attr-defined]
    codes = [
        client.post("/api/v1/inquiries/vehicle", json=body, headers=officer).status_code
        for _ in range(6)
    ]
    assert codes == [200] * 5 + [429]
    limited = client.post("/api/v1/inquiries/vehicle", json=body, headers=officer)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert limited.headers["content-type"].startswith("application/problem+json")
    # Another user is not slowed by the first one's flood.
    other = {**token_for(client, "analyst"), **PATROL}
    assert client.post("/api/v1/inquiries/vehicle", json=body, headers=other).status_code == 200
    with world.engine.begin() as conn:
        key = create_api_key(conn, "cad", "POL-GDL", [Role.OFFICER], Marking.SBU)
    system = {"X-API-Key": key, **PATROL}
    codes = [
        client.post("/api/v1/inquiries/vehicle", json=body, headers=system).status_code
        for _ in range(9)
    ]
    assert codes == [200] * 8 + [429]
