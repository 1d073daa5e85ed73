"""Hit confirmations and agency messages over HTTP: authentication, the policy's answers,
bad input named by field, pages and cursors that leak nothing, and the audit trail written
before the answer leaves."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from conftest import token_for
from exchange_helpers import MARKINGS, add_inquiry, exchange_world, hit_record, notes
from plataforma.context import Platform
from plataforma.model.envelope import Marking
from plataforma.store.tables import audit_log
from plataforma.web.app import create_app

ZERO_ID = "0190a0a0-0000-7000-8000-000000000000"
ENDPOINTS = [
    ("post", "/api/v1/confirmations", {"inquiry_id": "x", "record_id": "y", "priority": "urgent"}),
    ("get", "/api/v1/confirmations?box=in", None),
    ("get", f"/api/v1/confirmations/{ZERO_ID}", None),
    ("post", f"/api/v1/confirmations/{ZERO_ID}/answer", {"answer": "confirmed"}),
    ("post", "/api/v1/messages", {"kind": "bolo", "to": "all", "subject": "s", "body": "b"}),
    ("get", "/api/v1/messages?box=in", None),
    ("get", f"/api/v1/messages/{ZERO_ID}", None),
    ("post", f"/api/v1/messages/{ZERO_ID}/ack", None),
]


@pytest.fixture
def client(world: Platform) -> Iterator[TestClient]:
    """``world`` plus the third agency and users, added before the server (and its audit
    chainer) starts: SQLite refuses a deferred transaction's upgrade that races a writer."""
    exchange_world(world)
    with TestClient(create_app(world)) as test_client:
        yield test_client


@pytest.fixture
def tokens(client: TestClient) -> dict[str, dict[str, str]]:
    users = ("officer", "secreto", "fiscal", "jefe", "zapopan", "auditor")
    return {user: token_for(client, user) for user in users}


def audit_now(platform: Platform, action: str) -> list[Any]:
    """The audit rows committed so far: no flush, so only what was durable at the answer."""
    with platform.engine.connect() as conn:
        query = select(audit_log).where(audit_log.c.action == action).order_by(audit_log.c.id)
        return list(conn.execute(query))


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_every_endpoint_needs_a_login(
    client: TestClient, method: str, path: str, body: dict[str, Any] | None
) -> None:
    reply = client.request(method.upper(), path, json=body)
    assert reply.status_code == 401
    assert reply.headers["content-type"].startswith("application/problem+json")


def test_confirmation_round_trip(
    client: TestClient, world: Platform, tokens: dict[str, dict[str, str]]
) -> None:
    record = hit_record(world, "FGE-JAL", "W-1", Marking.SBU)
    inquiry = add_inquiry(world, "POL-GDL", "officer", [record])
    body = {"inquiry_id": inquiry, "record_id": record, "priority": "routine", "note": "retén"}
    asked = client.post("/api/v1/confirmations", json=body, headers=tokens["officer"])
    assert asked.status_code == 201, asked.text
    item = asked.json()
    assert item["owner_agency"] == "FGE-JAL" and item["status"] == "pending"
    assert "lead, not proof" in item["notice"]
    assert item["owner_contact"]["agency"] == "FGE-JAL"
    assert [e.detail["step"] for e in audit_now(world, "confirmation")] == ["request"]
    url = f"/api/v1/confirmations/{item['id']}"
    wrong = client.post(f"{url}/answer", json={"answer": "confirmed"}, headers=tokens["officer"])
    assert wrong.status_code == 403
    answer = {"answer": "not_confirmed", "note": "vehículo recuperado"}
    done = client.post(f"{url}/answer", json=answer, headers=tokens["fiscal"])
    assert done.status_code == 200 and done.json()["status"] == "not_confirmed"
    again = client.post(f"{url}/answer", json=answer, headers=tokens["jefe"])
    assert again.status_code == 409
    thread = client.get(url, headers=tokens["officer"]).json()
    assert [s["step"] for s in thread["steps"]] == ["request", "answer"]
    assert client.get(url, headers=tokens["zapopan"]).status_code == 404
    steps = [(e.actor, e.detail["step"], e.outcome) for e in audit_now(world, "confirmation")]
    assert ("fiscal", "answer", "ok") in steps and ("officer", "answer", "denied") in steps
    assert ("zapopan", "read", "denied") in steps


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"record_id": "r", "priority": "urgent"}, "/inquiry_id"),
        ({"inquiry_id": "i", "record_id": "r", "priority": "now"}, "/priority"),
        ({"inquiry_id": "i", "record_id": "r", "priority": "urgent", "note": "x" * 2001}, "/note"),
    ],
)
def test_bad_confirmation_requests_name_the_field(
    client: TestClient, tokens: dict[str, dict[str, str]], body: dict[str, Any], pointer: str
) -> None:
    reply = client.post("/api/v1/confirmations", json=body, headers=tokens["officer"])
    assert reply.status_code == 422
    assert [e["pointer"] for e in reply.json()["errors"]] == [pointer]


