"""Nothing leaks through an inquiry: hidden records change no hit flag, count or order.

Two municipal agencies of one state (POL-GDL, POL-ZAP), a state prosecutor (FGE-JAL) and a
federal agency (SSPC); warrants and stolen vehicles of every marking, in and out of a
restricted file, all about one man and one plate. Each caller's answer must be exactly the
answer it would get from a store holding only the records it may read.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete

from conftest import add_agency, add_user, token_for
from plataforma.context import Platform
from plataforma.model.envelope import Marking
from plataforma.records.service import facts
from plataforma.security import policy
from plataforma.security.agencies import agency_facts
from plataforma.security.identity import get_user
from plataforma.security.principal import Principal
from plataforma.store import reader
from plataforma.store.tables import record_keys, records

sys.path.insert(0, str(Path(__file__).parents[1] / "inquiry"))
from inquiry_fixtures import BORN, PLATE, store, vehicle, warrant

AGENCIES = ("POL-GDL", "POL-ZAP")
FILES: tuple[str | None, ...] = (None, "juvenile")
USERS = ("officer", "zapopan", "fiscal", "analyst", "menores")


@pytest.fixture
def headers(client: TestClient, world: Platform) -> dict[str, dict[str, str]]:
    add_agency(world, "POL-ZAP", "municipal", "police", "14")
    add_user(world, "zapopan", "POL-ZAP", ["officer"], Marking.CONFIDENTIAL)
    add_user(world, "menores", "POL-GDL", ["officer"], Marking.SBU, ("juvenile",))
    return {u: {**token_for(client, u), "X-Purpose": "patrol"} for u in USERS}


def _every_marking(world: Platform) -> list[str]:
    rows = []
    for n, (agency, marking, file) in enumerate(itertools.product(AGENCIES, Marking, FILES)):
        extra: dict[str, Any] = {"agency": agency, "marking": str(marking)}
        if file:
            extra["restricted_file"] = file
        armed = {"armed_and_dangerous": n % 3 == 0}
        rows.append(warrant(f"W{n}", issuing_state="14", **extra, **armed))
        rows.append(vehicle(f"V{n}", **extra))
    return store(world, rows)


def _readable(world: Platform, username: str, ids: list[str]) -> set[str]:
    """The ids of ``ids`` the policy lets ``username`` read, as the login builds the caller."""
    with world.engine.connect() as conn:
        user = get_user(conn, username)
        assert user is not None
        known = agency_facts(conn, user.agency)
        records = [reader.get_record(conn, i) for i in ids]
    assert known is not None
    principal = Principal(
        user.username,
        user.agency,
        user.roles,
        user.clearance,
        known.level,
        known.state,
        user.restricted_access,
    )
    purpose = policy.Purpose.PATROL
    return {r.id for r in records if r and policy.can_read(principal, facts(r), purpose)}


def _shape(body: dict[str, Any]) -> list[tuple[str, ...]]:
    """The answer without its inquiry id: what a hidden record must not change."""
    return [(h["record_id"], h["hit_kind"], *h["caveats"]) for h in body["hits"]] + [
        (o["record_id"], o["reason"]) for o in body["other_records"]
    ]


@pytest.mark.parametrize("username", USERS)
def test_hidden_records_change_nothing(
    client: TestClient, world: Platform, headers: dict[str, dict[str, str]], username: str
) -> None:
    ids = _every_marking(world)
    visible = _readable(world, username, ids)
    assert 0 < len(visible) < len(ids)
    person = {"name": "Ramón Salas Ibarra", "date_of_birth": BORN}
    asked = [
        client.post("/api/v1/inquiries/person", json=person, headers=headers[username]),
        client.post("/api/v1/inquiries/vehicle", json={"plate": PLATE}, headers=headers[username]),
    ]
    for reply in asked:
        assert reply.status_code == 200, reply.text
        found = {h["record_id"] for h in reply.json()["hits"]}
        assert found == {i for i in visible if i in found} and found <= visible
    answered = {h["record_id"] for r in asked for h in r.json()["hits"]}
    assert answered == visible
    # Remove every record this caller may not read: the answers are the same, in order.
    hidden = [i for i in ids if i not in visible]
    with world.engine.begin() as conn:
        conn.execute(delete(record_keys).where(record_keys.c.record_id.in_(hidden)))
        conn.execute(delete(records).where(records.c.id.in_(hidden)))
    again = [
        client.post("/api/v1/inquiries/person", json=person, headers=headers[username]),
        client.post("/api/v1/inquiries/vehicle", json={"plate": PLATE}, headers=headers[username]),
    ]
    for before, after in zip(asked, again, strict=True):
        assert _shape(before.json()) == _shape(after.json())
        assert before.json()["hit"] == after.json()["hit"]
        assert before.json()["complete"] == after.json()["complete"]


def test_a_caller_who_may_read_none_gets_no_hit(
    client: TestClient, world: Platform, headers: dict[str, dict[str, str]]
) -> None:
    store(world, [vehicle("V-S", agency="POL-ZAP", marking="SECRET", plate_state="09")])
    reply = client.post(
        "/api/v1/inquiries/vehicle", json={"plate": PLATE}, headers=headers["officer"]
    )
    assert reply.json()["hit"] is False and reply.json()["other_records"] == []
