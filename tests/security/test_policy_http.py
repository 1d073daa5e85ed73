"""The policy as callers meet it through the API: roles, ownership, markings, purpose."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from conftest import add_user, token_for
from plataforma.context import Platform
from plataforma.model.envelope import Marking
from plataforma.security.policy import WRITE_REFUSED

PURPOSE = {"X-Purpose": "investigation"}


def incident(source_ref: str, state: str = "14", **extra: Any) -> dict[str, Any]:
    return {
        "source_ref": source_ref,
        "folio": f"F-{source_ref}",
        "occurred_at": "2024-03-01T10:00:00",
        "place": {"state": state},
        "crime_types": ["robo_a_negocio"],
        **extra,
    }


def warrant(source_ref: str) -> dict[str, Any]:
    return {
        "source_ref": source_ref,
        "given_names": "Mario",
        "first_surname": "Ficticio",
        "warrant_type": "aprehension",
        "case_number": "CP-12/2024",
        "issued_by": "Juzgado Primero de Control",
        "issued_at": "2024-01-10",
        "issuing_state": "14",
        "crime_types": ["extorsion"],
    }


def post(client: TestClient, user: str, kind: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/records/{kind}", json=body, headers=token_for(client, user))


@pytest.mark.parametrize(
    ("user", "kind", "status"),
    [
        ("officer", "incident", 201),
        ("officer", "warrant", 403),
        ("fiscal", "warrant", 201),
        ("analyst", "incident", 403),
        ("analyst", "warrant", 403),
        ("auditor", "incident", 403),
    ],
)
def test_write_role_matrix(client: TestClient, user: str, kind: str, status: int) -> None:
    body = incident("R-1") if kind == "incident" else warrant("W-1")
    reply = post(client, user, kind, body)
    assert reply.status_code == status, reply.text
    if status == 403:
        assert reply.headers["content-type"] == "application/problem+json"


def test_clerk_cannot_write_a_record_owned_by_another_agency(client: TestClient) -> None:
    reply = post(client, "clerk", "incident", incident("R-2", agency="SSPC"))
    # Every refused write answers alike (issue 6): the reason is in the audit log only.
    assert reply.status_code == 403 and reply.json()["detail"] == WRITE_REFUSED
    assert post(client, "clerk", "incident", incident("R-2")).status_code == 201


def _read(client: TestClient, user: str, record_id: str) -> int:
    headers = {**token_for(client, user), **PURPOSE}
    return int(client.get(f"/api/v1/records/incident/{record_id}", headers=headers).status_code)


def test_confidential_records_by_jurisdiction(client: TestClient, world: Platform) -> None:
    add_user(world, "jefe-gdl", "POL-GDL", ["supervisor"], Marking.CONFIDENTIAL)
    own = post(client, "officer", "incident", incident("C-14", marking="CONFIDENTIAL"))
    cdmx = post(
        client, "admin", "incident", incident("C-09", "09", marking="CONFIDENTIAL", agency="SSPC")
    )
    federal_in_14 = post(
        client, "admin", "incident", incident("C-SSPC-14", marking="CONFIDENTIAL", agency="SSPC")
    )
    ids = {
        name: r.json()["id"] for name, r in [("own", own), ("cdmx", cdmx), ("f14", federal_in_14)]
    }
    assert _read(client, "fiscal", ids["own"]) == 200  # state agency, state 14
    assert _read(client, "fiscal", ids["f14"]) == 200
    assert _read(client, "fiscal", ids["cdmx"]) == 403  # state 09 is not its jurisdiction
    assert _read(client, "jefe-gdl", ids["own"]) == 200  # municipal: own records only
    assert _read(client, "jefe-gdl", ids["f14"]) == 403
    assert _read(client, "jefe-gdl", ids["cdmx"]) == 403
    assert _read(client, "officer", ids["own"]) == 403  # own agency, but clearance SBU
    headers = {**token_for(client, "fiscal"), **PURPOSE}
    listed = client.get("/api/v1/records/incident", headers=headers).json()["items"]
    assert {r["id"] for r in listed} == {ids["own"], ids["f14"]}


def test_restricted_file_needs_the_grant(client: TestClient, world: Platform) -> None:
    add_user(world, "pandillas", "SSPC", ["intelligence_analyst"], Marking.SECRET, ("gang",))
    made = post(client, "officer", "incident", incident("G-1", restricted_file="gang"))
    record_id = made.json()["id"]
    assert _read(client, "analyst", record_id) == 403
    assert _read(client, "pandillas", record_id) == 200


def test_reads_and_queries_without_purpose_are_refused(client: TestClient) -> None:
    record_id = post(client, "officer", "incident", incident("P-1")).json()["id"]
    headers = token_for(client, "officer")
    for url in (
        f"/api/v1/records/incident/{record_id}",
        f"/api/v1/records/incident/{record_id}/history",
        "/api/v1/records/incident",
    ):
        reply = client.get(url, headers=headers)
        assert reply.status_code == 403, url
        assert reply.headers["content-type"] == "application/problem+json"
        assert "X-Purpose" in reply.json()["detail"]
    assert client.get(
        f"/api/v1/records/incident/{record_id}", headers={**headers, **PURPOSE}
    ).is_success


def test_auditor_searches_audit_but_cannot_read_records(client: TestClient) -> None:
    record_id = post(client, "officer", "incident", incident("A-1")).json()["id"]
    assert _read(client, "auditor", record_id) == 403
    events = client.get(
        "/api/v1/audit/events",
        params={"record_id": record_id},
        headers=token_for(client, "auditor"),
    )
    assert events.status_code == 200 and events.json()
    assert (
        client.get("/api/v1/audit/events", headers=token_for(client, "officer")).status_code == 403
    )
