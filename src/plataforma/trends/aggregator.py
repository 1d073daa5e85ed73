"""The ``trends`` consumer: live incident counts, updated as each incident event arrives.

For every incident event the consumer reads the record as it stands now, works out the keys
it counts under (`contribution.count_keys`), and applies the difference from what the same
incident had added before (kept in ``trend_contributions``): a new incident adds one to each
of its keys, a corrected one moves its counts (another crime type, day or place), a purged
or re-marked one takes them back. The difference and the new contribution are written in one
transaction, so a redelivered event finds its version already counted and changes nothing
(the bus delivers at least once). A late incident (occurred weeks ago) lands in the periods
it belongs to; the alarms read those periods again on their next run.

The commit is not synced to disk: these counts are derived data, and
`reconcile.reconcile_counts` rebuilds them exactly from the records (a power cut could lose
the last few increments; an application crash cannot).
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, delete, select

from plataforma.metrics import TRENDS_UPDATE_SECONDS
from plataforma.realtime.bus import Handler
from plataforma.realtime.events import RecordEvent
from plataforma.security.services import PlatformServices
from plataforma.store import reader
from plataforma.store.dialect import dialect_for
from plataforma.store.engine import begin_write
from plataforma.store.tables import trend_contributions, trend_counts, trend_touched
from plataforma.trends.contribution import CountKey, count_keys, facts_of
from plataforma.trends.territory import Territory

__all__ = ["CONSUMER", "COUNTS_SIGNAL", "apply_deltas", "trends_consumer", "update_counts"]

CONSUMER = "trends"
#: Bus signal after counts changed (no payload of substance): open dashboards re-read them.
COUNTS_SIGNAL = "trends.counts"
log = logging.getLogger(__name__)


@cache
def territory() -> Territory:
    """The country's outline and centroids, loaded once per process."""
    return Territory.from_code_tables()


def _keys(value: Any) -> list[CountKey]:
    return [(str(g), str(c), str(lv), str(a), str(s)) for g, c, lv, a, s in value or ()]


def apply_deltas(conn: Connection, deltas: Counter[CountKey]) -> None:
    """Add each non-zero delta to its count (created at the delta where absent)."""
    rows = [
        {
            "grain": grain,
            "crime_type": crime,
            "area_level": level,
            "area": area,
            "period_start": date.fromisoformat(start),
            "count": delta,
        }
        for (grain, crime, level, area, start), delta in sorted(deltas.items())
        if delta
    ]
    if rows:
        conn.execute(dialect_for(conn).insert_adding(trend_counts, "count"), rows)
        _touch(conn, {(key[0], key[4]) for key, delta in deltas.items() if delta})


def _touch(conn: Connection, periods: set[tuple[str, str]]) -> None:
    """Mark the periods whose counts changed, for the alarms job to evaluate again."""
    now = datetime.now(UTC)
    rows = [
        {"grain": grain, "period_start": date.fromisoformat(start), "touched_at": now}
        for grain, start in sorted(periods)
    ]
    conn.execute(dialect_for(conn).insert_replacing(trend_touched), rows)


def update_counts(conn: Connection, record_ids: Iterable[str]) -> int:
    """Bring the counts of ``record_ids`` up to date in ``conn``'s transaction; returns how
    many incidents changed their contribution."""
    ids = list(dict.fromkeys(record_ids))
    # Two deliveries of one incident's events at once (a redelivery while the first is still
    # running, two consumers during a rollout) would both find no contribution and both add
    # it; on PostgreSQL they now queue on the record id (SQLite has one writer anyway).
    dialect_for(conn).lock_keys(conn, [f"trends:{i}" for i in ids])
    before = {
        row.record_id: row
        for row in conn.execute(
            select(trend_contributions).where(trend_contributions.c.record_id.in_(ids))
        )
    }
    records = {r.id: r for r in (reader.get_record(conn, i) for i in ids) if r is not None}
    stale = [
        i
        for i in ids
        if i not in records or i not in before or before[i].version < records[i].version
    ]
    counted = [(i, facts_of(records[i])) if i in records else (i, None) for i in stale]
    facts = [f for _, f in counted if f is not None]
    keys = iter(count_keys(facts, territory()))
    deltas: Counter[CountKey] = Counter()
    changed = 0
    for record_id, fact in counted:
        new = next(keys) if fact is not None else []
        old = _keys(before[record_id].keys) if record_id in before else []
        if not new and not old:
            continue
        deltas.update(new)
        deltas.subtract(old)
        changed += 1
        if record_id in records and new:
            version = records[record_id].version
            _remember(conn, record_id, version, new)
        else:
            conn.execute(
                delete(trend_contributions).where(trend_contributions.c.record_id == record_id)
            )
    apply_deltas(conn, deltas)
    return changed


def _remember(conn: Connection, record_id: str, version: int, keys: Sequence[CountKey]) -> None:
    statement = dialect_for(conn).insert_replacing(trend_contributions)
    conn.execute(statement, {"record_id": record_id, "version": version, "keys": list(keys)})


def trends_consumer(platform: PlatformServices) -> tuple[str, Handler]:
    """The durable ``trends`` consumer for ``platform``."""

    def handle(event: RecordEvent) -> None:
        if event.record_type != "incident":
            return
        started = time.perf_counter()
        with begin_write(platform.engine, synced=False) as conn:
            changed = update_counts(conn, [event.record_id])
        TRENDS_UPDATE_SECONDS.observe(time.perf_counter() - started)
        if changed and platform.bus is not None:
            platform.bus.signal(COUNTS_SIGNAL, b"{}")

    return CONSUMER, handle