def test_a_promise_needs_its_time(
    client: TestClient, world: Platform, tokens: dict[str, dict[str, str]]
) -> None:
    record = hit_record(world, "FGE-JAL", "W-1", Marking.SBU)
    inquiry = add_inquiry(world, "POL-GDL", "officer", [record])
    body = {"inquiry_id": inquiry, "record_id": record, "priority": "urgent"}
    item = client.post("/api/v1/confirmations", json=body, headers=tokens["officer"]).json()
    url = f"/api/v1/confirmations/{item['id']}/answer"
    for answer_by in (None, "mañana", "2020-01-01T00:00:00+00:00"):
        reply = client.post(
            url, json={"answer": "will_answer_by", "answer_by": answer_by}, headers=tokens["fiscal"]
        )
        assert reply.status_code == 422, reply.text
        assert reply.json()["errors"][0]["pointer"] == "/answer_by"


@pytest.mark.parametrize("marking", MARKINGS)
def test_message_markings_over_http(
    client: TestClient, world: Platform, tokens: dict[str, dict[str, str]], marking: Marking
) -> None:
    body = {
        "kind": "request_for_information",
        "priority": "urgent",
        "marking": str(marking),
        "to": "agency",
        "to_value": "FGE-JAL",
        "subject": "Solicitud de antecedentes",
        "body": "¿Tienen registro del sujeto con CURP XXXX?",
    }
    sent = client.post("/api/v1/messages", json=body, headers=tokens["secreto"])
    assert sent.status_code == 201, sent.text
    message = sent.json()
    assert [e.detail.get("step") for e in audit_now(world, "message")][-1] == "send"
    url = f"/api/v1/messages/{message['id']}"
    fiscal_sees = marking.rank <= Marking.CONFIDENTIAL.rank  # fiscal: CONFIDENTIAL
    expected = {"fiscal": fiscal_sees, "jefe": True, "zapopan": False, "officer": marking.rank <= 1}
    for user, sees in expected.items():
        reply = client.get(url, headers=tokens[user])
        assert reply.status_code == (200 if sees else 404), (user, reply.text)
    # A page of the box, its cursor and its length show nothing the reader may not read.
    for user, sees in expected.items():
        box = "out" if user == "officer" else "in"
        page = client.get(f"/api/v1/messages?box={box}&limit=1", headers=tokens[user]).json()
        assert [m["id"] for m in page["items"]] == ([message["id"]] if sees else [])
        assert page["next_cursor"] is None
    ack = client.post(f"{url}/ack", headers=tokens["fiscal"])
    assert ack.status_code == (200 if fiscal_sees else 404)
    assert client.post(f"{url}/ack", headers=tokens["zapopan"]).status_code == 404
    assert notes(world, recipient_agency="POL-ZAP") == []
    receipts = client.get(url, headers=tokens["secreto"]).json()["receipts"]
    assert receipts[0]["acked_by"] == ("fiscal" if fiscal_sees else None)


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        ({"to": "state", "to_value": "Jalsco"}, "/to_value"),
        ({"to": "level", "to_value": "provincial"}, "/to_value"),
        ({"to": "planet"}, "/to"),
        ({"kind": "gossip"}, "/kind"),
        ({"priority": "whenever"}, "/priority"),
        ({"marking": "TOP"}, "/marking"),
        ({"subject": ""}, "/subject"),
        ({"body": "x" * 8001}, "/body"),
        ({"body": "x" * 100_001}, "/body"),
    ],
)
def test_bad_messages_name_the_field(
    client: TestClient, tokens: dict[str, dict[str, str]], change: dict[str, Any], pointer: str
) -> None:
    body = {"kind": "bolo", "to": "all", "subject": "BOLO", "body": "texto"} | change
    reply = client.post("/api/v1/messages", json=body, headers=tokens["officer"])
    assert reply.status_code == 422, reply.text
    assert [e["pointer"] for e in reply.json()["errors"]] == [pointer]


def test_cursors_are_checked(client: TestClient, tokens: dict[str, dict[str, str]]) -> None:
    for path in ("/api/v1/messages", "/api/v1/confirmations"):
        reply = client.get(f"{path}?box=in&cursor=garbage", headers=tokens["officer"])
        assert reply.status_code == 422
        assert reply.json()["errors"][0]["pointer"] == "/cursor"
        assert client.get(f"{path}?box=sideways", headers=tokens["officer"]).status_code == 422
