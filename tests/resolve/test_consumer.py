"""The person-index consumer: records linked on arrival, idempotently, on both backends."""

from __future__ import annotations

from dataclasses import replace

import pytest
from person_support import (
    JOSE,
    JOSE_MISSPELT,
    OTHER_MAN,
    enter,
    events_after,
    last_outbox_id,
    links,
    person,
    two_agencies,
    warrant,
)
from sqlalchemy import func, select

from plataforma.consumers import default_consumers
from plataforma.context import Platform
from plataforma.records.service import RecordService
from plataforma.resolve.consumer import handle_event
from plataforma.resolve.national import NationalIndex, load_model, national_index
from plataforma.security.principal import LOCAL_ADMIN
from plataforma.store.tables import person_links, person_review, records


@pytest.fixture
def world(platform: Platform) -> Platform:
    return two_agencies(platform)


def test_a_misspelt_warrant_of_another_agency_joins_the_person_with_its_explanation(
    world: Platform,
) -> None:
    first = enter(world, "person", person("P1", "POL-GDL", JOSE))
    wanted = enter(world, "warrant", warrant("W1", "FGE-JAL", JOSE_MISSPELT))
    other = enter(world, "person", person("P2", "POL-GDL", OTHER_MAN))
    by_record = {row.record_id: row for row in links(world, first, wanted, other)}
    person_id = f"{first}.0"
    assert by_record[first].person_id == person_id  # the oldest record names the person
    assert by_record[wanted].person_id == person_id
    assert by_record[wanted].role == "wanted"
    assert by_record[wanted].match_score > 0.95
    fields = {f["comparison"] for f in by_record[wanted].explanation["fields"]}
    assert {"given_name", "surnames", "date_of_birth"} <= fields
    assert by_record[wanted].model_version == "default"
    assert by_record[other].person_id == f"{other}.0"


def test_a_redelivered_event_doubles_nothing(world: Platform) -> None:
    """``enter`` hands every event over twice; here a third time, after the fact."""
    before = last_outbox_id(world)
    first = enter(world, "person", person("P1", "POL-GDL", JOSE))
    enter(world, "warrant", warrant("W1", "FGE-JAL", JOSE_MISSPELT))
    for event in events_after(world, before):
        handle_event(world, event)
    with world.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(person_links)) == 2
    assert len(links(world, first)) == 1


def test_source_records_are_never_changed(world: Platform) -> None:
    first = enter(world, "person", person("P1", "POL-GDL", JOSE), link=False)
    with world.engine.connect() as conn:
        before = conn.execute(select(records).where(records.c.id == first)).one()
    for event in events_after(world, 0):
        handle_event(world, event)
    with world.engine.connect() as conn:
        after = conn.execute(select(records).where(records.c.id == first)).one()
    assert before == after


def test_an_incident_links_each_involved_person(world: Platform) -> None:
    suspect = enter(world, "person", person("P1", "POL-GDL", JOSE))
    incident = {
        "source_ref": "IPH-1",
        "agency": "POL-GDL",
        "folio": "IPH-1",
        "occurred_at": "2026-05-01T10:00:00-06:00",
        "place": {"state": "14", "municipality": "14039"},
        "crime_types": ["robo_a_transeunte_en_via_publica"],
        "persons": [
            {**JOSE_MISSPELT, "role": "probable_responsible"},
            {**OTHER_MAN, "role": "victim"},
        ],
    }
    record_id = enter(world, "incident", incident)
    rows = links(world, record_id)
    assert [(r.ordinal, r.role) for r in rows] == [(0, "probable_responsible"), (1, "victim")]
    assert rows[0].person_id == f"{suspect}.0"
    assert rows[1].person_id == f"{record_id}.1"


def test_an_uncertain_pair_goes_to_the_review_queue_once(world: Platform) -> None:
    """Same name, no date of birth on one side: a lead an analyst must judge.

    In a store of two records the prior is generous (0.999 here); the band is widened to
    take it, as a deployment may.
    """
    world.settings = world.settings.model_copy(update={"resolve_review_high": 0.99999})
    enter(world, "person", person("P1", "POL-GDL", JOSE))
    sparse = {k: v for k, v in JOSE.items() if k not in ("date_of_birth", "sex")}
    enter(world, "warrant", warrant("W1", "FGE-JAL", {**sparse, "second_surname": None}))
    with world.engine.connect() as conn:
        queued = conn.execute(select(person_review)).all()
    low, high = world.settings.resolve_review_low, world.settings.resolve_review_high
    assert queued, "the pair was not queued"
    assert all(low <= row.probability < high for row in queued)
    assert len({(r.left_mention, r.right_mention) for r in queued}) == len(queued)


def test_a_near_certain_pair_held_back_by_a_hard_rule_is_queued_not_linked(
    world: Platform,
) -> None:
    """Everything agrees but the sex: never linked on its own, so an analyst must see it."""
    first = enter(world, "person", person("P1", "POL-GDL", JOSE))
    second = enter(world, "warrant", warrant("W1", "FGE-JAL", {**JOSE, "sex": "M"}))
    by_record = {row.record_id: row for row in links(world, first, second)}
    assert by_record[second].person_id != by_record[first].person_id
    with world.engine.connect() as conn:
        queued = conn.execute(select(person_review)).all()
    assert [{r.left_record, r.right_record} for r in queued] == [{second, first}]
    assert queued[0].probability >= world.settings.resolve_review_high


def test_a_fresh_process_loads_the_index_from_the_links(world: Platform) -> None:
    first = enter(world, "person", person("P1", "POL-GDL", JOSE))
    enter(world, "person", person("P2", "POL-GDL", OTHER_MAN))
    model, version = load_model(world.settings)
    fresh = NationalIndex(world.engine, model, version)
    fresh.sync()
    assert len(fresh.index) == 2
    assert fresh.index.person_of(f"{first}.0") == f"{first}.0"
    wanted = RecordService(world).submit(
        LOCAL_ADMIN, "warrant", warrant("W9", "FGE-JAL", JOSE_MISSPELT)
    )
    with world.engine.connect() as conn:
        from plataforma.store import reader

        record = reader.get_record(conn, wanted.id)
    assert record is not None
    outcome = fresh.link_and_store(record)
    assert [row.person_id for row in outcome.links] == [f"{first}.0"]
    # The process's own index catches up with the link the other one wrote.
    national_index(world.settings, world.engine).sync()
    assert national_index(world.settings, world.engine).index.person_of(f"{wanted.id}.0") == (
        f"{first}.0"
    )


def test_a_purged_record_takes_its_links_with_it(world: Platform) -> None:
    first = enter(world, "person", person("P1", "POL-GDL", JOSE))
    [event] = [e for e in events_after(world, 0) if e.record_id == first]
    purged = replace(event, subject="plataforma.person.purged")
    handle_event(world, purged)
    assert links(world, first) == []


def test_the_consumer_is_on_the_servers_list(sqlite_platform: Platform) -> None:
    names = [name for name, _ in default_consumers(sqlite_platform)]
    assert "person_index" in names and len(names) == len(set(names))
