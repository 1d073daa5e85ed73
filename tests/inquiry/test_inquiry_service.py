"""Hit/no-hit inquiries through the service, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from inquiry_fixtures import (
    BORN,
    CURP,
    PLATE,
    SERIAL,
    TODAY,
    VIN,
    firearm,
    incident,
    person,
    protection_order,
    store,
    vehicle,
    warrant,
)
from sqlalchemy import select

from conftest import add_agency
from plataforma.context import Platform
from plataforma.inquiry import (
    FirearmQuery,
    InvalidQuery,
    PersonQuery,
    VehicleQuery,
    inquire,
)
from plataforma.model.envelope import Marking
from plataforma.records.errors import Forbidden
from plataforma.security.audit import AuditAction
from plataforma.security.audit_verify import AuditQuery, search_audit
from plataforma.security.policy import Purpose
from plataforma.security.principal import Principal, Role
from plataforma.store.tables import inquiries, inquiry_keys

OFFICER = Principal("officer", "POL-GDL", frozenset({Role.OFFICER}), Marking.SBU, "municipal", "14")


@pytest.fixture(autouse=True)
def _owners(platform: Platform) -> None:
    for code in ("POL-GDL", "FGE-JAL", "SSPC"):
        add_agency(platform, code)


def ask(platform: Platform, query: object, purpose: Purpose | None = Purpose.PATROL):  # type: ignore[no-untyped-def]
    return inquire(platform, OFFICER, query, purpose, today=TODAY)  # type: ignore[arg-type]


def test_a_wanted_man_is_a_hit_with_caveats_guidance_and_a_confirmation_handle(
    platform: Platform,
) -> None:
    ids = store(
        platform,
        [
            warrant("W1", armed_and_dangerous=True, caveats="Porta arma corta"),
            *[person(f"P{i}", date_of_birth=BORN) for i in range(120)],
        ],
    )
    answer = ask(platform, PersonQuery(name="RAMON SALAS IBARRA", date_of_birth=BORN))
    assert answer.hit and len(answer.hits) == 1
    hit = answer.hits[0].to_json()
    assert hit["record_id"] == ids[0] and hit["agency"] == "FGE-JAL"
    assert hit["hit_kind"] == "active_warrant" and hit["status"] == "active"
    assert hit["caveats"] == ["armed_and_dangerous", "violent"]
    assert hit["remarks"] == "Porta arma corta" and hit["date"] == "2026-03-02"
    assert hit["what_to_do"] == "hold_and_confirm_warrant"
    assert hit["confirmation"] == {
        "inquiry_id": answer.inquiry_id,
        "record_id": ids[0],
        "owner_agency": "FGE-JAL",
    }
    body = answer.to_json()
    assert "lead, not proof" in body["notice"]
    assert all(o["reason"] == "record_only" for o in body["other_records"])


@pytest.mark.parametrize(
    "typed",
    [
        {"name": "ramon salas ibarra"},  # case, no accent
        {"name": "Ramón Salas"},  # second surname dropped
        {"name": "Ramon Slas Ibarra"},  # a dropped letter
        {"name": "Ramon Sala Ibarra"},
        {"name": "Ramno Salas Ibarra"},  # transposed letters
        {"name": "Ramon Zalas Ibarra"},  # Spanish spelling confusions
        {"name": "Ramon Salas Ybarra"},
        {"name": "Ramon Salas Hibarra"},
        {"name": "Ramon Salaz Ibarra"},
        {"name": "Salas Ibarra, Ramón"},  # surnames first
        {"given_names": "RAMÓN", "first_surname": "SALAS", "second_surname": "IBARRA"},
    ],
)
def test_names_as_officers_type_them_find_the_warrant(
    platform: Platform, typed: dict[str, str]
) -> None:
    store(platform, [warrant("W1")])
    answer = ask(platform, PersonQuery(**typed, date_of_birth=BORN))
    assert [h.record_type for h in answer.hits] == ["warrant"], typed


def test_a_typo_the_curp_block_catches(platform: Platform) -> None:
    """A substituted letter no variant covers: the CURP initials and birth date find him."""
    store(platform, [warrant("W1", curp=CURP)])
    answer = ask(platform, PersonQuery(name="Ramon Salas Ibarrq", date_of_birth=BORN))
    assert [h.record_type for h in answer.hits] == ["warrant"]
    assert answer.hits[0].match["score"] < 1


def test_a_different_date_of_birth_or_person_is_no_hit(platform: Platform) -> None:
    store(platform, [warrant("W1")])
    assert not ask(platform, PersonQuery(name="Ramón Salas Ibarra", date_of_birth="1990-01-01")).hit
    assert not ask(platform, PersonQuery(name="Roberto Salinas Ibarra", date_of_birth=BORN)).hit


def test_curp_and_document(platform: Platform) -> None:
    store(
        platform,
        [
            warrant("W1", curp=CURP),
            person("P1", documents=[{"kind": "ine", "number": "SLIBRM84071914H400"}]),
        ],
    )
    assert ask(platform, PersonQuery(curp=CURP.lower())).hits[0].record_type == "warrant"
    answer = ask(platform, PersonQuery(document="slibrm84071914h400"))
    assert not answer.hit and [o.record_type for o in answer.others] == ["person"]


def test_not_hits_say_why(platform: Platform) -> None:
    store(
        platform,
        [
            warrant("W-OLD", expires_at="2026-01-01"),
            warrant("W-CLEARED", status="cleared"),
            incident("I1", role="victim"),
            incident("I2", role="witness"),
            protection_order("PO1"),
        ],
    )
    answer = ask(platform, PersonQuery(name="Ramón Salas Ibarra", date_of_birth=BORN))
    assert [h.record_type for h in answer.hits] == ["protection_order"]
    assert answer.hits[0].caveats == ["protection_order"]
    reasons = sorted(o.reason for o in answer.others)
    assert reasons == ["expired", "named_in_report", "named_in_report", "not_active"]
    details = " ".join(o.detail for o in answer.others)
    assert "named as victim" in details and "named as witness" in details


def test_vehicles_by_plate_typed_any_way_and_by_vin(platform: Platform) -> None:
    ids = store(platform, [vehicle("V1")])
    for typed in ("jkl123a", "JKL 123 A", "jkl-123-a"):
        answer = ask(platform, VehicleQuery(plate=typed))
        assert [h.record_id for h in answer.hits] == ids
        assert answer.hits[0].kind == "stolen_vehicle"
    with_state = ask(platform, VehicleQuery(plate=PLATE, state="Jalisco"))
    assert with_state.hits[0].match["same_state"] is True
    other_state = ask(platform, VehicleQuery(plate=PLATE, state="09"))
    assert other_state.hit and other_state.hits[0].match["same_state"] is False
    assert ask(platform, VehicleQuery(vin=VIN.lower())).hit


def test_a_recovered_vehicle_is_not_a_hit(platform: Platform) -> None:
    store(platform, [vehicle("V1", theft="recuperado")])
    answer = ask(platform, VehicleQuery(plate=PLATE))
    assert not answer.hit and answer.others[0].reason == "recovered_vehicle"


def test_firearms_by_serial(platform: Platform) -> None:
    store(platform, [firearm("F1")])
    answer = ask(platform, FirearmQuery(serial="abc-12345"))
    assert answer.hits[0].kind == "stolen_firearm" and answer.hits[0].agency == "SSPC"
    store(platform, [firearm("F1", status="registered")])
    assert not ask(platform, FirearmQuery(serial=SERIAL)).hit


def test_a_detention_in_force_is_a_hit_and_a_past_one_is_not(platform: Platform) -> None:
    def detention(ref: str, at: str) -> tuple[str, dict[str, object]]:
        return "detention", {
            "source_ref": ref,
            "agency": "POL-GDL",
            **{"given_names": "Ramón", "first_surname": "Salas", "second_surname": "Ibarra"},
            "date_of_birth": BORN,
            "detained_at": at,
            "place": {"state": "14", "municipality": "14039"},
            "detention_type": "flagrancia",
            "reasons": ["robo_a_transeunte_en_via_publica"],
            "arresting_officers": ["Agente 1"],
            "receiving_authority": "MP Zapopan",
        }

    store(
        platform,
        [
            detention("D1", "2026-11-30T10:00:00-06:00"),
            detention("D2", "2025-01-01T10:00:00-06:00"),
        ],
    )
    answer = ask(platform, PersonQuery(name="Ramón Salas Ibarra", date_of_birth=BORN))
    assert [h.kind for h in answer.hits] == ["detention_in_force"]
    assert [o.reason for o in answer.others] == ["detention_past"]


@pytest.mark.parametrize(
    ("query", "pointer"),
    [
        (VehicleQuery(plate="12"), "/plate"),
        (VehicleQuery(plate="ABC*"), "/plate"),
        (VehicleQuery(plate="ABC123", state="Atlantis"), "/state"),
        (VehicleQuery(), "/"),
        (VehicleQuery(vin="123"), "/vin"),
        (PersonQuery(name="Ramón"), "/name"),
        (PersonQuery(name="R% Salas"), "/name"),
        (PersonQuery(name="Ramón Salas", date_of_birth="31/31/1984"), "/date_of_birth"),
        (PersonQuery(curp="XXXX"), "/curp"),
        (PersonQuery(), "/"),
        (PersonQuery(curp=CURP, name="Ramón Salas"), "/"),
        (FirearmQuery(serial="S/N"), "/serial"),
    ],
)
def test_bad_input_names_the_field(platform: Platform, query: object, pointer: str) -> None:
    with pytest.raises(InvalidQuery) as raised:
        ask(platform, query)
    assert raised.value.errors[0].pointer == pointer


def test_purpose_is_required_and_every_inquiry_is_audited_and_logged(platform: Platform) -> None:
    ids = store(platform, [vehicle("V1")])
    with pytest.raises(Forbidden):
        ask(platform, VehicleQuery(plate=PLATE), purpose=None)
    answer = ask(platform, VehicleQuery(plate=PLATE))
    with platform.engine.connect() as conn:
        events = search_audit(conn, AuditQuery(action=AuditAction.INQUIRY))
    assert sorted(e["outcome"] for e in events) == ["denied", "ok"]
    ok = next(e for e in events if e["outcome"] == "ok")
    assert ok["detail"]["inquiry_id"] == answer.inquiry_id and ok["detail"]["hits"] == ids
    assert ok["purpose"] == "patrol" and ok["record_type"] == "vehicle"
    with platform.engine.connect() as conn:
        row = conn.execute(select(inquiries)).one()
        keys = conn.execute(select(inquiry_keys)).all()
    assert row.id == answer.inquiry_id and row.hits == ids and row.actor == "officer"
    # The skeleton is logged too: a car entered later as "JKL-I23-A" reaches this inquiry.
    assert sorted((k.kind, k.value) for k in keys) == [
        ("plate", "JKL123A"),
        ("plate_skeleton", "JK1123A"),
    ]


def test_the_name_key_is_logged_for_delayed_inquiry(platform: Platform) -> None:
    ask(platform, PersonQuery(name="ramón salas ibarra", date_of_birth=BORN))
    with platform.engine.connect() as conn:
        keys = conn.execute(select(inquiry_keys.c.kind, inquiry_keys.c.value)).all()
    assert [tuple(k) for k in keys] == [("name", f"RAMON|SALAS|IBARRA|{BORN}")]
