"""``GET /api/v1/records/{vehicle|firearm}/{id}/same-object``: one object across agencies."""

from __future__ import annotations

import sys
from pathlib import Path

from fastapi.testclient import TestClient

from conftest import token_for
from plataforma.context import Platform

sys.path.insert(0, str(Path(__file__).parents[1] / "inquiry"))
from inquiry_fixtures import VIN, store, vehicle, warrant


def test_the_analyst_sees_the_recovered_car_as_a_possible_match(
    client: TestClient, world: Platform
) -> None:
    stolen, recovered = store(
        world,
        [
            vehicle("A-1", plate=None),
            vehicle("B-1", agency="POL-GDL", plate=None, vin="3VWFE2lC04MOOOOO1",
                    theft="recuperado"),
        ],
    )  # fmt: skip
    headers = {**token_for(client, "analyst"), "X-Purpose": "investigation"}
    reply = client.get(f"/api/v1/records/vehicle/{stolen}/same-object", headers=headers)
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["identifiers"] == {"vin": VIN}
    (entry,) = body["records"]
    assert entry["record_id"] == recovered and entry["match_quality"] == "confusable"
    assert entry["agency"] == "POL-GDL" and entry["note"].startswith("possible match: VIN")


def test_bad_requests(client: TestClient, world: Platform) -> None:
    (order,) = store(world, [warrant("W1")])
    headers = token_for(client, "analyst")
    no_purpose = client.get(f"/api/v1/records/warrant/{order}/same-object", headers=headers)
    assert no_purpose.status_code == 403
    headers["X-Purpose"] = "investigation"
    not_an_object = client.get(f"/api/v1/records/warrant/{order}/same-object", headers=headers)
    assert not_an_object.status_code == 422
    assert not_an_object.json()["errors"][0]["pointer"] == "/record_type"
    wrong_type = client.get(f"/api/v1/records/vehicle/{order}/same-object", headers=headers)
    assert wrong_type.status_code == 404
