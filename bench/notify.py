"""Notification latency: from a record's commit to the inbox signal at a listener.

The pipeline is the real one: a write commits its record and outbox row; the outbox relay
publishes the event on the bus; a durable consumer (standing in for a subscription) delivers
an inbox notification (``deliver_in`` in its own transaction) and announces it; the signal
``inbox.user.<user>`` reaches a listener (what an open SSE stream waits on). Latency is from
the return of the committing write to the listener's call, while records are written at an
open-loop rate (default 1,000 records/s, in batches of 10 every 10 ms). As with real
subscriptions, a share of the records match (default one in ten, ``--match-every``): the
consumer sees every event and delivers a notification (one synced transaction) for each match.

Ours: the relay woken right after each commit that wrote outbox rows. Baseline, in the same
run and on the same bus: the naive relay that polls the outbox once a second.

    python bench/notify.py [--records 100000] [--seconds 10] [--rate 1000] [--nats URL]
    python bench/notify.py --smoke

The NATS figures need a server (``--nats`` or ``PLATAFORMA_TEST_NATS_URL``); each run uses a
stream of its own, deleted afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import threading
import time
import uuid
from collections import deque
from pathlib import Path
from typing import Any

import nats
from _common import is_smoke, metric, percentile, write_results
from _server import temp_dir
from sqlalchemy import func, select, update

from plataforma.context import Platform
from plataforma.model.records import Person
from plataforma.realtime.events import RecordEvent
from plataforma.realtime.inbox import Notification, NotificationKind, announce, deliver_in
from plataforma.records.service import RecordService
from plataforma.security.principal import LOCAL_ADMIN
from plataforma.settings import Settings
from plataforma.store.engine import begin_write
from plataforma.store.prepare import prepare
from plataforma.store.tables import outbox, records
from plataforma.store.writer import write_records

USER = "watcher"
BATCH = 10


def preload(platform: Platform, count: int) -> None:
    RecordService(platform).submit(
        LOCAL_ADMIN,
        "agency",
        {"source_ref": "BENCH", "agency": "BENCH", "name": "Bench", "level": "federal",
         "kind": "police"},
    )  # fmt: skip
    for start in range(0, count, 5000):
        items = [
            prepare(Person(source_ref=f"pre-{i}", given_names="Ana", first_surname="Previa"),
                    "BENCH")
            for i in range(start, min(count, start + 5000))
        ]  # fmt: skip
        with begin_write(platform.engine, synced=False) as conn:
            write_records(conn, items, "bench")
    # The store's history was published long ago: the runs measure live writes, not a relay
    # working through the preload's events.
    with begin_write(platform.engine) as conn:
        conn.execute(
            update(outbox).where(outbox.c.published_at.is_(None)).values(published_at=func.now())
        )


class Probe:
    """The consumer and the listener: pairs each signal with the record it announces."""

    def __init__(self, platform: Platform, match_every: int) -> None:
        self.platform = platform
        self.match_every = match_every
        self.matching: set[str] = set()
        self.committed: dict[str, float] = {}
        self.latencies: list[float] = []
        self._announced: deque[str] = deque()
        self._lock = threading.Lock()

    def handle(self, event: RecordEvent) -> None:
        if event.record_id not in self.matching:
            return
        note = Notification(
            NotificationKind.SUBSCRIPTION_MATCH,
            f"bench:{event.outbox_id}",
            recipient_user=USER,
            record_id=event.record_id,
            record_type=event.record_type,
        )
        with begin_write(self.platform.engine) as conn:
            fresh = deliver_in(conn, [note])
        if fresh:
            with self._lock:
                self._announced.append(event.record_id)
            announce(self.platform.bus, fresh)

    def listen(self, _subject: str, _payload: bytes) -> None:
        now = time.perf_counter()
        with self._lock:
            record_id = self._announced.popleft() if self._announced else None
        if record_id is not None:
            self.latencies.append((now - self.committed[record_id]) * 1000)


def run(
    platform: Platform, bus_url: str, *, polling: bool, seconds: float, rate: int, match_every: int
) -> tuple[list[float], float]:
    """Latencies (ms) of one run, and the write rate achieved."""
    namespace = f"bench{uuid.uuid4().hex[:10]}"
    platform.settings.bus_url = bus_url
    platform.settings.bus_namespace = namespace
    platform.settings.relay_sweep_seconds = 1.0
    probe = Probe(platform, match_every)
    platform.start_realtime([(f"notify-{namespace}", probe.handle)], wake_on_commit=not polling)
    assert platform.bus is not None
    stop = platform.bus.listen(f"inbox.user.{USER}", probe.listen)
    time.sleep(1.5 if polling else 0.5)  # the consumers are bound, the relay drained
    service = RecordService(platform)
    written, started = 0, time.perf_counter()
    interval = BATCH / rate
    next_at = started
    while time.perf_counter() - started < seconds:
        items = [
            prepare(Person(source_ref=f"{namespace}-{written + i}", given_names="Luis",
                           first_surname="Vivo"), "BENCH")
            for i in range(BATCH)
        ]  # fmt: skip
        results = service.write(LOCAL_ADMIN, items)
        done = time.perf_counter()
        for index, result in enumerate(results, start=written):
            if index % match_every == 0:
                probe.committed[result.id] = done
                probe.matching.add(result.id)
        written += len(results)
        next_at += interval
        pause = next_at - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
    achieved = written / (time.perf_counter() - started)
    deadline = time.monotonic() + 30
    expected = len(probe.matching)
    while len(probe.latencies) < expected and time.monotonic() < deadline:
        time.sleep(0.05)
    stop()
    platform.stop_realtime()
    if bus_url.startswith("nats://"):
        asyncio.run(_drop_stream(bus_url, namespace))
    missing = expected - len(probe.latencies)
    if missing:
        print(f"  {missing} of {expected} notifications did not arrive within 30 s")
    return probe.latencies, achieved


async def _drop_stream(url: str, namespace: str) -> None:
    nc = await nats.connect(url)
    try:
        await nc.jetstream().delete_stream(namespace.upper())
    finally:
        await nc.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000, help="records loaded first")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rate", type=int, default=1000, help="records written per second")
    parser.add_argument("--match-every", type=int, default=10, help="one record in N notifies")
    parser.add_argument("--nats", default=os.environ.get("PLATAFORMA_TEST_NATS_URL"))
    parser.add_argument("--database-url", default=None, help="PostgreSQL (default: SQLite)")
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    smoke = is_smoke()
    if smoke:
        args.records, args.seconds, args.rate = 500, 1.5, 300
    buses = [("memory", "memory://")] + ([("nats", args.nats)] if args.nats else [])
    metrics: dict[str, dict[str, Any]] = {}
    with temp_dir() as data_dir:
        settings = Settings(data_dir=Path(data_dir), database_url=args.database_url)
        platform = Platform.open(settings)
        try:
            preload(platform, args.records)
            for name, url in buses:
                timing = {
                    "seconds": args.seconds,
                    "rate": args.rate,
                    "match_every": args.match_every,
                }
                ours, rate_ours = run(platform, url, polling=False, **timing)
                naive, _ = run(platform, url, polling=True, **timing)
                with platform.engine.connect() as conn:
                    stored = int(conn.scalar(select(func.count()).select_from(records)) or 0)
                for pct in (99, 50):
                    metrics[f"notify_{name}_p{pct}_ms"] = metric(
                        percentile(ours, pct),
                        "ms",
                        percentile(naive, pct),
                        "relay polling the outbox once a second",
                        records=stored,
                        samples=len(ours),
                        write_rate_per_s=round(rate_ours),
                        matching_share=f"1 in {args.match_every}",
                        measured="commit of a record to the inbox signal at a listener",
                    )
        finally:
            platform.close()
    write_results("notify", metrics, smoke=smoke, engine=args.database_url or "sqlite")


if __name__ == "__main__":
    main()
