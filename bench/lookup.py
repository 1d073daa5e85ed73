"""Reads by id and by key (CURP, plate) in-process, at a million records.

Ours: the record's primary key and the narrow ``record_keys`` index. Baseline, in the same
run: what a team storing JSON documents would write first — the same lookups through
``json_extract`` on the document (no index on the JSON path).

    python bench/lookup.py [--records 1000000] [--lookups 20000] [--smoke]
    python bench/lookup.py --audited [--records 20000] [--lookups 5000]
    python bench/lookup.py --store DATA_DIR   # an existing store, e.g. 10M synthetic records

With ``--audited`` the lookups go through the records service, policy and audit included, as
an API read does: ours commits each read's audit event before returning (group commit), the
baseline in the same run is main's buffered audit (``durable=False``: events flushed every
0.5 s, lost on a crash); one thread and eight, figures to ``lookup_audited.json``.

With ``--store`` nothing is generated: ids, CURPs and plates are sampled from the store at
random points of their indexes, the lookups are timed the same way (no baseline: a scan of
millions of documents per lookup is minutes), and the figures go to ``lookup_store.json``.
"""

from __future__ import annotations

import argparse
import random
import string
import threading
import time
from datetime import date
from pathlib import Path

from _common import is_smoke, metric, percentile, write_results
from _server import temp_dir
from sqlalchemy import text

from plataforma.context import Platform
from plataforma.model.records import Person, Vehicle
from plataforma.model.values import make_curp, make_vin, parse_curp, parse_plate
from plataforma.records.service import RecordService
from plataforma.security.policy import Purpose
from plataforma.security.principal import LOCAL_ADMIN
from plataforma.settings import Settings
from plataforma.store import reader
from plataforma.store.engine import begin_write
from plataforma.store.prepare import prepare
from plataforma.store.writer import write_records

BATCH = 5000


def populate(platform: Platform, n: int) -> tuple[list[str], list[str], list[str]]:
    rng = random.Random(7)
    curps, plates, ids = [], [], []
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    made = 0
    started = time.perf_counter()
    while made < n:
        items = []
        for i in range(made, min(n, made + BATCH)):
            if i % 10 < 7:
                born = date(1950 + rng.randrange(55), 1 + rng.randrange(12), 1 + rng.randrange(28))
                curp = make_curp("PEDRO", "RAMIREZ", "SOTO", born, "H", "JC", homoclave_seed=i)
                body = Person(
                    source_ref=f"p{i}",
                    given_names="Pedro",
                    first_surname="Ramírez",
                    second_surname="Soto",
                    date_of_birth=born.isoformat(),
                    curp=curp,
                )
                if rng.random() < 0.01:
                    curps.append(parse_curp(curp).match_key or "")
            else:
                plate = "".join(rng.choice(letters) for _ in range(3)) + f"{i % 10000:04d}"
                body = Vehicle(source_ref=f"v{i}", plate=plate, plate_state="14", vin=make_vin(i))
                if rng.random() < 0.02:
                    plates.append(parse_plate(plate).match_key or "")
            items.append(prepare(body, "BENCH"))
        with begin_write(platform.engine) as conn:
            results = write_records(conn, items, "bench")
        ids.extend(r.id for r in results[::97])
        made += len(items)
        if made % 100_000 < BATCH:
            print(f"  {made:,} records in {time.perf_counter() - started:.0f} s", flush=True)
    return ids, curps, plates


def timed(fn, samples: list[str]) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for value in samples:
        start = time.perf_counter()
        fn(value)
        out.append((time.perf_counter() - start) * 1000)
    return out


