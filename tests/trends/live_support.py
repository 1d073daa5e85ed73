"""Helpers for the tests of what reads the live counts: seed counts directly, write
incidents for real (records service → outbox → trends consumer), run the alarms job."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import delete, func, select

from plataforma.context import Platform
from plataforma.realtime.events import RecordEvent
from plataforma.records.service import RecordService
from plataforma.security.principal import LOCAL_ADMIN
from plataforma.store.engine import begin_write
from plataforma.store.tables import outbox, trend_touched
from plataforma.subscriptions.service import SubscriptionService
from plataforma.subscriptions.targets import Target
from plataforma.trends.aggregator import apply_deltas, trends_consumer
from plataforma.trends.contribution import CountKey
from plataforma.trends.periods import Period, period_start

#: The month the tests treat as "now" (the alarms job takes `today`).
TODAY = dt.date(2026, 11, 20)
ZAPOPAN = "14120"
GUADALAJARA = "14039"


def month(offset: int) -> dt.date:
    """The first day of the month `offset` months from TODAY's."""
    index = (TODAY.year - 1970) * 12 + TODAY.month - 1 + offset
    return period_start(index, Period.MONTH)


def seed(platform: Platform, counts: Iterable[tuple[str, str, str, str, dt.date, int]]) -> None:
    """Add (grain, crime, area level, area, period start, n) to the live counts, as the
    consumer would, then forget which periods were touched (a clean slate for the job)."""
    deltas: Counter[CountKey] = Counter()
    for grain, crime, level, area, start, n in counts:
        deltas[(grain, crime, level, area, start.isoformat())] += n
    with begin_write(platform.engine) as conn:
        apply_deltas(conn, deltas)
        conn.execute(delete(trend_touched))


def monthly(
    crime: str, areas: list[tuple[str, str]], values: list[int], last_offset: int = 0
) -> list[tuple[str, str, str, str, dt.date, int]]:
    """Month counts ending `last_offset` months from now, for each (level, area)."""
    first = last_offset - len(values) + 1
    return [
        ("month", crime, level, area, month(first + i), v)
        for level, area in areas
        for i, v in enumerate(values)
        if v
    ]


def last_outbox(platform: Platform) -> int:
    with platform.engine.connect() as conn:
        return int(conn.execute(select(func.coalesce(func.max(outbox.c.id), 0))).scalar_one())


def write_incident(platform: Platform, payload: dict[str, Any]) -> None:
    """Store an incident and deliver its events to the trends consumer (twice)."""
    before = last_outbox(platform)
    RecordService(platform).submit(LOCAL_ADMIN, "incident", payload)
    _, handle = trends_consumer(platform)
    with platform.engine.connect() as conn:
        rows = conn.execute(select(outbox).where(outbox.c.id > before).order_by(outbox.c.id))
        events = [RecordEvent.from_row(row._mapping) for row in rows]
    for _ in range(2):
        for event in events:
            handle(event)


def incident(ref: str, agency: str = "POL-GDL", **extra: Any) -> dict[str, Any]:
    return {
        "source_ref": ref,
        "agency": agency,
        "folio": f"IPH/14/2026/{ref}",
        "occurred_at": "2026-11-10T12:00:00",
        "place": {"state": "14", "municipality": ZAPOPAN, "latitude": 20.72, "longitude": -103.39},
        "crime_types": ["extorsion"],
        **extra,
    }


def subscribe(platform: Platform, principal: Any, **body: Any) -> Any:
    """An area × crime type subscription (or any other kind), as the API would create it."""
    body.setdefault("purpose", "analysis")
    target = TypeAdapter(Target).validate_python(body)  # type: ignore[var-annotated]
    return SubscriptionService(platform).create(principal, target)
