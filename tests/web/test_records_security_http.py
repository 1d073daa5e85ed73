"""Issue 6, findings 1, 2, 3 and 9 as an attacker meets them through the API.

Two municipal agencies of one state (POL-GDL, POL-ZAP), a state prosecutor (FGE-JAL), a
federal agency (SSPC), records of every marking in and out of a restricted file. Each test
states what the attack run did and what the platform must answer instead.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from conftest import add_agency, add_user, token_for
from plataforma.context import Platform
from plataforma.model.envelope import Marking, RestrictedFile
from plataforma.records.service import RecordService
from plataforma.security import policy
from plataforma.security.agencies import agency_facts
from plataforma.security.identity import get_user
from plataforma.security.principal import LOCAL_ADMIN, Principal
from plataforma.store import reader
from plataforma.store.tables import audit_log
from plataforma.store.writer import WriteResult

PURPOSE = {"X-Purpose": "investigation"}
AGENCIES = ("POL-GDL", "POL-ZAP")
FILES: tuple[str | None, ...] = (None, "juvenile")


def incident(source_ref: str, note: str = "", **extra: Any) -> dict[str, Any]:
    return {
        "source_ref": source_ref,
        "folio": f"F-{source_ref}",
        "occurred_at": "2024-03-01T10:00:00",
        "place": {"state": "14"},
        "crime_types": ["robo_a_negocio"],
        "narrative": note or f"hechos de {source_ref}",
        **extra,
    }


def store(platform: Platform, source_ref: str, **extra: Any) -> WriteResult:
    """A record entered by the local administrator (who may write any agency's records)."""
    body = incident(source_ref, **{"agency": "POL-GDL", **extra})
    return RecordService(platform).submit(LOCAL_ADMIN, "incident", body)


@pytest.fixture
def headers(client: TestClient, world: Platform) -> dict[str, dict[str, str]]:
    """One token per user (a fresh login per request would be slow and replays TOTP)."""
    add_agency(world, "POL-ZAP", "municipal", "police", "14")
    add_user(world, "zapopan", "POL-ZAP", ["officer"], Marking.CONFIDENTIAL)
    add_user(world, "menores", "POL-GDL", ["records_clerk"], Marking.SBU, ("juvenile",))
    users = ("officer", "clerk", "fiscal", "analyst", "zapopan", "menores", "admin")
    return {user: token_for(client, user) for user in users}


def _canonical(reply: Any) -> str:
    return json.dumps(reply.json(), sort_keys=True)


# Finding 1 -------------------------------------------------------------------------------


def test_writes_cannot_replace_records_the_writer_may_not_read(
    client: TestClient, world: Platform, headers: dict[str, dict[str, str]]
) -> None:
    secret = store(world, "S-1", marking="SECRET", note="informante clave")
    juvenile = store(world, "J-1", restricted_file="juvenile", note="menor de edad")
    officer = headers["officer"]  # POL-GDL, clearance SBU, no restricted file
    over_secret = client.post("/api/v1/records/incident", json=incident("S-1"), headers=officer)
    over_juvenile = client.post("/api/v1/records/incident", json=incident("J-1"), headers=officer)
    # Resubmitting the stored content exactly must not answer "unchanged" either.
    same = incident("S-1", "informante clave", agency="POL-GDL", marking="SECRET")
    resubmitted = client.post("/api/v1/records/incident", json=same, headers=officer)
    put = client.put(
        f"/api/v1/records/incident/{secret.id}",
        json=incident("S-1"),
        headers={**officer, "If-Match": "1"},
    )
    put_stale = client.put(  # a wrong version must not answer 412 (that tells the version)
        f"/api/v1/records/incident/{secret.id}",
        json=incident("OTHER-REF"),
        headers={**officer, "If-Match": "9"},
    )
    batch = client.post(
        "/api/v1/records/incident/batch",
        json=[incident("NEW-1"), incident("J-1")],
        headers=officer,
    )
    # Refusals that have nothing to do with a hidden record: the same answer, word for word.
    wrong_type = client.post(
        "/api/v1/records/warrant",
        json={"source_ref": "W-1", "given_names": "Mario", "first_surname": "Ficticio"},
        headers=officer,
    )
    foreign = client.post(
        "/api/v1/records/incident", json=incident("X-1", agency="SSPC"), headers=officer
    )
    replies = [over_secret, over_juvenile, resubmitted, put, put_stale, batch, foreign]
    assert [r.status_code for r in replies] == [403] * len(replies), [r.text for r in replies]
    assert {_canonical(r) for r in replies} == {_canonical(foreign)}
    assert wrong_type.status_code in (403, 422)  # a warrant missing fields may fail validation
    assert "SECRET" not in over_secret.text and "juvenile" not in over_juvenile.text

    with world.engine.connect() as conn:
        for record in (secret, juvenile):
            assert [v.version for v in reader.history(conn, record.id)] == [1]  # not written over
        # The batch failed whole: its new record was not stored either.
        assert reader.get_by_source(conn, "POL-GDL", "incident", "NEW-1") is None

    with world.engine.connect() as conn:
        world.audit.flush()
        denied = conn.execute(
            select(audit_log.c.record_id, audit_log.c.detail).where(
                audit_log.c.actor == "officer",
                audit_log.c.action == "write",
                audit_log.c.outcome == "denied",
            )
        ).all()
    reasons = {row.record_id: row.detail["reason"] for row in denied if row.record_id}
    assert "above your clearance" in reasons[secret.id]
    assert "restricted file" in reasons[juvenile.id]


def test_writers_still_update_records_they_may_read(
    client: TestClient, world: Platform, headers: dict[str, dict[str, str]]
) -> None:
    officer = headers["officer"]
    made = client.post("/api/v1/records/incident", json=incident("V-1"), headers=officer)
    assert made.status_code == 201
    again = client.post("/api/v1/records/incident", json=incident("V-1", "otra"), headers=officer)
    assert again.status_code == 200 and again.json()["outcome"] == "updated"
    put = client.put(
        f"/api/v1/records/incident/{made.json()['id']}",
        json=incident("V-1", "tercera"),
        headers={**officer, "If-Match": "2"},
    )
    assert put.status_code == 200 and put.json()["version"] == 3
    stale = client.put(
        f"/api/v1/records/incident/{made.json()['id']}",
        json=incident("V-1", "cuarta"),
        headers={**officer, "If-Match": "2"},
    )
    assert stale.status_code == 412
    # A juvenile-file clerk of the same agency may replace the juvenile record.
    store(world, "J-2", restricted_file="juvenile")
    body = incident("J-2", "corregido", restricted_file="juvenile")
    assert (
        client.post("/api/v1/records/incident", json=body, headers=headers["menores"]).status_code
        == 200
    )


# Finding 2 -------------------------------------------------------------------------------


def test_history_withholds_versions_above_the_reader(
    client: TestClient, world: Platform, headers: dict[str, dict[str, str]]
) -> None:
    secret_first = store(world, "D-1", marking="SECRET", note="fuente: informante ALFA")
    store(world, "D-1", marking="PUBLIC", note="versión pública")
    juvenile_first = store(world, "D-2", restricted_file="juvenile", note="menor: Pedro")
    store(world, "D-2", note="sin menores")
    expected = {  # who sees version 1 of D-1 (SECRET) and of D-2 (SBU, juvenile file)
        "officer": (False, False),  # POL-GDL, SBU
        "fiscal": (False, False),  # state 14 prosecutor, CONFIDENTIAL
        "zapopan": (False, False),  # other municipality, CONFIDENTIAL
        "analyst": (True, False),  # federal, SECRET, no restricted file
        "menores": (False, True),  # POL-GDL, SBU, juvenile file
    }
    for user, (sees_secret, sees_juvenile) in expected.items():
        for record, sees, hidden_text in (
            (secret_first, sees_secret, "ALFA"),
            (juvenile_first, sees_juvenile, "Pedro"),
        ):
            reply = client.get(
                f"/api/v1/records/incident/{record.id}/history",
                headers={**headers[user], **PURPOSE},
            )
            assert reply.status_code == 200, (user, reply.text)
            first, second = reply.json()
            assert second["withheld"] is False and second["data"]
            if sees:
                assert first["withheld"] is False and hidden_text in reply.text
            else:
                assert first == {
                    "version": 1,
                    "withheld": True,
                    "marking": None,
                    "restricted_file": None,
                    "status": None,
                    "entered_by": None,
                    "entered_at": None,
                    "data": None,
                }, user
                assert hidden_text not in reply.text and "SECRET" not in reply.text


def test_history_of_a_record_whose_current_version_is_hidden_is_refused(
    client: TestClient, world: Platform, headers: dict[str, dict[str, str]]
) -> None:
    store(world, "U-1", note="público")
    upgraded = store(world, "U-1", marking="SECRET", note="ahora secreto")
    reply = client.get(
        f"/api/v1/records/incident/{upgraded.id}/history",
        headers={**headers["officer"], **PURPOSE},
    )
    assert reply.status_code == 403 and "público" not in reply.text


def test_the_record_page_shows_withheld_versions(client: TestClient, world: Platform) -> None:
    from ui_session import signed_in

    first = store(world, "D-3", marking="SECRET", note="fuente: informante BRAVO")
    store(world, "D-3", marking="PUBLIC", note="versión pública")
    page = signed_in(client, "officer").get(f"/ui/records/{first.id}?purpose=investigation")
    assert page.status_code == 200
    # Markings show under their Spanish labels (SECRET is "SECRETO").
    assert 'class="withheld"' in page.text and "<td>SECRETO</td>" not in page.text
    assert "versión pública" in page.text
    page = signed_in(client, "analyst").get(f"/ui/records/{first.id}?purpose=investigation")
    assert 'class="withheld"' not in page.text and "<td>SECRETO</td>" in page.text


# Finding 3 -------------------------------------------------------------------------------


def _principal(world: Platform, username: str) -> Principal:
    """The facts the policy decides ``username``'s requests on, as the login builds them."""
    with world.engine.connect() as conn:
        user = get_user(conn, username)
        assert user is not None
        facts = agency_facts(conn, user.agency)
    assert facts is not None
    return Principal(
        user.username,
        user.agency,
        user.roles,
        user.clearance,
        facts.level,
        facts.state,
        user.restricted_access,
    )


@pytest.mark.parametrize("limit", [1, 2, 5])
def test_list_pages_and_cursors_hold_only_visible_records(
    client: TestClient, world: Platform, headers: dict[str, dict[str, str]], limit: int
) -> None:
    facts: dict[str, policy.RecordFacts] = {}
    for agency in AGENCIES:
        for marking in Marking:
            for restricted in FILES:
                ref = f"{agency}-{marking}-{restricted}"
                made = store(world, ref, agency=agency, marking=marking, restricted_file=restricted)
                facts[made.id] = policy.RecordFacts(
                    "incident",
                    agency,
                    marking,
                    "14",
                    RestrictedFile(restricted) if restricted else None,
                )
    for user in ("officer", "fiscal", "zapopan", "analyst", "menores"):
        who = _principal(world, user)
        visible = [
            i for i, f in sorted(facts.items()) if policy.can_read(who, f, policy.Purpose.PATROL)
        ]
        seen: list[str] = []
        cursor: str | None = None
        requests = 0
        while True:
            requests += 1
            params: dict[str, Any] = {"limit": limit}
            if cursor:
                params["cursor"] = cursor
            page = client.get(
                "/api/v1/records/incident", params=params, headers={**headers[user], **PURPOSE}
            ).json()
            ids = [item["id"] for item in page["items"]]
            seen += ids
            if page["next_cursor"] is None:
                break
            assert page["next_cursor"] == ids[-1], (
                user
            )  # the last *visible* row, never a hidden one
            cursor = page["next_cursor"]
        assert seen == visible, user
        # A cursor only while more visible rows follow (hidden rows follow the last one).
        assert requests == max(1, -(-len(visible) // limit)), user


def test_a_source_ref_lookup_of_a_hidden_record_looks_like_no_record(
    client: TestClient, world: Platform, headers: dict[str, dict[str, str]]
) -> None:
    store(world, "H-1", marking="SECRET")
    store(world, "H-2", restricted_file="juvenile")
    officer = {**headers["officer"], **PURPOSE}
    answers = {
        _canonical(
            client.get(
                "/api/v1/records/incident",
                params={"agency": "POL-GDL", "source_ref": ref, "limit": 1},
                headers=officer,
            )
        )
        for ref in ("H-1", "H-2", "NO-SUCH-REF")
    }
    assert answers == {json.dumps({"items": [], "next_cursor": None}, sort_keys=True)}


def test_search_limits_count_visible_records_only(
    client: TestClient, world: Platform, headers: dict[str, dict[str, str]]
) -> None:
    service = RecordService(world)
    vehicle = {"plate": "JKL123A", "plate_state": "14", "agency": "POL-GDL"}
    hidden = service.submit(
        LOCAL_ADMIN, "vehicle", {**vehicle, "source_ref": "VH-1", "marking": "SECRET"}
    )
    shown = service.submit(LOCAL_ADMIN, "vehicle", {**vehicle, "source_ref": "VH-2"})
    assert hidden.id < shown.id  # the hidden match comes first in the index
    reply = client.get(
        "/api/v1/search",
        params={"kind": "plate", "q": "JKL123A", "limit": 1},
        headers={**headers["officer"], **PURPOSE},
    )
    found = [record["id"] for group in reply.json()["groups"] for record in group["records"]]
    assert found == [shown.id]


# Finding 9 -------------------------------------------------------------------------------


def test_the_type_in_the_path_is_checked_everywhere(
    client: TestClient, world: Platform, headers: dict[str, dict[str, str]]
) -> None:
    made = store(world, "T-1")
    officer = {**headers["officer"], **PURPOSE}
    missing = "01890000-0000-7000-8000-000000000000"
    for suffix in ("", "/history"):
        wrong = client.get(f"/api/v1/records/vehicle/{made.id}{suffix}", headers=officer)
        absent = client.get(f"/api/v1/records/vehicle/{missing}{suffix}", headers=officer)
        assert wrong.status_code == absent.status_code == 404, suffix
        assert wrong.json()["detail"].replace(made.id, "X") == absent.json()["detail"].replace(
            missing, "X"
        )
        right = client.get(f"/api/v1/records/incident/{made.id}{suffix}", headers=officer)
        assert right.status_code == 200
    put = client.put(
        f"/api/v1/records/vehicle/{made.id}",
        json={"source_ref": "T-1", "plate": "ABC123"},
        headers={**officer, "If-Match": "1"},
    )
    assert put.status_code == 404
