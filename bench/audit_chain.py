"""Audit events chained per second: the old chainer (form version 1) against the new one.

Both start from the same store holding ``--events`` unchained import events, inserted the way
a bulk import inserts them (one per record, same detail). Baseline, in the same run: main's
chainer before this change, reproduced here — every column of each row read back, the
standard library's ``json.dumps`` form (version 1), one SQLAlchemy ``executemany`` update per
5,000-row batch. Ours: :meth:`AuditLog.chain` — version 2 on orjson, only the hashed columns
read, one driver-level update per 20,000-row batch (an ``unnest`` join on PostgreSQL), and the
head checked against the checkpoint log before each batch.

The unchained window during a bulk load, in the same run: ``--load`` persons go through the
bulk loader while a chainer runs every 0.5 s (the loader's own, ``AuditLog.chaining``; for the
baseline, the old chainer in a thread), and the age of the oldest unchained event is sampled
every 0.2 s; the figure is the largest age seen.

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

from _common import is_smoke, median, metric, write_results
from _server import temp_dir
from bulk_import import person_rows
from sqlalchemy import bindparam, func, insert, select, text, update

from plataforma.context import Platform
from plataforma.ingest.bulk import BulkLoader
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


def window(url: str | None, records: int, old: bool) -> tuple[float, float]:
    """(largest unchained age in s, records/s) for a bulk load with a chainer running."""
    rows = person_rows(records)
    with temp_dir() as data:
        platform = fresh(data, url)
        worst = 0.0
        done = threading.Event()

        def sample() -> None:
            nonlocal worst
            while not done.wait(0.2):
                worst = max(worst, _oldest_unchained_age(platform))

        def old_chainer() -> None:
            while not done.wait(0.5):
                chain_v1(platform)

        threads = [threading.Thread(target=sample)]
        if old:
            threads.append(threading.Thread(target=old_chainer))
            platform.audit.start = lambda interval=0.5: None  # type: ignore[method-assign]
        for thread in threads:
            thread.start()
        try:
            started = time.perf_counter()
            BulkLoader(platform, LOCAL_ADMIN).load("person", rows)
            seconds = time.perf_counter() - started
        finally:
            done.set()
            for thread in threads:
                thread.join()
            platform.audit.stop = lambda: None  # type: ignore[method-assign]
            platform.engine.dispose()
    return worst, records / seconds


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
    metrics = {}
    ours, base = measure(None, args.events, args.runs)
    metrics["audit_chain_sqlite_per_s"] = metric(
        ours, "events/s", base, "chainer before: form v1 (stdlib json), full rows, SQLAlchemy"
    )
    ours_window, ours_rate = window(None, args.load, old=False)
    base_window, base_rate = window(None, args.load, old=True)
    metrics["audit_unchained_window_sqlite_s"] = metric(
        ours_window, "s", base_window, "chainer before, every 0.5 s during the same load"
    )
    metrics["audit_bulk_load_sqlite_per_s"] = metric(
        ours_rate, "records/s", base_rate, "same load, chainer before"
    )
    if args.pg_url:
        pg_url = "postgresql+psycopg://" + args.pg_url.split("://", 1)[1]
        ours, base = measure(pg_url, args.events, args.runs)
        metrics["audit_chain_postgres_per_s"] = metric(
            ours, "events/s", base, "chainer before: form v1 (stdlib json), full rows, SQLAlchemy"
        )
    write_results("audit_chain", metrics, events=args.events, load=args.load, runs=args.runs)


if __name__ == "__main__":
    main()
