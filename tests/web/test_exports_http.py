"""``GET /api/v1/exports/{type}``: streamed, policy-filtered row by row, purpose required,
refused without an exporting role, and audited (issue 6, "Also")."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from conftest import add_agency, add_user, token_for
from plataforma.context import Platform
from plataforma.model.envelope import Marking
from plataforma.records.service import RecordService
from plataforma.security.identity import create_api_key
from plataforma.security.principal import LOCAL_ADMIN, Role
from plataforma.store.tables import audit_log

PURPOSE = {"X-Purpose": "analysis"}
AGENCIES = ("POL-GDL", "POL-ZAP")
FILES = (None, "juvenile")


@pytest.fixture
def stored(world: Platform) -> dict[str, tuple[str, Marking, str | None]]:
    """Incidents of two agencies × every marking × in and out of the juvenile file."""
    add_agency(world, "POL-ZAP", "municipal", "police", "14")
    add_user(world, "jefa", "POL-GDL", ["supervisor"], Marking.CONFIDENTIAL)
    service = RecordService(world)
    made: dict[str, tuple[str, Marking, str | None]] = {}
    for agency in AGENCIES:
        for marking in Marking:
            for restricted in FILES:
                ref = f"{agency}-{marking}-{restricted}"
                body = {
                    "source_ref": ref,
                    "agency": agency,
                    "marking": marking,
                    "restricted_file": restricted,
                    "folio": f"F-{ref}",
                    "occurred_at": "2024-03-01T10:00:00",
                    "place": {"state": "14"},
                    "crime_types": ["robo_a_negocio"],
                }
                result = service.submit(LOCAL_ADMIN, "incident", body)
                made[result.id] = (agency, marking, restricted)
    return made


def _key(world: Platform, roles: list[Role], clearance: Marking = Marking.SBU) -> dict[str, str]:
    with world.engine.begin() as conn:
        key = create_api_key(conn, f"k-{len(roles)}-{clearance}", "POL-GDL", roles, clearance)
    return {"X-API-Key": key}


def _jsonl_ids(reply: Any) -> list[str]:
    return [json.loads(line)["id"] for line in reply.text.splitlines() if line]


def _events(world: Platform, outcome: str) -> list[Any]:
    world.audit.flush()
    with world.engine.connect() as conn:
        return list(
            conn.execute(
                select(audit_log).where(
                    audit_log.c.action == "export", audit_log.c.outcome == outcome
                )
            )
        )


def test_each_exporter_gets_exactly_what_it_may_read(
    client: TestClient, world: Platform, stored: dict[str, tuple[str, Marking, str | None]]
) -> None:
    def expected(readable: Any) -> list[str]:
        return sorted(i for i, facts in stored.items() if readable(*facts))

    cases = {
        # POL-GDL supervisor, CONFIDENTIAL: shared markings nationally, CONFIDENTIAL at home.
        "jefa": expected(
            lambda agency, marking, restricted: (
                restricted is None
                and (
                    marking.rank <= Marking.SBU.rank
                    or (marking is Marking.CONFIDENTIAL and agency == "POL-GDL")
                )
            )
        ),
        # SSPC analyst, federal, SECRET, no restricted file.
        "analyst": expected(lambda agency, marking, restricted: restricted is None),
    }
    for user, ids in cases.items():
        reply = client.get(
            "/api/v1/exports/incident",
            params={"format": "jsonl"},
            headers={**token_for(client, user), **PURPOSE},
        )
        assert reply.status_code == 200, reply.text
        assert reply.headers["content-type"].startswith("application/jsonl")
        assert _jsonl_ids(reply) == ids, user
    key = _key(world, [Role.ANALYST])  # an agency system's key, SBU
    reply = client.get("/api/v1/exports/incident", headers={**key, **PURPOSE})
    assert _jsonl_ids(reply) == expected(
        lambda agency, marking, restricted: restricted is None and marking.rank <= 1
    )


def test_csv_export_has_the_cli_columns_and_filters_apply(
    client: TestClient, world: Platform, stored: dict[str, tuple[str, Marking, str | None]]
) -> None:
    from plataforma.ingest.export import export_columns

    headers = {**token_for(client, "analyst"), **PURPOSE}
    reply = client.get(
        "/api/v1/exports/incident",
        params={"format": "csv", "agency": "POL-ZAP"},
        headers=headers,
    )
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(reply.text)))
    assert rows[0] == export_columns("incident")
    assert {row[rows[0].index("agency")] for row in rows[1:]} == {"POL-ZAP"}
    assert len(rows) - 1 == 4  # four markings, outside the juvenile file
    later = client.get(
        "/api/v1/exports/incident",
        params={"updated_since": "2999-01-01T00:00:00Z"},
        headers=headers,
    )
    assert later.status_code == 200 and later.text == ""
    events = _events(world, "ok")
    assert len(events) == 2  # one EXPORT event an export, the empty one too
    event = next(e for e in events if e.detail["filters"].get("agency"))
    assert event.actor == "analyst" and event.purpose == "analysis"
    assert event.detail["records"] == 4 and event.detail["filters"] == {"agency": "POL-ZAP"}
    assert sorted(event.detail["ids"]) == sorted(
        i for i, (agency, _, restricted) in stored.items() if agency == "POL-ZAP" and not restricted
    )
    assert event.detail["complete"] is True


def test_exports_need_the_role_and_a_purpose(
    client: TestClient, world: Platform, stored: dict[str, tuple[str, Marking, str | None]]
) -> None:
    officer = client.get(
        "/api/v1/exports/incident", headers={**token_for(client, "officer"), **PURPOSE}
    )
    key = client.get("/api/v1/exports/incident", headers={**_key(world, [Role.OFFICER]), **PURPOSE})
    no_purpose = client.get("/api/v1/exports/incident", headers=token_for(client, "analyst"))
    for reply in (officer, key, no_purpose):
        assert reply.status_code == 403, reply.text
        assert reply.headers["content-type"] == "application/problem+json"
        assert "POL-GDL" not in reply.text and "SECRET" not in reply.text
    assert "X-Purpose" in no_purpose.json()["detail"]
    bad = client.get(
        "/api/v1/exports/incident",
        params={"format": "xml"},
        headers={**token_for(client, "analyst"), **PURPOSE},
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["pointer"] == "query:format"
    assert client.get("/api/v1/exports/incident", headers=PURPOSE).status_code == 401
    denied = _events(world, "denied")
    assert {e.actor for e in denied} >= {"officer", "analyst"} and len(denied) == 3
    assert not _events(world, "ok")
