"""The HTTP contract of DESIGN §5: problem documents, status codes, versions, pages, limits."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from conftest import token_for
from plataforma.context import Platform

PROBLEM = "application/problem+json"


def incident(source_ref: str, **extra: Any) -> dict[str, Any]:
    return {
        "source_ref": source_ref,
        "folio": f"F-{source_ref}",
        "occurred_at": "2024-03-01T10:00:00",
        "place": {"state": "14"},
        "crime_types": ["robo_a_negocio"],
        **extra,
    }


@pytest.fixture
def officer(client: TestClient) -> dict[str, str]:
    return {**token_for(client, "officer"), "X-Purpose": "investigation"}


def test_each_bad_field_is_named_by_pointer(client: TestClient, officer: dict[str, str]) -> None:
    body = incident("BAD-1", occurred_at="2024-13-45", place={"state": "99"})
    reply = client.post("/api/v1/records/incident", json=body, headers=officer)
    assert reply.status_code == 422
    assert reply.headers["content-type"] == PROBLEM
    problem = reply.json()
    assert {"type", "title", "status", "detail"} <= problem.keys()
    pointers = {e["pointer"] for e in problem["errors"]}
    assert {"/occurred_at", "/place/state"} <= pointers
    assert all(e["detail"] for e in problem["errors"])


def test_malformed_json_and_unknown_type_are_problems(
    client: TestClient, officer: dict[str, str]
) -> None:
    broken = client.post(
        "/api/v1/records/incident",
        content=b"{not json",
        headers={**officer, "Content-Type": "application/json"},
    )
    assert broken.status_code == 422 and broken.headers["content-type"] == PROBLEM
    unknown = client.post("/api/v1/records/spaceship", json={}, headers=officer)
    assert unknown.status_code in (404, 422) and unknown.headers["content-type"] == PROBLEM


def test_create_then_idempotent_resubmission(client: TestClient, officer: dict[str, str]) -> None:
    first = client.post("/api/v1/records/incident", json=incident("IDEM-1"), headers=officer)
    assert first.status_code == 201 and first.json()["outcome"] == "created"
    again = client.post("/api/v1/records/incident", json=incident("IDEM-1"), headers=officer)
    assert again.status_code == 200
    assert again.json() == {**first.json(), "outcome": "unchanged"}
    changed = client.post(
        "/api/v1/records/incident", json=incident("IDEM-1", narrative="más datos"), headers=officer
    )
    assert changed.status_code == 200 and changed.json()["version"] == 2


def test_put_with_stale_if_match_fails_and_history_keeps_versions(
    client: TestClient, officer: dict[str, str]
) -> None:
    made = client.post("/api/v1/records/incident", json=incident("PUT-1"), headers=officer).json()
    url = f"/api/v1/records/incident/{made['id']}"
    body = incident("PUT-1", narrative="segunda versión")
    ok = client.put(url, json=body, headers={**officer, "If-Match": "1"})
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.put(
        url, json=incident("PUT-1", narrative="tercera"), headers={**officer, "If-Match": "1"}
    )
    assert stale.status_code == 412 and stale.headers["content-type"] == PROBLEM
    missing = client.put(url, json=body, headers=officer)
    assert missing.status_code in (422, 428) and missing.headers["content-type"] == PROBLEM
    history = client.get(f"{url}/history", headers=officer).json()
    assert [v["version"] for v in history] == [1, 2]
    assert history[1]["data"]["narrative"] == "segunda versión"
    assert all(v["entered_by"] == "officer" for v in history)
    assert client.get(url, headers=officer).headers["etag"].strip('"') == "2"


def test_oversize_body_is_refused(
    client: TestClient, world: Platform, officer: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(world.settings, "max_body_bytes", 4096)
    body = incident("BIG-1", narrative="x" * 8000)
    reply = client.post("/api/v1/records/incident", json=body, headers=officer)
    assert reply.status_code == 413 and reply.headers["content-type"] == PROBLEM


def test_unauthenticated_calls_get_401_problems(client: TestClient) -> None:
    reply = client.get("/api/v1/records/incident")
    assert reply.status_code == 401 and reply.headers["content-type"] == PROBLEM
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_cursor_pagination_returns_every_visible_record_once(
    client: TestClient, officer: dict[str, str]
) -> None:
    batch = [incident(f"PAGE-{i:02d}") for i in range(23)]
    # interleave records the officer may not see: pages must not end early because of them
    batch[3::4] = [incident(f"HIDE-{i:02d}", marking="SECRET") for i in range(3, 23, 4)]
    reply = client.post("/api/v1/records/incident/batch", json=batch, headers=officer)
    assert reply.status_code == 200 and not reply.json()["rejected"]
    visible = {r["id"] for r in reply.json()["results"] if r["source_ref"].startswith("PAGE")}
    seen: list[str] = []
    cursor = None
    for _ in range(50):
        params: dict[str, Any] = {"limit": 4, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/records/incident", params=params, headers=officer).json()
        seen.extend(item["id"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) and set(seen) == visible


def test_chunked_oversize_body_is_refused_without_a_length(
    client: TestClient, world: Platform, officer: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(world.settings, "max_body_bytes", 4096)
    payload = json.dumps(incident("BIG-2", narrative="x" * 8000)).encode()

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(payload), 1000):
            yield payload[start : start + 1000]

    headers = {**officer, "content-type": "application/json"}
    reply = client.post("/api/v1/records/incident", content=chunks(), headers=headers)
    assert reply.status_code == 413 and reply.headers["content-type"] == PROBLEM
