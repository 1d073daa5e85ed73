"""The alarms job on the live counts: what fires, stored once, told to whom it may be told.

Counts are seeded directly (as the consumer keeps them) so a series has years of history;
one test writes a late incident for real. Every test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from live_support import TODAY, ZAPOPAN, month, monthly, seed, subscribe
from sqlalchemy import func, select

from conftest import add_agency, add_user
from plataforma.context import Platform
from plataforma.model.envelope import Marking
from plataforma.security.principal import Principal
from plataforma.store.engine import begin_write
from plataforma.store.tables import audit_log, notifications, trend_alarms, trend_touched
from plataforma.subscriptions.principals import user_principal
from plataforma.trends.aggregator import apply_deltas
from plataforma.trends.alarm_job import run_alarm_job

# Three years of an ordinary month (4-7 extortions) and then a month of 30.
HISTORY = [5, 6, 4, 5, 7, 5, 6, 4, 5, 6, 5, 4] * 3
SURGE = [*HISTORY, 30]
JALISCO = [("state", "14"), ("municipality", ZAPOPAN)]


@pytest.fixture
def world(platform: Platform) -> Platform:
    add_agency(platform, "SSPC", "federal", "police")
    add_agency(platform, "POL-GDL", "municipal", "police", "14")
    add_user(platform, "analista", "SSPC", ["analyst"], Marking.SECRET)
    add_user(platform, "intel", "SSPC", ["intelligence_analyst"])
    add_user(platform, "oficial", "POL-GDL", ["officer"], Marking.SECRET)
    add_user(platform, "jefe", "POL-GDL", ["supervisor"])
    return platform


def who(platform: Platform, username: str) -> Principal:
    with platform.engine.connect() as conn:
        found = user_principal(conn, username)
    assert found is not None
    return found


def alarms(platform: Platform) -> list[Any]:
    with platform.engine.connect() as conn:
        return list(conn.execute(select(trend_alarms).order_by(trend_alarms.c.id)))


def inbox(platform: Platform) -> list[Any]:
    with platform.engine.connect() as conn:
        query = select(notifications).where(notifications.c.kind == "trend_alarm")
        return list(conn.execute(query.order_by(notifications.c.id)))


def test_a_surge_alarms_once_and_reaches_the_subscribed_analysts_only(world: Platform) -> None:
    seed(world, monthly("extorsion", JALISCO, SURGE))
    subscribe(world, who(world, "analista"), kind="area", state="14", crime_type="extorsion")
    subscribe(world, who(world, "intel"), kind="area", state="14", municipality=ZAPOPAN)
    subscribe(world, who(world, "oficial"), kind="area", state="14", crime_type="extorsion")
    subscribe(world, who(world, "jefe"), kind="area", state="14", desk=True)
    subscribe(world, who(world, "analista"), kind="area", state="15")  # another state
    assert run_alarm_job(world, today=TODAY) > 0
    assert run_alarm_job(world, today=TODAY) == 0  # a rerun stores and tells nothing again
    fired = alarms(world)
    keys = [(a.area_level, a.area, a.crime_level, a.crime_type, a.period_start) for a in fired]
    assert len(keys) == len(set(keys))
    assert {a.period_start for a in fired} == {month(0)}
    assert ("state", "14", "subtipo", "extorsion", month(0)) in keys
    assert ("municipality", ZAPOPAN, "tipo", "extorsion", month(0)) in keys
    surge = next(a for a in fired if a.area == "14" and a.crime_level == "subtipo")
    assert surge.observed == 30 and 4 < surge.expected < 7
    assert "30 observed" in surge.reason and surge.method == "farrington"
    rows = inbox(world)
    by_user: dict[str, set[tuple[str, str]]] = {}
    for row in rows:
        by_user.setdefault(row.recipient_user or f"desk:{row.recipient_agency}", set()).add(
            (row.summary["area"], row.summary["crime_level"])
        )
    # The analyst follows Jalisco's extortion: the state's and Zapopan's subtipo alarms.
    assert by_user["analista"] == {("14", "subtipo"), (ZAPOPAN, "subtipo")}
    # The intelligence analyst follows Zapopan, any crime: its alarms at every crime level.
    assert by_user["intel"] == {(ZAPOPAN, "subtipo"), (ZAPOPAN, "tipo"), (ZAPOPAN, "bien_juridico")}
    assert set(by_user) == {"analista", "intel"}  # no officer, no desk (read by officers)
    assert all(row.record_id is None and row.ref_id for row in rows)
    assert all("30" in row.summary["reason"] for row in rows)
    world.audit.flush()
    with world.engine.connect() as conn:
        audited = conn.execute(
            select(func.count()).where(
                audit_log.c.action == "notification", audit_log.c.record_type == "trend_alarm"
            )
        ).scalar_one()
    assert audited == len(rows)


def test_zero_heavy_series_never_alarm_on_small_count_noise(world: Platform) -> None:
    rng = np.random.default_rng(7)
    counts = []
    for i in range(300):
        history = (rng.random(36) < 0.08).astype(int).tolist()
        now = int(rng.integers(1, 3))  # 0 → 1 or 2 this month
        counts += monthly("secuestro", [("municipality", f"14{i:03d}")], [*history, now])
    # A series silent for three years that now has 1 or 2, and one with none before at all.
    counts += monthly("secuestro", [("municipality", "15001")], [0] * 36 + [2])
    counts += monthly("feminicidio", [("municipality", "15002")], [2])
    seed(world, counts)
    run_alarm_job(world, today=TODAY)
    assert [(a.area, a.observed) for a in alarms(world)] == []


def test_a_new_deployment_does_not_alarm_on_its_first_months(world: Platform) -> None:
    # Counting started last month: the years before are unknown, not zeros.
    seed(world, monthly("extorsion", JALISCO, [6, 40]))
    run_alarm_job(world, today=TODAY)
    assert alarms(world) == []


def test_a_late_incident_reopens_its_past_period(world: Platform) -> None:
    seed(world, monthly("extorsion", JALISCO, [*HISTORY, 5, 6, 5, 5], last_offset=0))
    run_alarm_job(world, today=TODAY)
    assert alarms(world) == []
    # Reports of three months ago arrive late, in bulk: the consumer adds them and marks the
    # month touched; the next run evaluates it again.
    late = month(-3).isoformat()
    with begin_write(world.engine) as conn:
        apply_deltas(conn, {("month", "extorsion", "state", "14", late): 30})  # type: ignore[arg-type]
    run_alarm_job(world, today=TODAY)
    fired = alarms(world)
    assert {(a.area, a.crime_level, a.period_start, a.observed) for a in fired} == {
        ("14", level, month(-3), 35) for level in ("subtipo", "tipo", "bien_juridico")
    }
    with world.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(trend_touched)).scalar_one() == 0
