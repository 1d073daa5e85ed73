"""The national person index in the running platform (issue 9): how fast a committed record
is linked, how long a server takes to load the index, what an analyst's judgement costs, and
how fast ``plataforma resolve store`` re-resolves the store.

    python bench/resolve_realtime.py [--smoke] [--mentions N]

* ``resolve_commit_to_linked_p50_ms`` / ``_p99_ms``: a person record committed through the
  records service → outbox → relay → in-process bus → person-index consumer → link row
  written, polled from the store; baseline: the in-memory `PersonIndex.add` alone.
* ``resolve_index_load_s`` and ``resolve_index_rss_mb``: a fresh `NationalIndex` loading
  every link and record of the store; baseline: `PersonIndex.load` of the same mentions
  already in memory (no store).
* ``resolve_judgement_round_trip_ms``: `PersonService.judge` (authorised, audited,
  re-clustered, written, index synchronised) until the process's index shows the split;
  baseline: ``plataforma resolve store`` re-resolving everything, the other way to apply it.
* ``resolve_store_records_per_s``: ``resolve_store`` over the whole store (read, resolve,
  write the links); baseline: `Resolver` on the same mentions in memory (file mode).

The store is SQLite in a temporary directory. Its person records (synthetic people of the
hard generator, several records each) are inserted as rows in bulk, as an import would
leave them; the records whose latency is measured go through the real write path.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import is_smoke, median, metric, percentile, write_results
from _resolve_hard import hard_rows
from sqlalchemy import insert

from plataforma.context import Platform
from plataforma.model.envelope import Marking
from plataforma.records.service import RecordService
from plataforma.resolve import PersonIndex, Resolver, ResolveSettings
from plataforma.resolve.judgements import Verdict
from plataforma.resolve.links import links_of_records
from plataforma.resolve.model import default_model
from plataforma.resolve.national import NationalIndex, national_index
from plataforma.resolve.records import mentions_of_data
from plataforma.resolve.service import PersonService
from plataforma.resolve.store_batch import resolve_store
from plataforma.security.identity import create_user
from plataforma.security.policy import Purpose
from plataforma.security.principal import LOCAL_ADMIN, Role
from plataforma.settings import Settings
from plataforma.store.engine import begin_write
from plataforma.store.tables import records
from plataforma.subscriptions.principals import user_principal

AGENCY = "POL-GDL"


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def person_data(row: dict[str, str]) -> dict[str, Any]:
    """A resolve input row as a person record's content."""
    data: dict[str, Any] = {
        "given_names": row["given_name"] or None,
        "first_surname": row["first_surname"] or None,
        "second_surname": row["second_surname"] or None,
        "sex": row["sex"] or None,
        "date_of_birth": row["date_of_birth"] or None,
        "curp": row["curp"] or None,
        "birth_state": row["birth_state"] or None,
    }
    if row.get("municipality") or row.get("street"):
        data["addresses"] = [{"municipality": row.get("municipality") or None,
                              "street": row.get("street") or None}]  # fmt: skip
    return {k: v for k, v in data.items() if v is not None}


def bulk_insert(platform: Platform, rows: list[dict[str, str]]) -> None:
    now = datetime.now(UTC)
    values = [
        {
            "id": f"00000000-0000-7000-8000-{i:012d}",
            "record_type": "person",
            "agency": AGENCY,
            "source_ref": row["record_id"],
            "marking": "SBU",
            "state": "14",
            "status": "active",
            "version": 1,
            "entered_by": "bench",
            "entered_at": now,
            "updated_at": now,
            "purge_after": date(2100, 1, 1),
            "content_hash": row["record_id"],
            "flags": [],
            "data": person_data(row),
        }
        for i, row in enumerate(rows)
    ]
    for start in range(0, len(values), 5_000):
        with begin_write(platform.engine) as conn:
            conn.execute(insert(records), values[start : start + 5_000])


def store_throughput(platform: Platform, rows: list[dict[str, str]]) -> dict[str, float]:
    started = time.perf_counter()
    outcome = resolve_store(platform.engine, platform.settings)
    seconds = time.perf_counter() - started
    mentions = [
        m.mention
        for i, row in enumerate(rows)
        for m in mentions_of_data(f"r{i}", "person", AGENCY, person_data(row))
    ]
    started = time.perf_counter()
    Resolver(default_model(), ResolveSettings(train=False)).resolve(mentions)
    memory_seconds = time.perf_counter() - started
    return {
        "store_per_s": outcome.mentions / seconds,
        "memory_per_s": len(mentions) / memory_seconds,
        "store_seconds": seconds,
        "persons": outcome.persons,
    }


def load_in_fresh_process(data_dir: str) -> None:
    """Run in a child process: load the index as a server starting up would; print figures."""
    platform = Platform.open(Settings(data_dir=Path(data_dir)))
    gc.collect()
    before = _rss_mb()
    index = NationalIndex(platform.engine, default_model(), "default")
    started = time.perf_counter()
    index.sync()
    seconds = time.perf_counter() - started
    gc.collect()
    print(json.dumps({"seconds": seconds, "rss_mb": _rss_mb() - before, "n": len(index.index)}))
    platform.close()