def sample_store(conn, rng: random.Random, count: int) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Ids, CURPs and plates from an existing store, taken at random points of each index."""
    out: dict[str, list[str]] = {"id": [], "curp": [], "plate": []}
    alphabet = string.ascii_uppercase + string.digits
    for _ in range(count):
        start = "".join(rng.choice(alphabet) for _ in range(3))
        for kind in ("curp", "plate"):
            value = conn.execute(
                text("SELECT value FROM record_keys WHERE kind = :k AND value >= :v LIMIT 1"),
                {"k": kind, "v": start},
            ).scalar()
            if value is not None:
                out[kind].append(value)
        prefix = f"{rng.randrange(16**4):04x}"
        found = conn.execute(
            text("SELECT id FROM records WHERE id >= :v ORDER BY id LIMIT 1"), {"v": prefix}
        ).scalar()
        if found is not None:
            out["id"].append(found)
    return out


def measure_store(data_dir: Path, lookups: int) -> None:
    platform = Platform.open(Settings(data_dir=data_dir))
    rng = random.Random(1)
    with platform.engine.connect() as conn:
        records = conn.execute(text("SELECT count(*) FROM records")).scalar_one()
        samples = sample_store(conn, rng, lookups)
        by_id = timed(
            lambda v: reader.get_record(conn, v),
            [rng.choice(samples["id"]) for _ in range(lookups)],
        )
        by_curp = timed(
            lambda v: reader.find_by_key(conn, "curp", v),
            [rng.choice(samples["curp"]) for _ in range(lookups)],
        )
        by_plate = timed(
            lambda v: reader.find_by_key(conn, "plate", v),
            [rng.choice(samples["plate"]) for _ in range(lookups)],
        )
    platform.close()
    everything = by_id + by_curp + by_plate
    metrics = {
        "lookup_store_p99_ms": metric(percentile(everything, 99), "ms"),
        "lookup_store_by_id_p99_ms": metric(percentile(by_id, 99), "ms"),
        "lookup_store_by_curp_p99_ms": metric(percentile(by_curp, 99), "ms"),
        "lookup_store_by_plate_p99_ms": metric(percentile(by_plate, 99), "ms"),
        "lookup_store_p50_ms": metric(percentile(everything, 50), "ms"),
    }
    write_results("lookup_store", metrics, records=records, lookups=lookups * 3)


def audited_lookups(
    platform: Platform, ids: list[str], lookups: int, threads: int
) -> tuple[float, list[float]]:
    """(lookups/s, latencies in ms) of service reads, audit included, from ``threads``."""
    service = RecordService(platform)
    per_thread = lookups // threads
    latencies: list[list[float]] = [[] for _ in range(threads)]

    def reader(n: int) -> None:
        rng = random.Random(n)
        for _ in range(per_thread):
            start = time.perf_counter()
            service.get(LOCAL_ADMIN, rng.choice(ids), Purpose.INVESTIGATION)
            latencies[n].append((time.perf_counter() - start) * 1000)

    workers = [threading.Thread(target=reader, args=(n,)) for n in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    return per_thread * threads / elapsed, [x for part in latencies for x in part]


def measure_audited(records: int, lookups: int) -> None:
    metrics = {}
    with temp_dir() as data:
        platform = Platform.open(Settings(data_dir=data))
        ids, _, _ = populate(platform, records)
        platform.audit.start()
        for threads in (1, 8):
            figures = {}
            for durable in (True, False):
                platform.audit.durable = durable
                figures[durable] = audited_lookups(platform, ids, lookups, threads)
                platform.audit.sync()
            (rate, ours), (base_rate, base) = figures[True], figures[False]
            label = "same lookups, read audit buffered 0.5 s (before: lost on a crash)"
            name = f"lookup_audited_{threads}t"
            metrics[f"{name}_per_s"] = metric(rate, "lookups/s", base_rate, label)
            for pct in (50, 99):
                metrics[f"{name}_p{pct}_ms"] = metric(
                    percentile(ours, pct), "ms", percentile(base, pct), label
                )
        platform.close()
    write_results("lookup_audited", metrics, records=records, lookups=lookups)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=20_000)
    parser.add_argument("--baseline-lookups", type=int, default=30)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--store", type=Path, help="measure an existing data directory")
    parser.add_argument("--audited", action="store_true", help="service reads with audit")
    args = parser.parse_args()
    if args.audited:
        if is_smoke():
            args.records, args.lookups = 3000, 400
        measure_audited(args.records, args.lookups)
        return
    if args.store:
        measure_store(args.store, args.lookups)
        return
    if is_smoke():
        args.records, args.lookups, args.baseline_lookups = 3000, 500, 5
    with temp_dir() as data:
        platform = Platform.open(Settings(data_dir=data))
        ids, curps, plates = populate(platform, args.records)
        rng = random.Random(1)
        with platform.engine.connect() as conn:
            by_id = timed(
                lambda v: reader.get_record(conn, v), [rng.choice(ids) for _ in range(args.lookups)]
            )
            by_curp = timed(
                lambda v: reader.find_by_key(conn, "curp", v),
                [rng.choice(curps) for _ in range(args.lookups)],
            )
            by_plate = timed(
                lambda v: reader.find_by_key(conn, "plate", v),
                [rng.choice(plates) for _ in range(args.lookups)],
            )
            scan = text(
                "SELECT * FROM records WHERE record_type = 'person' AND json_extract(data, '$.curp') = :v"
            )
            base_curp = timed(
                lambda v: conn.execute(scan, {"v": v}).all(), curps[: args.baseline_lookups]
            )
        platform.close()
    everything = by_id + by_curp + by_plate
    metrics = {
        "lookup_p99_ms": metric(
            percentile(everything, 99),
            "ms",
            percentile(base_curp, 99),
            "json_extract scan on the document, no key index",
        ),
        "lookup_by_id_p99_ms": metric(percentile(by_id, 99), "ms"),
        "lookup_by_curp_p99_ms": metric(
            percentile(by_curp, 99), "ms", percentile(base_curp, 99), "json_extract scan"
        ),
        "lookup_by_plate_p99_ms": metric(percentile(by_plate, 99), "ms"),
        "lookup_p50_ms": metric(
            percentile(everything, 50), "ms", percentile(base_curp, 50), "json_extract scan"
        ),
    }
    write_results("lookup", metrics, records=args.records, lookups=args.lookups * 3)


if __name__ == "__main__":
    main()
