"""Delayed inquiry: a new hit tells who asked about its keys in the last 72 hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from subs_support import FILES, MARKINGS, inbox, log_inquiry, recipients, run_twice, two_agencies
from subs_support import write as store

from plataforma.context import Platform
from plataforma.realtime.inbox import NotificationKind
from plataforma.subscriptions.delayed import LEAD_NOT_PROOF, delayed_inquiry_consumer

DELAYED = str(NotificationKind.DELAYED_HIT)
NAME = {"given_names": "Ramón", "first_surname": "Salas", "second_surname": "Ibarra"}


@pytest.fixture
def world(platform: Platform) -> Platform:
    return two_agencies(platform)


def vehicle(ref: str, **extra: Any) -> dict[str, Any]:
    return {"source_ref": ref, "agency": "POL-GDL", "plate": "JAL123A", **extra}


def warrant(ref: str, **extra: Any) -> dict[str, Any]:
    return {
        "source_ref": ref,
        "agency": "FGE-JAL",
        **NAME,
        "date_of_birth": "1984-07-19",
        "warrant_type": "aprehension",
        "case_number": f"CP-{ref}",
        "issued_by": "Juzgado de Control de Zapopan",
        "issued_at": "2026-03-02",
        "issuing_state": "14",
        "crime_types": ["homicidio_doloso"],
        **extra,
    }


def test_a_stolen_vehicle_tells_who_asked_about_its_plate(world: Platform) -> None:
    _, handle = delayed_inquiry_consumer(world)
    hour_ago = datetime.now(UTC) - timedelta(hours=1)
    log_inquiry(world, "inq-1", "zap_secret", "POL-ZAP", [("plate", "JAL123A")], hour_ago)
    log_inquiry(world, "inq-old", "gdl_sbu", "POL-GDL", [("plate", "JAL123A")],
                datetime.now(UTC) - timedelta(hours=80))  # fmt: skip
    log_inquiry(world, "inq-other", "fed", "SSPC", [("plate", "OTHER12")], hour_ago)
    result, events = store(world, "vehicle", vehicle("V1", theft_status="robado"))
    run_twice(handle, events)
    rows = inbox(world, DELAYED)
    assert recipients(rows) == {"zap_secret"}
    assert len(rows) == 1
    row = rows[0]
    assert (row.priority, row.record_id, row.ref_id) == ("urgent", result.id, "inq-1")
    assert row.summary["hit"] == "stolen_vehicle" and row.summary["note"] == LEAD_NOT_PROOF


def test_a_record_that_becomes_a_hit_is_a_delayed_hit_once(world: Platform) -> None:
    _, handle = delayed_inquiry_consumer(world)
    log_inquiry(world, "inq-1", "gdl_sbu", "POL-GDL", [("plate", "JAL123A")])
    run_twice(handle, store(world, "vehicle", vehicle("V1"))[1])
    assert inbox(world, DELAYED) == []  # no theft report: not a hit
    run_twice(handle, store(world, "vehicle", vehicle("V1", theft_status="robado"))[1])
    run_twice(
        handle, store(world, "vehicle", vehicle("V1", theft_status="robado", colour="rojo"))[1]
    )
    assert len(inbox(world, DELAYED)) == 1


def test_an_inquiry_that_already_had_the_hit_is_not_told_again(world: Platform) -> None:
    _, handle = delayed_inquiry_consumer(world)
    result, events = store(world, "vehicle", vehicle("V1", theft_status="robado"))
    log_inquiry(world, "inq-1", "gdl_sbu", "POL-GDL", [("plate", "JAL123A")], hits=[result.id])
    run_twice(handle, events)
    assert inbox(world, DELAYED) == []


def test_a_name_inquiry_without_birth_date_finds_a_new_warrant(world: Platform) -> None:
    _, handle = delayed_inquiry_consumer(world)
    log_inquiry(world, "inq-1", "gdl_sbu", "POL-GDL", [("name", "RAMON|SALAS|IBARRA|")])
    log_inquiry(world, "inq-2", "key:abc123", "POL-ZAP", [("name", "RAMON|SALAS|IBARRA|1984")])
    run_twice(handle, store(world, "warrant", warrant("W1"))[1])
    assert recipients(inbox(world, DELAYED)) == {"gdl_sbu", "desk:POL-ZAP"}


@pytest.mark.parametrize("marking", MARKINGS)
@pytest.mark.parametrize("restricted", FILES)
def test_the_inquirer_is_told_only_of_what_they_may_read(
    world: Platform, marking: str, restricted: str | None
) -> None:
    _, handle = delayed_inquiry_consumer(world)
    for user, agency in (("gdl_sbu", "POL-GDL"), ("gdl_juv", "POL-GDL"), ("zap_secret", "POL-ZAP"),
                         ("fed", "SSPC"), ("jal_conf", "FGE-JAL")):  # fmt: skip
        log_inquiry(world, f"inq-{user}", user, agency, [("plate", "JAL123A")])
    body = vehicle("V1", theft_status="robado", marking=marking, plate_state="14")
    if restricted:
        body["restricted_file"] = restricted
    run_twice(handle, store(world, "vehicle", body)[1])
    told = recipients(inbox(world, DELAYED))
    expected = {
        (None, "PUBLIC"): {"gdl_sbu", "gdl_juv", "zap_secret", "fed", "jal_conf"},
        (None, "SBU"): {"gdl_sbu", "gdl_juv", "zap_secret", "fed", "jal_conf"},
        # POL-GDL's CONFIDENTIAL: its cleared users, the federal analyst, the state prosecutor.
        (None, "CONFIDENTIAL"): {"gdl_juv", "fed", "jal_conf"},
        (None, "SECRET"): {"gdl_juv", "fed"},
    }
    assert told == expected.get((restricted, marking), {"gdl_juv"})


def test_an_officer_who_asked_about_a_misread_plate_is_told_of_a_possible_hit(
    world: Platform,
) -> None:
    # The camera read "JAL-I23-A" an hour ago; the car is now reported stolen as JAL-123-A.
    _, handle = delayed_inquiry_consumer(world)
    hour_ago = datetime.now(UTC) - timedelta(hours=1)
    misread = [("plate", "JALI23A"), ("plate_skeleton", "JA1123A")]
    log_inquiry(world, "inq-ocr", "zap_secret", "POL-ZAP", misread, hour_ago)
    log_inquiry(world, "inq-exact", "fed", "SSPC",
                [("plate", "JAL123A"), ("plate_skeleton", "JA1123A")], hour_ago)  # fmt: skip
    _, events = store(world, "vehicle", vehicle("V1", theft_status="robado"))
    run_twice(handle, events)
    told = {r.ref_id: r.summary for r in inbox(world, DELAYED)}
    assert told["inq-ocr"]["match"] == "confusable"
    assert told["inq-ocr"]["note"].startswith("possible match")
    assert told["inq-exact"]["match"] == "exact" and told["inq-exact"]["note"] == LEAD_NOT_PROOF