def index_load(platform: Platform, data_dir: str) -> dict[str, float]:
    child = subprocess.run(
        [sys.executable, __file__, "--load-only", data_dir],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PLATAFORMA_LOG_LEVEL": "warning"},
    )
    if child.returncode != 0:
        raise RuntimeError(f"index load in a fresh process failed: {child.stderr[-2000:]}")
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    index = national_index(platform.settings, platform.engine)
    index.sync()  # this process's own index, loaded before the latencies are measured
    mentions = list(index.mentions.values())
    bare = PersonIndex(default_model())
    started = time.perf_counter()
    bare.load(mentions)
    return {
        "seconds": figures["seconds"],
        "rss_mb": figures["rss_mb"],
        "in_memory_seconds": time.perf_counter() - started,
        "mentions": figures["n"],
    }


def commit_to_linked(platform: Platform, rows: list[dict[str, str]]) -> dict[str, float]:
    service = RecordService(platform)
    index = national_index(platform.settings, platform.engine)
    latencies, scorer_ms = [], []
    for k, row in enumerate(rows):
        payload = {"source_ref": f"NEW-{k}", "agency": AGENCY, **person_data(row)}
        started = time.perf_counter()
        record_id = service.submit(LOCAL_ADMIN, "person", payload).id
        while True:
            with platform.engine.connect() as conn:
                if links_of_records(conn, [record_id]):
                    break
            time.sleep(0.0005)
        latencies.append((time.perf_counter() - started) * 1000)
    # The scorer alone, on mentions it has not seen (same shape as the arrivals).
    for k, row in enumerate(rows):
        for named in mentions_of_data(f"x{k}", "person", AGENCY, person_data(row)):
            started = time.perf_counter()
            index.index.link(named.mention)
            scorer_ms.append((time.perf_counter() - started) * 1000)
    return {
        "p50": percentile(latencies, 50),
        "p99": percentile(latencies, 99),
        "scorer_p50": percentile(scorer_ms, 50),
        "scorer_p99": percentile(scorer_ms, 99),
    }


def judgement_round_trip(platform: Platform, pairs: int) -> dict[str, float]:
    with begin_write(platform.engine) as conn:
        create_user(conn, "sup", "Sup", AGENCY, [Role.SUPERVISOR], "bench password 1",
                    Marking.SECRET, [], totp_secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")  # fmt: skip
        principal = user_principal(conn, "sup")
    assert principal is not None
    index = national_index(platform.settings, platform.engine)
    groups: dict[str, list[str]] = {}
    for mention_id in index.mentions:
        groups.setdefault(index.index.person_of(mention_id) or "", []).append(mention_id)
    candidates = [ids for ids in groups.values() if len(ids) >= 2][:pairs]
    service = PersonService(platform)
    times = []
    for ids in candidates:
        left, right = ids[0], ids[1]
        started = time.perf_counter()
        service.judge(principal, left, right, Verdict.NOT_SAME, "bench", Purpose.INTELLIGENCE)
        if index.index.person_of(left) == index.index.person_of(right):
            raise AssertionError("the index did not follow the judgement")
        times.append((time.perf_counter() - started) * 1000)
    return {"median": median(times) if times else float("nan"), "count": len(times)}


def main() -> None:
    smoke = is_smoke()
    size = 2_000 if smoke else 100_000
    if "--mentions" in sys.argv:
        size = int(sys.argv[sys.argv.index("--mentions") + 1])
    arrivals = 20 if smoke else 200
    rows, _truth = hard_rows(int(size / 1.5), 11)
    rows = rows[:size]
    incoming, _ = hard_rows(arrivals, 12)
    incoming = [r for r in incoming][:arrivals]
    with tempfile.TemporaryDirectory() as data_dir:
        platform = Platform.open(Settings(data_dir=Path(data_dir)))
        try:
            service = RecordService(platform)
            service.submit(LOCAL_ADMIN, "agency", {"source_ref": AGENCY, "agency": AGENCY,
                           "name": "Policía", "level": "municipal", "kind": "police",
                           "state": "14"})  # fmt: skip
            bulk_insert(platform, rows)
            print(f"{len(rows):,} person records inserted", flush=True)
            store = store_throughput(platform, rows)
            print(f"resolve store: {store['store_seconds']:.1f} s", flush=True)
            load = index_load(platform, data_dir)
            platform.start_realtime()
            latency = commit_to_linked(platform, incoming)
            judged = judgement_round_trip(platform, 5 if smoke else 20)
        finally:
            platform.close()
    metrics = {
        "resolve_commit_to_linked_p50_ms": metric(
            latency["p50"], "ms", latency["scorer_p50"], "PersonIndex.link alone (no store, no bus)"
        ),
        "resolve_commit_to_linked_p99_ms": metric(
            latency["p99"], "ms", latency["scorer_p99"], "PersonIndex.link alone (no store, no bus)"
        ),
        "resolve_index_load_s": metric(
            load["seconds"],
            "s",
            load["in_memory_seconds"],
            "PersonIndex.load of the same mentions already in memory",
            mentions=load["mentions"],
        ),
        "resolve_index_rss_mb": metric(load["rss_mb"], "MB", mentions=load["mentions"]),
        "resolve_judgement_round_trip_ms": metric(
            judged["median"],
            "ms",
            store["store_seconds"] * 1000,
            "plataforma resolve store (re-resolve everything)",
            judgements=judged["count"],
        ),
        "resolve_store_records_per_s": metric(
            store["store_per_s"],
            "records/s",
            store["memory_per_s"],
            "Resolver on the same mentions in memory (file mode)",
        ),
    }
    write_results("resolve_realtime", metrics, mentions=len(rows), arrivals=len(incoming))


if __name__ == "__main__":
    if "--load-only" in sys.argv:
        load_in_fresh_process(sys.argv[sys.argv.index("--load-only") + 1])
    else:
        main()
