"""Deconfliction: two agencies working one subject are told of each other, within markings."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from subs_support import (
    FILES,
    MARKINGS,
    inbox,
    log_inquiry,
    recipients,
    run_twice,
    subscribe,
    two_agencies,
)
from subs_support import write as store

from plataforma.context import Platform
from plataforma.realtime.inbox import NotificationKind
from plataforma.subscriptions.deconfliction import deconfliction_consumer
from plataforma.subscriptions.principals import user_principal

DECON = str(NotificationKind.DECONFLICTION)
CURP = "SAIR840719HJCLBM02"
NAME = {"given_names": "Ramón", "first_surname": "Salas", "second_surname": "Ibarra"}


@pytest.fixture
def world(platform: Platform) -> Platform:
    return two_agencies(platform)


def person(ref: str, agency: str, **extra: Any) -> dict[str, Any]:
    return {"source_ref": ref, "agency": agency, **NAME, "curp": CURP, **extra}


def detention(ref: str, agency: str, **extra: Any) -> dict[str, Any]:
    return {
        "source_ref": ref,
        "agency": agency,
        **NAME,
        "date_of_birth": "1984-07-19",
        "detained_at": "2026-05-01T10:00:00-06:00",
        "place": {"state": "14"},
        "detention_type": "flagrancia",
        "reasons": ["homicidio_doloso"],
        "arresting_officers": ["Agente 1"],
        "receiving_authority": "MP Zapopan",
        **extra,
    }


def test_two_agencies_with_records_on_one_subject_are_told_of_each_other(
    world: Platform,
) -> None:
    _, handle = deconfliction_consumer(world)
    first, events_a = store(world, "person", person("P-GDL", "POL-GDL", date_of_birth="1984-07-19"))
    run_twice(handle, events_a)
    assert inbox(world, DECON) == []  # one agency alone: nothing to deconflict
    second, events_b = store(world, "detention", detention("D-ZAP", "POL-ZAP"))
    run_twice(handle, events_b)
    rows = inbox(world, DECON)
    assert recipients(rows) == {"desk:POL-GDL", "desk:POL-ZAP"}
    assert len(rows) == 2
    by_desk = {r.recipient_agency: r for r in rows}
    # Each side's notice names its own record and the other agency, nothing of the other's.
    assert by_desk["POL-GDL"].record_id == first.id
    assert by_desk["POL-ZAP"].record_id == second.id
    assert by_desk["POL-GDL"].summary["other_agency"]["code"] == "POL-ZAP"
    assert by_desk["POL-GDL"].summary["other_agency"]["name"] == "Agencia POL-ZAP"
    assert by_desk["POL-ZAP"].summary["other_agency"]["code"] == "POL-GDL"
    assert second.id not in json.dumps(by_desk["POL-GDL"].summary)
    assert first.id not in json.dumps(by_desk["POL-ZAP"].summary)
    # A further change of the same record does not repeat the notices.
    run_twice(handle, store(world, "detention", detention("D-ZAP", "POL-ZAP", description="x"))[1])
    assert len(inbox(world, DECON)) == 2


@pytest.mark.parametrize("marking", MARKINGS)
@pytest.mark.parametrize("restricted", FILES)
def test_nothing_is_told_unless_each_may_read_the_others_record(
    world: Platform, marking: str, restricted: str | None
) -> None:
    _, handle = deconfliction_consumer(world)
    run_twice(handle, store(world, "person", person("P-GDL", "POL-GDL"))[1])
    body = person("P-ZAP", "POL-ZAP", marking=marking)
    if restricted:
        body["restricted_file"] = restricted
    run_twice(handle, store(world, "person", body)[1])
    told = recipients(inbox(world, DECON))
    shared = marking in ("PUBLIC", "SBU") and restricted is None
    assert told == ({"desk:POL-GDL", "desk:POL-ZAP"} if shared else set())


def test_a_subscriber_of_another_agency_and_the_entering_agency_are_told(
    world: Platform,
) -> None:
    _, handle = deconfliction_consumer(world)
    with world.engine.connect() as conn:
        fed = user_principal(conn, "fed")
        gdl = user_principal(conn, "gdl_sbu")
    assert fed is not None and gdl is not None
    subscribe(world, fed, kind="person", curp=CURP)  # investigation
    subscribe(world, gdl, kind="person", curp=CURP, purpose="patrol")  # not "working" it
    result, events = store(world, "person", person("P-ZAP", "POL-ZAP"))
    run_twice(handle, events)
    rows = inbox(world, DECON)
    assert recipients(rows) == {"fed", "desk:POL-ZAP"}
    by = {r.recipient_user or r.recipient_agency: r for r in rows}
    assert by["fed"].summary == {
        "other_agency": {"code": "POL-ZAP", "name": "Agencia POL-ZAP", "contact": None},
        "basis": "subscription",
    }
    assert by["POL-ZAP"].summary["other_agency"]["code"] == "SSPC"
    assert all(r.record_id == result.id for r in rows)


def test_an_investigative_inquiry_counts_a_patrol_stop_does_not(world: Platform) -> None:
    _, handle = deconfliction_consumer(world)
    key = [("curp", CURP)]
    now = datetime.now(UTC)
    log_inquiry(world, "inq-1", "jal_conf", "FGE-JAL", key, now, purpose="investigation")
    log_inquiry(world, "inq-2", "gdl_sbu", "POL-GDL", key, now, purpose="patrol")
    run_twice(handle, store(world, "person", person("P-ZAP", "POL-ZAP"))[1])
    assert recipients(inbox(world, DECON)) == {"jal_conf", "desk:POL-ZAP"}


def test_the_notice_names_the_other_agencys_24_7_contact(world: Platform) -> None:
    from sqlalchemy import select, update

    from plataforma.store.tables import records

    # The directory's contact point (the confirmations work adds these fields to agencies).
    contact = {"contact_desk": "Cabina C5 Zapopan", "contact_phone": "+52 33 1234 5678"}
    with world.engine.begin() as conn:
        where = (records.c.record_type == "agency", records.c.source_ref == "POL-ZAP")
        data = conn.execute(select(records.c.data).where(*where)).scalar_one()
        conn.execute(update(records).where(*where).values(data={**data, **contact}))
    _, handle = deconfliction_consumer(world)
    run_twice(handle, store(world, "person", person("P-GDL", "POL-GDL"))[1])
    run_twice(handle, store(world, "person", person("P-ZAP", "POL-ZAP"))[1])
    told = {r.recipient_agency: r.summary for r in inbox(world, DECON)}
    assert told["POL-GDL"]["other_agency"]["contact"] == contact
    assert told["POL-ZAP"]["other_agency"]["contact"] is None  # POL-GDL registered none
