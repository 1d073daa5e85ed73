"""Two deliveries of one incident's event at the same time count it once (PostgreSQL runs
them concurrently; before the per-record lock both found no contribution and both added)."""

from __future__ import annotations

import threading

from live_support import incident
from sqlalchemy import func, select

from conftest import add_agency
from plataforma.context import Platform
from plataforma.realtime.events import RecordEvent
from plataforma.records.service import RecordService
from plataforma.security.principal import LOCAL_ADMIN
from plataforma.store.tables import outbox, trend_counts
from plataforma.trends.aggregator import trends_consumer


def test_concurrent_deliveries_count_an_incident_once(platform: Platform) -> None:
    add_agency(platform, "POL-GDL", "municipal", "police", "14")
    for n in range(6):
        RecordService(platform).submit(LOCAL_ADMIN, "incident", incident(f"c{n}"))
    with platform.engine.connect() as conn:
        rows = conn.execute(select(outbox).where(outbox.c.record_type == "incident"))
        events = [RecordEvent.from_row(row._mapping) for row in rows]
    _, handle = trends_consumer(platform)
    start = threading.Barrier(4)

    def deliver() -> None:
        start.wait()
        for event in events:
            handle(event)

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with platform.engine.connect() as conn:
        total = conn.execute(
            select(func.sum(trend_counts.c["count"])).where(
                trend_counts.c.grain == "day", trend_counts.c.area_level == "nation"
            )
        ).scalar_one()
    assert total == 6
