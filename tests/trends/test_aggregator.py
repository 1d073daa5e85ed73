"""The live trend counts: kept per incident event, equal to a full recount after every change.

Each test writes incidents through the records service (so the outbox events are real),
delivers the events to the consumer twice (the bus delivers at least once), and checks the
counts against what the incidents say and against `reconcile_counts`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select, update

from conftest import add_agency
from plataforma.context import Platform
from plataforma.realtime.events import RecordEvent
from plataforma.records.service import RecordService
from plataforma.security.principal import LOCAL_ADMIN
from plataforma.store.engine import begin_write
from plataforma.store.tables import outbox, trend_counts
from plataforma.trends.aggregator import trends_consumer
from plataforma.trends.reconcile import reconcile_counts

ZAPOPAN = "14120"


@pytest.fixture
def world(platform: Platform) -> Platform:
    add_agency(platform, "POL-GDL", "municipal", "police", "14")
    return platform


def incident(ref: str, **extra: Any) -> dict[str, Any]:
    return {
        "source_ref": ref,
        "agency": "POL-GDL",
        "folio": f"IPH/14/2026/{ref}",
        "occurred_at": "2026-11-30T23:30:00",  # local time: Monday 30 November in Jalisco
        "place": {"state": "14", "municipality": ZAPOPAN, "latitude": 20.72, "longitude": -103.39},
        "crime_types": ["extorsion"],
        **extra,
    }


def _events_after(platform: Platform, after: int) -> list[RecordEvent]:
    with platform.engine.connect() as conn:
        rows = conn.execute(select(outbox).where(outbox.c.id > after).order_by(outbox.c.id))
        return [RecordEvent.from_row(row._mapping) for row in rows]


def _last(platform: Platform) -> int:
    with platform.engine.connect() as conn:
        return int(conn.execute(select(func.coalesce(func.max(outbox.c.id), 0))).scalar_one())


def submit(platform: Platform, payload: dict[str, Any]) -> None:
    """Store ``payload`` and deliver its events to the consumer, twice."""
    before = _last(platform)
    RecordService(platform).submit(LOCAL_ADMIN, "incident", payload)
    _, handle = trends_consumer(platform)
    for _ in range(2):
        for event in _events_after(platform, before):
            handle(event)


def count(platform: Platform, grain: str, level: str, area: str, crime: str = "extorsion") -> int:
    with platform.engine.connect() as conn:
        total = conn.execute(
            select(func.coalesce(func.sum(trend_counts.c["count"]), 0)).where(
                trend_counts.c.grain == grain,
                trend_counts.c.area_level == level,
                trend_counts.c.area == area,
                trend_counts.c.crime_type == crime,
            )
        ).scalar_one()
    return int(total)


def period(platform: Platform, grain: str) -> set[date]:
    with platform.engine.connect() as conn:
        rows = conn.execute(
            select(trend_counts.c.period_start).where(
                trend_counts.c.grain == grain, trend_counts.c["count"] > 0
            )
        )
        return {r.period_start for r in rows}


def assert_reconciled(platform: Platform) -> None:
    report = reconcile_counts(platform.engine)
    assert report.equal, report.examples


def test_an_incident_counts_once_at_every_level_and_grain_on_its_local_day(
    world: Platform,
) -> None:
    submit(world, incident("1"))
    submit(world, incident("2", crime_types=["extorsion", "homicidio_doloso"]))
    for level, area in (("nation", "00"), ("state", "14"), ("municipality", ZAPOPAN)):
        for grain in ("day", "week", "month"):
            assert count(world, grain, level, area) == 2
    assert count(world, "month", "state", "14", "homicidio_doloso") == 1
    # 23:30 local on 30 November is 1 December in UTC: counted on the local day.
    assert period(world, "day") == {date(2026, 11, 30)}
    assert period(world, "week") == {date(2026, 11, 30)}  # a Monday
    assert period(world, "month") == {date(2026, 11, 1)}
    with world.engine.connect() as conn:
        levels = set(conn.execute(select(trend_counts.c.area_level).distinct()).scalars())
    assert {"h3_6", "h3_7", "h3_8"} <= levels
    assert_reconciled(world)


def test_a_correction_moves_the_count_and_a_redelivery_changes_nothing(world: Platform) -> None:
    submit(world, incident("1"))
    submit(world, incident("1", crime_types=["robo_a_negocio"], occurred_at="2026-10-05T10:00"))
    assert count(world, "month", "state", "14") == 0
    assert count(world, "month", "state", "14", "robo_a_negocio") == 1
    assert period(world, "month") == {date(2026, 10, 1)}
    assert_reconciled(world)


def test_a_late_incident_lands_in_its_own_past_period(world: Platform) -> None:
    submit(world, incident("1"))
    submit(world, incident("old", occurred_at="2025-02-14T12:00"))
    assert period(world, "month") == {date(2026, 11, 1), date(2025, 2, 1)}
    assert_reconciled(world)


@pytest.mark.parametrize("marking", ["PUBLIC", "SBU", "CONFIDENTIAL", "SECRET"])
def test_only_incidents_the_whole_country_may_read_are_counted(
    world: Platform, marking: str
) -> None:
    submit(world, incident("1", marking=marking))
    shared = marking in ("PUBLIC", "SBU")
    assert count(world, "day", "nation", "00") == (1 if shared else 0)
    assert_reconciled(world)


def test_an_incident_raised_to_secret_is_taken_back_out(world: Platform) -> None:
    submit(world, incident("1"))
    submit(world, incident("1", marking="SECRET"))
    assert count(world, "day", "nation", "00") == 0
    submit(world, incident("1", marking="SBU"))
    assert count(world, "day", "nation", "00") == 1
    assert_reconciled(world)


def test_a_restricted_file_incident_is_not_counted(world: Platform) -> None:
    submit(world, incident("1", restricted_file="juvenile"))
    assert count(world, "day", "nation", "00") == 0


def test_missing_coordinates_fall_back_to_the_municipality_cell(world: Platform) -> None:
    place = {"state": "14", "municipality": ZAPOPAN}
    submit(world, incident("1", place=place))
    with world.engine.connect() as conn:
        cells = conn.execute(
            select(trend_counts.c.area).where(trend_counts.c.area_level == "h3_8")
        ).all()
    assert len(cells) == 3  # one cell, at three grains


def test_reconcile_finds_a_lost_increment_and_repairs_it(world: Platform) -> None:
    submit(world, incident("1"))
    submit(world, incident("2"))
    with begin_write(world.engine) as conn:  # an increment lost to a power cut
        conn.execute(
            update(trend_counts)
            .where(trend_counts.c.area_level == "state", trend_counts.c.grain == "day")
            .values(count=1)
        )
    report = reconcile_counts(world.engine)
    assert not report.equal and report.differences == 1
    assert report.examples[0][1:] == (1, 2)
    repaired = reconcile_counts(world.engine, repair=True)
    assert repaired.repaired
    assert count(world, "day", "state", "14") == 2
    assert_reconciled(world)
