"""Audit events chained per second: the old chainer (form version 1) against the new one.

Both start from the same store holding ``--events`` unchained import events, inserted the way
a bulk import inserts them (one per record, same detail). Baseline, in the same run: main's
chainer before this change, reproduced here — every column of each row read back, the
standard library's ``json.dumps`` form (version 1), one SQLAlchemy ``executemany`` update per
5,000-row batch. Ours: :meth:`AuditLog.chain` — version 2 on orjson, only the hashed columns
read, one driver-level update per 20,000-row batch (an ``unnest`` join on PostgreSQL), and the
head checked against the checkpoint log before each batch.

The unchained window during a bulk load, in the same run: ``--load`` persons go through the
bulk loader, and the age of the oldest unchained event is sampled every 0.2 s; the figure is
the largest age seen. Ours: each batch links its own events in its transaction
(``BulkLoader.chain_batches``). Baseline: the events left to the chainer running every 0.5 s
beside the load (``AuditLog.chaining``), as before; the load's records/s under both say what
linking in the batch costs. Both modes alternate, ``--runs`` times each, on SQLite and, with a
PostgreSQL URL, on PostgreSQL.

    python bench/audit_chain.py [--events 200000] [--load 200000] [--pg-url URL] [--smoke]
"""

from __future__ import annotations

import argparse
import os
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from _common import is_smoke, median, metric, scratch_database, write_results
from _server import temp_dir
from bulk_import import person_rows
from sqlalchemy import bindparam, func, insert, select, text, update

from plataforma.context import Platform
from plataforma.ingest.bulk import BulkLoader
from plataforma.security.audit import AuditAction, AuditEvent
from plataforma.security.audit_forms import hash_v1
from plataforma.security.principal import LOCAL_ADMIN
from plataforma.settings import Settings
from plataforma.store.dialect import dialect_for
from plataforma.store.engine import begin_write
from plataforma.store.tables import audit_head, audit_log, metadata

COLUMNS = ["at", "actor", "agency", "action", "outcome", "record_type", "record_id", "detail"]


def fill(platform: Platform, events: int) -> None:
    job = uuid.uuid4().hex
    with begin_write(platform.engine, synced=False) as conn:
        dialect = dialect_for(conn)
        now = dialect.driver_time(datetime.now(UTC))
        for start in range(0, events, 20_000):
            rows = [
                (
                    now,
                    "local-admin",
                    "BENCH",
                    "import",
                    "ok",
                    "person",
                    str(uuid.UUID(int=i)),
                    f'{{"version":1,"outcome":"created","job":"{job}"}}',
                )
                for i in range(start, min(events, start + 20_000))
            ]
            dialect.insert_rows(conn, audit_log, COLUMNS, rows)


def chain_v1(platform: Platform) -> int:
    """Main's chainer before this change (hash form 1, full rows, SQLAlchemy executemany)."""
    linked = 0
    while True:
        with platform.engine.begin() as conn:
            conn.execute(update(audit_head).where(audit_head.c.id == 1).values(id=1))
            head = conn.execute(select(audit_head).where(audit_head.c.id == 1)).first()
            seq, prev = (head.chain_seq, head.hash) if head else (0, "0" * 64)
            rows = conn.execute(
                select(audit_log)
                .where(audit_log.c.hash.is_(None))
                .order_by(audit_log.c.id)
                .limit(5000)
            ).all()
            if not rows:
                return linked
            links = []
            for row in rows:
                seq += 1
                digest = hash_v1(prev, seq, row)
                links.append({"b_id": row.id, "chain_seq": seq, "prev_hash": prev, "hash": digest})
                prev = digest
            conn.execute(
                update(audit_log)
                .where(audit_log.c.id == bindparam("b_id"))
                .values(
                    chain_seq=bindparam("chain_seq"),
                    prev_hash=bindparam("prev_hash"),
                    hash=bindparam("hash"),
                ),
                links,
            )
            if head:
                conn.execute(update(audit_head).values(chain_seq=seq, hash=prev))
            else:
                conn.execute(insert(audit_head).values(id=1, chain_seq=seq, hash=prev))
        linked += len(rows)


