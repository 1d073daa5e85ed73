"""Fired alarms in the store: saved once per series and period, paged for analysts.

The natural key (grain, area level, area, crime level, crime type, period start) is unique,
so two server processes running the job at once, or a rerun, never store an alarm twice:
the insert that loses the race inserts nothing and learns the alarm is not new, so only the
winner notifies. An alarm evaluated again (a late incident touched its period) keeps its id
and `first_seen_at` and takes the new figures.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, bindparam, select, update

from plataforma.store.dialect import dialect_for
from plataforma.store.ids import uuid7
from plataforma.store.tables import trend_alarms
from plataforma.trends.alarms import Alarm

__all__ = ["AlarmFilter", "StoredAlarm", "alarm_page", "alarms_of_series", "save_alarms"]

_KEY = ("grain", "area_level", "area", "crime_level", "crime_type", "period_start")
# What a new evaluation may change; the id and first_seen_at stay.
_UPDATED = (
    "observed",
    "expected",
    "upper",
    "score",
    "pvalue",
    "qvalue",
    "method",
    "reason",
    "evaluated_at",
)


@dataclass(frozen=True, slots=True)
class StoredAlarm:
    """An alarm as stored and shown: where, what, when, how much, how and why."""

    id: str
    grain: str
    area_level: str
    area: str
    crime_level: str
    crime_type: str
    period_start: dt.date
    observed: float
    expected: float
    upper: float
    score: float
    pvalue: float | None
    qvalue: float | None
    method: str
    reason: str
    first_seen_at: dt.datetime
    evaluated_at: dt.datetime

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {name: getattr(self, name) for name in self.__slots__}
        out["period_start"] = self.period_start.isoformat()
        out["first_seen_at"] = self.first_seen_at.isoformat()
        out["evaluated_at"] = self.evaluated_at.isoformat()
        return out


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _row(alarm: Alarm, grain: str, now: dt.datetime) -> dict[str, Any]:
    return {
        "id": uuid7(),
        "grain": grain,
        "area_level": alarm.area_level,
        "area": alarm.area,
        "crime_level": alarm.crime_level,
        "crime_type": alarm.crime_type,
        "period_start": alarm.period_start,
        "observed": alarm.observed,
        "expected": alarm.expected if math.isfinite(alarm.expected) else 0.0,
        "upper": alarm.upper if math.isfinite(alarm.upper) else 0.0,
        "score": alarm.score if math.isfinite(alarm.score) else 0.0,
        "pvalue": _finite(alarm.pvalue),
        "qvalue": _finite(alarm.qvalue),
        "method": str(alarm.method),
        "reason": alarm.reason[:400],
        "first_seen_at": now,
        "evaluated_at": now,
    }


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def stored(row: Any) -> StoredAlarm:
    return StoredAlarm(
        **{
            **{name: getattr(row, name) for name in StoredAlarm.__slots__},
            "first_seen_at": _utc(row.first_seen_at),
            "evaluated_at": _utc(row.evaluated_at),
        }
    )


def save_alarms(
    conn: Connection, grain: str, alarms: Sequence[Alarm], now: dt.datetime | None = None
) -> list[StoredAlarm]:
    """Store ``alarms`` of ``grain`` in the caller's transaction; returns the new ones."""
    if not alarms:
        return []
    now = now or dt.datetime.now(dt.UTC)
    rows = [_row(alarm, grain, now) for alarm in alarms]
    insert = dialect_for(conn).insert_ignoring_duplicates(trend_alarms)
    new_ids: set[str] = set()
    for row in rows:  # one statement each: RETURNING of a multi-row insert differs by driver
        new_ids.update(r.id for r in conn.execute(insert, row))
    again = [row for row in rows if row["id"] not in new_ids]
    if again:
        c = trend_alarms.c
        statement = (
            update(trend_alarms)
            .where(and_(*(c[name] == bindparam(f"k_{name}") for name in _KEY)))
            .values({name: bindparam(f"v_{name}") for name in _UPDATED})
        )
        conn.execute(
            statement,
            [
                {**{f"k_{n}": row[n] for n in _KEY}, **{f"v_{n}": row[n] for n in _UPDATED}}
                for row in again
            ],
        )
    fresh = [row for row in rows if row["id"] in new_ids]
    return [StoredAlarm(**row) for row in fresh]


@dataclass(frozen=True, slots=True)
class AlarmFilter:
    """What an analyst asks for; None is "any"."""

    grain: str | None = None
    area_level: str | None = None
    area: str | None = None
    state: str | None = None  # the state and its municipalities
    crime_level: str | None = None
    crime_type: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


def alarm_page(
    conn: Connection, where: AlarmFilter, cursor: str | None, limit: int
) -> tuple[list[StoredAlarm], str | None]:
    """Alarms newest first (by when first raised); the cursor is the last id of the page."""
    c = trend_alarms.c
    query = select(trend_alarms)
    for name in ("grain", "area_level", "area", "crime_level", "crime_type"):
        value = getattr(where, name)
        if value is not None:
            query = query.where(c[name] == value)
    if where.state is not None:
        query = query.where(c.area_level.in_(("state", "municipality")))
        query = query.where(c.area.like(f"{where.state}%"))
    if where.since is not None:
        query = query.where(c.period_start >= where.since)
    if where.until is not None:
        query = query.where(c.period_start <= where.until)
    if cursor is not None:
        query = query.where(c.id < cursor)
    rows = conn.execute(query.order_by(c.id.desc()).limit(limit + 1)).all()
    items = [stored(row) for row in rows[:limit]]
    return items, (items[-1].id if len(rows) > limit else None)


def alarms_of_series(
    conn: Connection, grain: str, area_level: str, area: str, crime_level: str, crime_type: str
) -> list[StoredAlarm]:
    """Every alarm of one series, oldest period first (for its time series)."""
    c = trend_alarms.c
    query = select(trend_alarms).where(
        c.grain == grain,
        c.area_level == area_level,
        c.area == area,
        c.crime_level == crime_level,
        c.crime_type == crime_type,
    )
    return [stored(row) for row in conn.execute(query.order_by(c.period_start))]
