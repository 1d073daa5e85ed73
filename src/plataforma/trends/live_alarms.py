"""The alarms on the live counts: which series and periods to evaluate, and evaluating them.

Per grain, the job evaluates the current and the previous period (the previous one is only
complete once it is over) plus every period whose counts changed since its last run
(``trend_touched``: a late incident reopens the period it belongs to). Each evaluation reads
a window of live counts ending at the periods evaluated and reaching back as far as the
Farrington baseline looks (5 years of months, 3 of weeks, 13 weeks of days), but never
before the first period the counts hold: the months before a deployment started counting
are unknown, not zero, and read as zeros they would make every series "surge" in its first
month. So nothing alarms until a series has the minimum history its method needs.

Which series: nation, state and municipality for months and weeks, at subtipo, tipo and bien
jurídico; nation and state for days (a municipality's daily series is mostly zeros, and the
week already catches a surge there). H3 cells are left to the hotspots (Gi* asks the spatial
question a cell's own series cannot). The methods and the false discovery rate are the file
mode's (`alarms.AlarmConfig`): BH across each family of series per period.

The current period is partial: its count is compared with a whole period's expectation, so it
alarms only once it already exceeds it (late, never falsely early).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import Connection, func, select

from plataforma.store.tables import trend_counts
from plataforma.trends.alarms import Alarm, AlarmConfig, first_alarms, score_all
from plataforma.trends.live_cube import live_cube
from plataforma.trends.periods import Period, index_of, period_start
from plataforma.trends.series import CrimeLevel

__all__ = ["HISTORY", "PLANS", "GrainPlan", "evaluate", "periods_to_evaluate"]

ALL_CRIME_LEVELS = (CrimeLevel.SUBTIPO, CrimeLevel.TIPO, CrimeLevel.BIEN_JURIDICO)
ADMINISTRATIVE = ("nation", "state", "municipality")

#: Periods of baseline read before the first period evaluated: Farrington's window plus
#: its guard (`alarms/farrington.py`), which also covers EARS (7 + 2).
HISTORY = {Period.MONTH: 61, Period.WEEK: 157, Period.DAY: 92}


@dataclass(frozen=True)
class GrainPlan:
    """The series one grain's alarms run on."""

    grain: Period
    area_levels: tuple[str, ...]
    crime_levels: tuple[CrimeLevel, ...]


PLANS = (
    GrainPlan(Period.MONTH, ADMINISTRATIVE, ALL_CRIME_LEVELS),
    GrainPlan(Period.WEEK, ADMINISTRATIVE, ALL_CRIME_LEVELS),
    GrainPlan(Period.DAY, ("nation", "state"), (CrimeLevel.SUBTIPO, CrimeLevel.TIPO)),
)


def periods_to_evaluate(grain: Period, today: dt.date, touched: Iterable[dt.date]) -> list[int]:
    """The current and previous period, and the touched ones up to the current (sorted)."""
    current = index_of(today, grain)
    wanted = {current, current - 1}
    wanted.update(index_of(day, grain) for day in touched)
    return sorted(p for p in wanted if p <= current)


def first_counted(conn: Connection, grain: Period) -> int | None:
    """The first period the live counts hold for ``grain`` (None: nothing counted yet)."""
    c = trend_counts.c
    first = conn.execute(
        select(func.min(c.period_start)).where(c.grain == grain.value, c["count"] != 0)
    ).scalar_one_or_none()
    if first is None:
        return None
    if isinstance(first, str):  # SQLite hands an aggregate of a date column back as text
        first = dt.date.fromisoformat(first)
    return index_of(first, grain)


def _groups(periods: Sequence[int], gap: int) -> list[list[int]]:
    """Split sorted periods where they are further apart than ``gap`` (a late incident a
    year back is evaluated in a window of its own, not in one spanning the whole year)."""
    groups: list[list[int]] = []
    for p in periods:
        if groups and p - groups[-1][-1] <= gap:
            groups[-1].append(p)
        else:
            groups.append([p])
    return groups


def evaluate(
    conn: Connection,
    plan: GrainPlan,
    periods: Sequence[int],
    config: AlarmConfig | None = None,
) -> list[Alarm]:
    """The alarms that fire on ``plan``'s series in ``periods`` (period numbers)."""
    config = config or AlarmConfig()
    start = first_counted(conn, plan.grain)
    if start is None or not periods:
        return []
    alarms: list[Alarm] = []
    for group in _groups(sorted(periods), HISTORY[plan.grain]):
        if group[-1] < start:
            continue
        first = max(group[0] - HISTORY[plan.grain], start)
        cube = live_cube(
            conn,
            plan.grain,
            plan.area_levels,
            first,
            group[-1],
            crime_levels=plan.crime_levels,
        )
        if not len(cube):
            continue
        run = replace(config, evaluate_from=max(group[0] - first, 0))
        wanted = {period_start(p, plan.grain) for p in group}
        fired = first_alarms(cube, score_all(cube, run), run.methods)
        alarms.extend(a for a in fired if a.period_start in wanted)
    return alarms
