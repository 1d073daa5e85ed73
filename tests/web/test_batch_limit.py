"""``PLATAFORMA_MAX_BATCH_RECORDS`` is the batch endpoint's limit (it was a hard-coded 5,000)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from conftest import token_for
from plataforma.context import Platform


def test_a_batch_over_the_configured_limit_is_a_413_naming_it(
    client: TestClient, world: Platform
) -> None:
    world.settings = world.settings.model_copy(update={"max_batch_records": 2})
    clerk = token_for(client, "clerk")
    batch = [{"source_ref": f"P-{i}", "given_names": "Ana"} for i in range(3)]
    reply = client.post("/api/v1/records/person/batch", json=batch, headers=clerk)
    assert reply.status_code == 413, reply.text
    assert reply.headers["content-type"] == "application/problem+json"
    assert reply.json()["errors"] == [
        {"pointer": "/", "detail": "at most 2 records a batch, not 3"}
    ]
    done = client.post("/api/v1/records/person/batch", json=batch[:2], headers=clerk)
    assert done.status_code == 200 and len(done.json()["results"]) == 2