def fresh(data: Path, url: str | None) -> Platform:
    platform = Platform.open(Settings(data_dir=data, database_url=url))
    if url:
        with platform.engine.begin() as conn:
            names = ", ".join(t.name for t in metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY"))
    return platform


def rate(url: str | None, events: int, old: bool) -> float:
    with temp_dir() as data:
        platform = fresh(data, url)
        try:
            fill(platform, events)
            started = time.perf_counter()
            linked = chain_v1(platform) if old else platform.audit.chain()
            seconds = time.perf_counter() - started
            assert linked == events, (linked, events)
        finally:
            platform.close()
    return events / seconds


def _oldest_unchained_age(platform: Platform) -> float:
    with platform.engine.connect() as conn:
        oldest = conn.execute(select(func.min(audit_log.c.id)).where(audit_log.c.hash.is_(None)))
        first = oldest.scalar()
        if first is None:
            return 0.0
        at = conn.execute(select(audit_log.c.at).where(audit_log.c.id == first)).scalar_one()
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    return (datetime.now(UTC) - at).total_seconds()


def window(url: str | None, records: int, in_batch: bool) -> tuple[float, float]:
    """(largest unchained age in s, records/s) for a bulk load of ``records`` persons."""
    rows = person_rows(records)
    with temp_dir() as data:
        platform = fresh(data, url)
        # A chain to continue: starting one is the chainer's job, not a batch's.
        platform.audit.record(AuditEvent.of(LOCAL_ADMIN, AuditAction.ADMIN))
        platform.audit.chain()
        worst = 0.0
        done = threading.Event()

        def sample() -> None:
            nonlocal worst
            while not done.wait(0.2):
                worst = max(worst, _oldest_unchained_age(platform))

        sampler = threading.Thread(target=sample)
        sampler.start()
        loader = BulkLoader(platform, LOCAL_ADMIN)
        loader.chain_batches = in_batch
        try:
            started = time.perf_counter()
            loader.load("person", rows)
            seconds = time.perf_counter() - started
        finally:
            done.set()
            sampler.join()
            platform.close()
    return worst, records / seconds


def windows(url: str | None, records: int, runs: int) -> dict[str, tuple[float, float]]:
    """Median (window, records/s) per mode, the two modes alternating run by run."""
    found: dict[str, list[tuple[float, float]]] = {"in_batch": [], "beside": []}
    for _ in range(runs):
        for mode in found:
            found[mode].append(window(url, records, in_batch=mode == "in_batch"))
    return {
        mode: (median([w for w, _ in pairs]), median([r for _, r in pairs]))
        for mode, pairs in found.items()
    }


def window_metrics(engine: str, url: str | None, records: int, runs: int) -> dict[str, Any]:
    found = windows(url, records, runs)
    (ours_window, ours_rate), (base_window, base_rate) = found["in_batch"], found["beside"]
    beside = "events left to the chainer beside the load, every 0.5 s (before)"
    return {
        f"audit_unchained_window_{engine}_s": metric(ours_window, "s", base_window, beside),
        f"audit_bulk_load_{engine}_per_s": metric(ours_rate, "records/s", base_rate, beside),
    }


def measure(url: str | None, events: int, runs: int) -> tuple[float, float]:
    ours, base = [], []
    for _ in range(runs):
        base.append(rate(url, events, old=True))
        ours.append(rate(url, events, old=False))
    return median(ours), median(base)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--load", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pg-url", default=os.environ.get("PLATAFORMA_TEST_DATABASE_URL"))
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    if is_smoke():
        args.events, args.load, args.runs = 5000, 5000, 1
    metrics: dict[str, Any] = {}
    ours, base = measure(None, args.events, args.runs)
    metrics["audit_chain_sqlite_per_s"] = metric(
        ours, "events/s", base, "chainer before: form v1 (stdlib json), full rows, SQLAlchemy"
    )
    metrics |= window_metrics("sqlite", None, args.load, args.runs)
    if args.pg_url:
        with scratch_database(args.pg_url) as pg_url:
            ours, base = measure(pg_url, args.events, args.runs)
        metrics["audit_chain_postgres_per_s"] = metric(
            ours, "events/s", base, "chainer before: form v1 (stdlib json), full rows, SQLAlchemy"
        )
        with scratch_database(args.pg_url) as pg_url:
            metrics |= window_metrics("postgres", pg_url, args.load, args.runs)
    write_results("audit_chain", metrics, events=args.events, load=args.load, runs=args.runs)


if __name__ == "__main__":
    main()
