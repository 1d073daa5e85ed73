"""The ``subscriptions`` consumer on real writes: every kind of target, idempotent delivery,
and what the policy lets through, for two agencies, every marking and a restricted file."""

from __future__ import annotations

import json
from typing import Any

import pytest
from subs_support import (
    FILES,
    MARKINGS,
    USERS,
    audit_actions,
    inbox,
    recipients,
    run_twice,
    subscribe,
    two_agencies,
    write,
)

from plataforma.context import Platform
from plataforma.model.envelope import Marking
from plataforma.realtime.inbox import NotificationKind
from plataforma.security import policy
from plataforma.security.identity import set_active
from plataforma.security.policy import Purpose
from plataforma.security.principal import Principal
from plataforma.store.engine import begin_write
from plataforma.subscriptions.matcher import subscriptions_consumer
from plataforma.subscriptions.principals import user_principal

MATCH = str(NotificationKind.SUBSCRIPTION_MATCH)
PERSON = {"given_names": "Ramón", "first_surname": "Salas", "second_surname": "Ibarra"}
CURP = "SAIR840719HJCLBM02"


@pytest.fixture
def world(platform: Platform) -> Platform:
    return two_agencies(platform)


def who(platform: Platform, username: str) -> Principal:
    with platform.engine.connect() as conn:
        found = user_principal(conn, username)
    assert found is not None
    return found


def vehicle(ref: str, plate: str = "JAL-123-A", **extra: Any) -> dict[str, Any]:
    return {"source_ref": ref, "agency": "POL-GDL", "plate": plate, "make": "Nissan", **extra}


def incident(ref: str, **extra: Any) -> dict[str, Any]:
    return {
        "source_ref": ref,
        "agency": "POL-ZAP",
        "folio": ref,
        "occurred_at": "2026-05-01T10:00:00-06:00",
        "place": {"state": "14", "municipality": "14120"},
        "crime_types": ["homicidio_doloso"],
        "narrative": "hechos confidenciales del caso",
        **extra,
    }


def test_every_kind_of_target_matches_its_records_once(world: Platform) -> None:
    _, handle = subscriptions_consumer(world)
    fed = who(world, "fed")
    subs = {
        "curp": subscribe(world, fed, kind="person", curp=CURP.lower()),
        "name": subscribe(
            world, fed, kind="person", name="ramon salas ibarra", date_of_birth="19/07/1984"
        ),
        "plate": subscribe(world, fed, kind="vehicle", plate="jal 123 a"),
        "vin": subscribe(world, fed, kind="vehicle", vin="1hgcm82633a004352"),
        "serial": subscribe(world, fed, kind="firearm", serial="ab-12345"),
        "search": subscribe(world, fed, kind="search", search_kind="name", q="Ramón Salas Ibarra"),
        "area": subscribe(
            world,
            fed,
            kind="area",
            state="Jalisco",
            municipality="14120",
            crime_type="homicidio_doloso",
        ),
        "state": subscribe(world, fed, kind="area", state="14"),
        "other_area": subscribe(world, fed, kind="area", state="09"),
    }
    written = [
        write(world, "person", {"source_ref": "P1", "agency": "POL-GDL", **PERSON,
                                "date_of_birth": "1984-07-19", "curp": CURP}),
        write(world, "vehicle", vehicle("V1")),
        write(world, "vehicle", vehicle("V2", plate="XYZ999", vin="1HGCM82633A004352")),
        write(world, "firearm", {"source_ref": "F1", "agency": "POL-GDL", "serial": "AB12345"}),
        write(world, "incident", incident("I1")),
        write(world, "vehicle", vehicle("V3", plate="OTHER12")),
    ]  # fmt: skip
    record_sub = subscribe(world, fed, kind="record", record_id=written[5][0].id)
    events = [e for _, batch in written for e in batch]
    run_twice(handle, events)
    rows = inbox(world, MATCH)
    matched = {(r.ref_id, r.record_id) for r in rows}
    ids = [w[0].id for w in written]
    expected = {
        (subs["curp"].id, ids[0]),
        (subs["name"].id, ids[0]),
        (subs["search"].id, ids[0]),
        (subs["plate"].id, ids[1]),
        (subs["vin"].id, ids[2]),
        (subs["serial"].id, ids[3]),
        (subs["area"].id, ids[4]),
        (subs["state"].id, ids[4]),
        (record_sub.id, ids[5]),  # subscribed before its event was handled
    }
    assert matched == expected
    assert len(rows) == len(expected)  # delivered twice, stored once
    assert recipients(rows) == {"fed"}
    # A change of V3 reaches the record's subscriber again.
    run_twice(handle, write(world, "vehicle", vehicle("V3", plate="OTHER12", colour="azul"))[1])
    later = [r for r in inbox(world, MATCH) if r.ref_id == record_sub.id]
    assert [r.summary["event"] for r in later] == ["created", "updated"]


def test_each_version_is_a_notice_and_a_purge_is_none(world: Platform) -> None:
    _, handle = subscriptions_consumer(world)
    subscribe(world, who(world, "gdl_sbu"), kind="vehicle", plate="JAL123A")
    first = write(world, "vehicle", vehicle("V1"))[1]
    second = write(world, "vehicle", vehicle("V1", theft_status="robado"))[1]
    run_twice(handle, first + second)
    rows = inbox(world, MATCH)
    assert [(r.summary["event"], r.summary["version"]) for r in rows] == [
        ("created", 1),
        ("updated", 2),
    ]
    assert rows[1].summary["hit"] == "stolen_vehicle"


