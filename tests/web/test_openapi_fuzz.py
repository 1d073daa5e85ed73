"""Schemathesis on our own OpenAPI document: no generated request may make the server fail.

Requests are authenticated as an administrator through an API key (a token would die at the
first generated ``/auth/logout``), so the generator reaches past authentication into every
handler. Each operation gets a few valid and invalid examples to keep the run well under a minute.
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import token_for
from plataforma.context import Platform

EXAMPLES_PER_OPERATION = 25


def _admin_key(client: TestClient) -> str:
    spec = {"name": "fuzz", "agency": "SSPC", "roles": ["administrator"], "clearance": "SECRET"}
    reply = client.post("/api/v1/admin/keys", json=spec, headers=token_for(client, "admin"))
    assert reply.status_code == 201, reply.text
    return str(reply.json()["key"])


def test_no_generated_request_makes_a_server_error(client: TestClient, world: Platform) -> None:
    headers = {"X-API-Key": _admin_key(client), "X-Purpose": "data_quality"}
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", client.app)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15

    for operation in operations:
        if operation.path.endswith("/stream"):
            # Server-Sent Events never end, so a generated call would wait forever; the
            # stream is tested in tests/realtime/test_inbox_stream.py and tests/inbox/.
            continue
        cases = operation.as_strategy(schemathesis.GenerationMode.POSITIVE) | (
            operation.as_strategy(schemathesis.GenerationMode.NEGATIVE)
        )

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=cases, purpose=st.booleans())
        def exercise(case: schemathesis.Case, purpose: bool) -> None:
            merged = {**(case.headers or {}), **headers}
            if not purpose:
                merged.pop("X-Purpose")
            response = case.call(headers=merged)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}")

        exercise()
    assert not failures, sorted(set(failures))


@pytest.mark.parametrize("path", ["/api/v1/openapi.json"])
def test_openapi_document_is_public_and_lists_admin_and_public(
    client: TestClient, path: str
) -> None:
    paths = client.get(path).json()["paths"]
    assert "/api/v1/admin/users" in paths and "/api/v1/public/detentions" in paths


def test_nul_characters_in_queries_are_client_errors(client: TestClient) -> None:
    headers = token_for(client, "admin")
    reply = client.get("/api/v1/admin/users", params={"agency": "\x00"}, headers=headers)
    assert reply.status_code in (200, 422)  # SQLite can search for NUL; PostgreSQL cannot
    lookup = client.get("/api/v1/public/detentions", params={"name": "\x00", "first_surname": "x"})
    assert lookup.status_code < 500