@pytest.mark.parametrize("marking", MARKINGS)
@pytest.mark.parametrize("restricted", FILES)
def test_a_notice_reaches_only_who_may_read_the_record(
    world: Platform, marking: str, restricted: str | None
) -> None:
    _, handle = subscriptions_consumer(world)
    users = {name: who(world, name) for name in USERS}
    for principal in users.values():
        subscribe(world, principal, kind="vehicle", plate="JAL123A")
    body = vehicle("V1", marking=marking, plate_state="14")
    if restricted:
        body["restricted_file"] = restricted
    result, events = write(world, "vehicle", body)
    run_twice(handle, events)
    rows = inbox(world, MATCH)
    facts = policy.RecordFacts("vehicle", "POL-GDL", Marking(marking), "14", restricted)
    readers = {n for n, p in users.items() if policy.can_read(p, facts, Purpose.INVESTIGATION)}
    assert recipients(rows) == readers
    assert len(rows) == len(readers)
    # Spelled out for the cases that matter most.
    if marking in ("PUBLIC", "SBU") and restricted is None:
        assert readers == set(USERS)
    if marking == "SECRET" and restricted is None:
        assert readers == {"gdl_juv", "fed"}  # not Zapopan's SECRET analyst: not his agency
    if restricted:
        assert readers <= {"gdl_juv"}
    for row in rows:  # nothing of the record's content travels in a notice
        # (the subscription's label is the subscriber's own words: "JAL123A" they typed)
        text = json.dumps({k: v for k, v in row.summary.items() if k != "subscription"})
        assert "JAL123A" not in text and "Nissan" not in text and "V1" not in text
        assert row.record_id == result.id
    assert len(audit_actions(world, "notification")) == len(readers)


def test_content_stays_out_and_an_area_notice_follows_the_policy(world: Platform) -> None:
    _, handle = subscriptions_consumer(world)
    gdl = who(world, "gdl_conf")  # POL-GDL, CONFIDENTIAL: Zapopan's CONFIDENTIAL is not his
    zap = who(world, "zap_secret")
    subscribe(world, gdl, kind="area", state="14", crime_type="homicidio_doloso")
    subscribe(world, zap, kind="area", state="14", crime_type="homicidio_doloso")
    run_twice(handle, write(world, "incident", incident("I1", marking="CONFIDENTIAL"))[1])
    rows = inbox(world, MATCH)
    assert recipients(rows) == {"zap_secret"}
    summary = json.dumps(rows[0].summary)
    assert "confidenciales" not in summary and "I1" not in summary


def test_desk_notices_are_judged_as_the_least_of_the_agency(world: Platform) -> None:
    _, handle = subscriptions_consumer(world)
    supervisor = who(world, "gdl_conf")
    subscribe(world, supervisor, kind="vehicle", plate="JAL123A", desk=True)
    run_twice(handle, write(world, "vehicle", vehicle("V1", marking="CONFIDENTIAL"))[1])
    assert inbox(world, MATCH) == []  # the supervisor may read it, the desk's officers not
    run_twice(handle, write(world, "vehicle", vehicle("V2", marking="SBU"))[1])
    rows = inbox(world, MATCH)
    assert recipients(rows) == {"desk:POL-GDL"}


def test_a_disabled_subscriber_is_told_nothing(world: Platform) -> None:
    _, handle = subscriptions_consumer(world)
    subscribe(world, who(world, "gdl_sbu"), kind="vehicle", plate="JAL123A")
    with begin_write(world.engine) as conn:
        set_active(conn, "gdl_sbu", False)
    run_twice(handle, write(world, "vehicle", vehicle("V1"))[1])
    assert inbox(world, MATCH) == []


def test_a_vehicle_followed_by_plate_is_matched_when_misread_and_the_notice_says_possible(
    world: Platform,
) -> None:
    _, handle = subscriptions_consumer(world)
    fed = who(world, "fed")
    plate = subscribe(world, fed, kind="vehicle", plate="JAL-123-A")
    vin = subscribe(world, fed, kind="vehicle", vin="3VWFE21C04M000001")
    gun = subscribe(world, fed, kind="firearm", serial="AB801")
    written = [
        write(world, "vehicle", vehicle("V1", plate="JAL-I23-A")),  # read by a camera
        write(world, "vehicle", vehicle("V2", plate="ZZZ999", vin="3VWFE2lC04MOOOOO1")),
        write(world, "firearm", {"source_ref": "F1", "agency": "POL-GDL", "serial": "A8BO1"}),
        write(world, "vehicle", vehicle("V3", plate="JAL-123-A")),  # the exact plate
        write(world, "vehicle", vehicle("V4", plate="JAL-124-A")),  # another car
    ]
    run_twice(handle, [e for _, batch in written for e in batch])
    ids = [w[0].id for w in written]
    rows = inbox(world, MATCH)
    told = {(r.ref_id, r.record_id): r.summary["match"] for r in rows}
    assert told == {
        (plate.id, ids[0]): "confusable",
        (vin.id, ids[1]): "confusable",
        (gun.id, ids[2]): "confusable",
        (plate.id, ids[3]): "exact",
    }
    assert len(rows) == len(told)


def test_a_subscription_holding_both_keys_of_a_record_is_told_once_as_exact(
    world: Platform,
) -> None:
    # "ABS-123" has a skeleton of its own (A85123); a subscription holds both its keys.
    _, handle = subscriptions_consumer(world)
    sub = subscribe(world, who(world, "fed"), kind="vehicle", plate="ABS-123")
    _, events = write(world, "vehicle", vehicle("V1", plate="ABS123"))
    run_twice(handle, events)
    rows = [r for r in inbox(world, MATCH) if r.ref_id == sub.id]
    assert [r.summary["match"] for r in rows] == ["exact"]
