"""Hit/no-hit inquiries: in-process latency and HTTP throughput, audit and log durable.

In-process (``inquiry_p50_ms``, ``inquiry_p99_ms``): ``inquiry.inquire`` on one thread against
a store of ``--records`` synthetic records (persons with CURPs, warrants on some of them,
vehicles and firearms, a few percent stolen), each inquiry's audit event and log rows
committed before it returns. The mix: plates 40 %, names with date of birth 30 % (a third
misspelt), CURPs 15 %, serials 15 %. Baseline, same run, same keys: the records search
(``search_records``, audited the same way), which is what an officer used before.
Also measured: the inquiry log written in a commit of its own instead of the audit's group
commit (``inquiry_log_separate_p50_ms``).

Over HTTP (``inquiry_http_p99_ms``, ``inquiry_http_max_per_s``): a real server process
(uvicorn, ``--workers``), API-key authentication, policy, durable audit and log; the load is
open-loop (``_openloop.py``: requests leave on schedule, latency counted from the due time)
at 500/s, then at rising rates until p99 passes 100 ms or errors appear.

    python bench/inquiry.py [--records 200000] [--seconds 10] [--workers 2] [--smoke]
    python bench/inquiry.py --store DATA_DIR   # an existing store (e.g. 10 M records), by hand
    python bench/inquiry.py --profile          # pyinstrument profile of the HTTP path
"""

from __future__ import annotations

import argparse
import contextlib
import random
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson
from _common import is_smoke, metric, percentile, write_results
from _openloop import open_loop, post
from _server import bench_env, free_port, provision, temp_dir
from sqlalchemy import func, insert, select, text, update

import plataforma.inquiry.service as inquiry_service
from plataforma.context import Platform
from plataforma.inquiry import FirearmQuery, PersonQuery, Query, VehicleQuery, inquire
from plataforma.model.records import Firearm, Person, Vehicle, Warrant
from plataforma.model.values import make_curp
from plataforma.records.search import SearchKind, search_records
from plataforma.security.policy import Purpose
from plataforma.security.principal import LOCAL_ADMIN
from plataforma.settings import Settings
from plataforma.store.engine import begin_write
from plataforma.store.prepare import prepare
from plataforma.store.tables import outbox, records
from plataforma.store.writer import write_records

BATCH = 5000
GIVEN = [
    "JUAN",
    "JOSE",
    "LUIS",
    "CARLOS",
    "MIGUEL",
    "PEDRO",
    "JORGE",
    "RAMON",
    "ANA",
    "MARIA",
    "ROSA",
    "LAURA",
    "SOFIA",
    "ELENA",
]
SURNAMES = [
    "GARCIA",
    "HERNANDEZ",
    "MARTINEZ",
    "LOPEZ",
    "GONZALEZ",
    "PEREZ",
    "RODRIGUEZ",
    "SANCHEZ",
    "RAMIREZ",
    "CRUZ",
    "FLORES",
    "GOMEZ",
    "MORALES",
    "VAZQUEZ",
    "REYES",
    "JIMENEZ",
    "TORRES",
    "DIAZ",
    "GUTIERREZ",
    "RUIZ",
    "MENDOZA",
    "AGUILAR",
    "ORTIZ",
    "MORENO",
    "CASTILLO",
    "ROMERO",
    "ALVAREZ",
    "MENDEZ",
    "CHAVEZ",
    "RIVERA",
    "JUAREZ",
    "RAMOS",
    "DOMINGUEZ",
    "HERRERA",
]
LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


def _person(rng: random.Random, i: int) -> dict[str, Any]:
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(55 * 365))
    given, s1, s2 = rng.choice(GIVEN), rng.choice(SURNAMES), rng.choice(SURNAMES)
    curp = make_curp(given, s1, s2, born, "H", "JC", homoclave_seed=i)
    return {
        "given_names": given,
        "first_surname": s1,
        "second_surname": s2,
        "date_of_birth": born.isoformat(),
        "curp": curp,
    }


def populate(platform: Platform, n: int) -> dict[str, list[Any]]:
    """``n`` records in the store; returns keys to ask about (some hits, most not)."""
    rng = random.Random(7)
    asked: dict[str, list[Any]] = {"person": [], "plate": [], "serial": []}
    made, started = 0, time.perf_counter()
    while made < n:
        items = []
        for i in range(made, min(n, made + BATCH)):
            roll = i % 20
            if roll < 12:
                who = _person(rng, i)
                items.append(prepare(Person(source_ref=f"p{i}", **who), "BENCH"))
                if rng.random() < 0.05:
                    warrant = Warrant(
                        source_ref=f"w{i}",
                        **who,
                        warrant_type="aprehension",
                        case_number=f"CP-{i}",
                        issued_by="Juzgado",
                        issued_at="2025-01-02",
                        crime_types=["homicidio_doloso"],
                        armed_and_dangerous=rng.random() < 0.3,
                    )
                    items.append(prepare(warrant, "BENCH"))
                if rng.random() < 0.01:
                    asked["person"].append(who)
            elif roll < 17:
                plate = "".join(rng.choice(LETTERS) for _ in range(3)) + f"{i % 10000:04d}"
                theft = "robado" if rng.random() < 0.05 else "sin_reporte"
                body = Vehicle(
                    source_ref=f"v{i}", plate=plate, plate_state="14", theft_status=theft
                )
                items.append(prepare(body, "BENCH"))
                if rng.random() < 0.02:
                    asked["plate"].append(plate)
            else:
                serial = f"SN{rng.randrange(10**9):09d}"
                status = "stolen" if rng.random() < 0.05 else "registered"
                items.append(
                    prepare(
                        Firearm(source_ref=f"f{i}", serial=serial, firearm_status=status), "BENCH"
                    )
                )
                if rng.random() < 0.02:
                    asked["serial"].append(serial)
        with begin_write(platform.engine) as conn:
            write_records(conn, items, "bench")
        made += len(items)
        if made % 100_000 < len(items):
            print(f"  {made:,} records in {time.perf_counter() - started:.0f} s", flush=True)
    return asked


def _misspelt(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # two letters swapped


def queries(asked: dict[str, list[Any]], count: int) -> list[tuple[str, Query]]:
    """The inquiry mix, each with the search kind the baseline asks the same key with."""
    rng = random.Random(3)
    out: list[tuple[str, Query]] = []
    for n in range(count):
        roll = n % 20
        if roll < 8 and asked["plate"]:
            plate = rng.choice(asked["plate"])
            typed = f"{plate[:3]}-{plate[3:]}" if n % 2 else plate.lower()
            out.append((plate, VehicleQuery(plate=typed)))
        elif roll < 14 and asked["person"]:
            who = rng.choice(asked["person"])
            first = _misspelt(who["first_surname"], rng) if roll % 3 == 0 else who["first_surname"]
            name = f"{who['given_names']} {first} {who['second_surname']}".lower()
            out.append((name, PersonQuery(name=name, date_of_birth=who["date_of_birth"])))
        elif roll < 17 and asked["person"]:
            out.append(("curp", PersonQuery(curp=rng.choice(asked["person"])["curp"])))
        elif asked["serial"]:
            out.append(("serial", FirearmQuery(serial=rng.choice(asked["serial"]))))
    return out


def _baseline(platform: Platform, query: Query) -> None:
    """The same key through the records search (audited), as the UI's quick check did."""
    purpose = Purpose.PATROL
    if isinstance(query, VehicleQuery):
        search_records(platform, LOCAL_ADMIN, SearchKind.PLATE, query.plate or "", purpose)
    elif isinstance(query, FirearmQuery):
        search_records(platform, LOCAL_ADMIN, SearchKind.SERIAL, query.serial or "", purpose)
    elif query.curp:
        search_records(platform, LOCAL_ADMIN, SearchKind.CURP, query.curp, purpose)
    else:
        search_records(
            platform, LOCAL_ADMIN, SearchKind.NAME, query.name or "", purpose, query.date_of_birth
        )


def _timed(fn: Any, items: list[tuple[str, Query]]) -> list[float]:
    out = []
    for _, query in items:
        start = time.perf_counter()
        fn(query)
        out.append((time.perf_counter() - start) * 1000)
    return out


def in_process(platform: Platform, mix: list[tuple[str, Query]]) -> dict[str, dict[str, Any]]:
    platform.audit.start()
    hits = 0

    def ours(query: Query) -> None:
        nonlocal hits
        hits += inquire(platform, LOCAL_ADMIN, query, Purpose.PATROL).hit

    _timed(ours, mix[: len(mix) // 10])  # warm the caches
    latencies = _timed(ours, mix)
    base = _timed(lambda q: _baseline(platform, q), mix)
    separate = _timed(_with_separate_log(platform, ours), mix[: max(50, len(mix) // 4)])
    # The same inquiries with the audit buffered (not durable): what is left is the lookup,
    # the hit rules and the answer, without the commit's fsync.
    platform.audit.durable = False
    buffered = _timed(ours, mix)
    platform.audit.durable = True
    platform.audit.sync()
    label = "records search (search_records), same keys, audited"
    print(f"  {hits} hits in {len(mix)} inquiries")
    return {
        "inquiry_p50_ms": metric(percentile(latencies, 50), "ms", percentile(base, 50), label),
        "inquiry_p99_ms": metric(percentile(latencies, 99), "ms", percentile(base, 99), label),
        "inquiry_buffered_audit_p50_ms": metric(
            percentile(buffered, 50),
            "ms",
            percentile(latencies, 50),
            "ours with durable audit (the difference is the group commit's fsync)",
            p99=round(percentile(buffered, 99), 3),
        ),
        "inquiry_log_separate_p50_ms": metric(
            percentile(separate, 50),
            "ms",
            percentile(latencies, 50),
            "ours: log rows in the audit event's group commit",
        ),
    }


def _with_separate_log(platform: Platform, ours: Any) -> Any:
    """``ours`` with the log rows committed on their own, before the audit event's commit."""
    original = inquiry_service.log_rows

    def separately(*args: Any) -> list[Any]:
        with begin_write(platform.engine) as conn:
            for table, rows in original(*args):
                conn.execute(insert(table), list(rows))
        return []

    def run(query: Query) -> None:
        inquiry_service.log_rows = separately  # type: ignore[assignment]
        try:
            ours(query)
        finally:
            inquiry_service.log_rows = original

    return run


def _requests(key: str, mix: list[tuple[str, Query]]) -> list[bytes]:
    headers = {"X-API-Key": key, "X-Purpose": "patrol"}
    out = []
    for _, query in mix:
        kind = query.kind
        body = (
            {k: v for k, v in vars(query).items() if v is not None}
            if hasattr(query, "__dict__")
            else {
                f: getattr(query, f)
                for f in query.__dataclass_fields__
                if getattr(query, f) is not None
            }
        )
        out.append(post(f"/api/v1/inquiries/{kind}", orjson.dumps(body), headers))
    return out


def over_http(
    data_dir: Path,
    mix: list[tuple[str, Query]],
    seconds: float,
    workers: int,
    smoke: bool,
    database_url: str | None = None,
) -> dict[str, dict[str, Any]]:
    import subprocess
    import sys

    import httpx

    env = bench_env(
        data_dir,
        database_url,
        PLATAFORMA_INQUIRY_RATE_PER_KEY="1000000",
        PLATAFORMA_INQUIRY_BURST_PER_KEY="1000000",
    )
    key = provision(env, "BENCHHTTP")
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "plataforma.web.app:create_app", "--factory",
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
               "--workers", str(workers), "--no-access-log"]  # fmt: skip
    server = subprocess.Popen(command, env=env)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        requests = _requests(key, mix)
        open_loop("127.0.0.1", port, requests, 100, 0.2 if smoke else 1.0)  # warm up
        # The ramp first, lowest rate first, and a pause after each step: an overloaded step
        # leaves requests queued in the server, which would be charged to the next one.
        best, rate = 0.0, 100.0
        steps: tuple[int, ...] = () if smoke else (100, 200, 300, 400, 500, 750, 1000, 1500)
        for rate in steps:
            run = open_loop("127.0.0.1", port, requests, rate, seconds)
            p99 = percentile(run.latencies_ms, 99)
            print(f"  {rate}/s offered: p99 {p99:.1f} ms, errors {run.errors}, {run.statuses}")
            _drain(port)
            if p99 > 100 or run.errors or run.achieved_per_s < 0.95 * rate:
                break
            best = rate
        at_500 = open_loop("127.0.0.1", port, requests, 500, seconds)
        print(f"  500/s offered: {at_500.achieved_per_s:.0f}/s, errors {at_500.errors}")
        rss_mb = server_rss_mb(server.pid)
        print(f"  server RSS after the runs: {rss_mb:.0f} MB")
    finally:
        server.terminate()
        server.wait(timeout=15)
    engine = "PostgreSQL" if database_url else "SQLite"
    note = f"open loop, {seconds:.0f} s per rate, {workers} uvicorn workers, API key, {engine}"
    return {
        "inquiry_http_p99_ms": metric(
            percentile(at_500.latencies_ms, 99), "ms", None, None, offered_per_s=500, load=note
        ),
        "inquiry_http_p50_ms": metric(percentile(at_500.latencies_ms, 50), "ms", load=note),
        "inquiry_http_max_per_s": metric(best, "inquiries/s", None, None, load=note),
        "inquiry_server_rss_mb": metric(
            rss_mb, "MB", None, None, note="resident memory of the server's processes, summed"
        ),
    }


def server_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its children (uvicorn's workers), in MB (Linux)."""
    pids, total_kb = [pid], 0
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(child) for child in children.read_text().split()]
    for one in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
    return round(total_kb / 1024, 1)


def _drain(port: int, quiet_ms: float = 50.0, bound_s: float = 60.0) -> None:
    """Wait until the server answers ``/healthz`` promptly again (its queue has drained)."""
    import httpx

    deadline = time.monotonic() + bound_s
    while time.monotonic() < deadline:
        started = time.monotonic()
        with contextlib.suppress(httpx.HTTPError):
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
        if (time.monotonic() - started) * 1000 < quiet_ms:
            return
        time.sleep(0.5)


def _records(platform: Platform) -> int:
    with platform.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(records)).scalar_one())


def _store_mix(platform: Platform, count: int) -> dict[str, list[Any]]:
    """Keys to ask about, sampled from an existing store's person and plate keys."""
    rng = random.Random(5)
    asked: dict[str, list[Any]] = {"person": [], "plate": [], "serial": []}
    with platform.engine.connect() as conn:
        for _ in range(count):
            start = "".join(rng.choice(LETTERS) for _ in range(2))
            for kind in ("name", "plate", "serial", "curp"):
                value = conn.execute(
                    text("SELECT value FROM record_keys WHERE kind = :k AND value >= :v LIMIT 1"),
                    {"k": kind, "v": start},
                ).scalar()
                if value is None:
                    continue
                if kind == "name":
                    g, s1, s2, born = ([*value.split("|"), "", "", ""])[:4]
                    if g and s1 and born:
                        asked["person"].append(
                            {"given_names": g, "first_surname": s1, "second_surname": s2,
                             "date_of_birth": born, "curp": None}
                        )  # fmt: skip
                elif kind == "plate":
                    asked["plate"].append(value)
                elif kind == "serial":
                    asked["serial"].append(value)
    for who in asked["person"]:
        who["curp"] = None
    return asked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--inquiries", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=10.0)
    # One server process on SQLite, as `plataforma serve` runs it (one writer, in-process bus).
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--store", type=Path, help="measure an existing data directory")
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--database-url", help="a fresh PostgreSQL database instead of SQLite")
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    smoke = is_smoke()
    if smoke:
        args.records, args.inquiries, args.seconds, args.workers = 2000, 100, 0.4, 1
    if args.store:
        platform = Platform.open(Settings(data_dir=args.store))
        asked = _store_mix(platform, 200)
        mix = [
            q
            for q in queries(asked, args.inquiries)
            if not (isinstance(q[1], PersonQuery) and q[1].curp is None and q[1].name is None)
        ]
        metrics = in_process(platform, mix)
        count = _records(platform)
        # The loaded store is history, not live traffic: mark its events published, so the
        # server's consumers start after them instead of replaying 200k events while the
        # inquiries are timed.
        with platform.engine.begin() as conn:
            conn.execute(update(outbox).values(published_at=func.now()))
        platform.close()
        if not args.no_http:
            metrics.update(over_http(args.store, mix, args.seconds, args.workers or 1, smoke))
        for entry in metrics.values():
            entry["records"] = count
        write_results("inquiry_store", metrics, records=count)
        return
    with temp_dir() as data:
        platform = Platform.open(Settings(data_dir=data, database_url=args.database_url))
        asked = populate(platform, args.records)
        mix = queries(asked, args.inquiries)
        metrics = in_process(platform, mix)
        count = _records(platform)
        # The loaded store is history, not live traffic: mark its events published, so the
        # server's consumers start after them instead of replaying 200k events while the
        # inquiries are timed.
        with platform.engine.begin() as conn:
            conn.execute(update(outbox).values(published_at=func.now()))
        platform.close()
        if not args.no_http:
            workers = args.workers or (2 if args.database_url else 1)
            http = over_http(data, mix, args.seconds, workers, smoke, args.database_url)
            metrics.update(http)
    for entry in metrics.values():
        entry["records"] = count
    name = "inquiry_postgres" if args.database_url else "inquiry"
    if args.database_url:
        metrics = {k.replace("inquiry_", "inquiry_postgres_", 1): v for k, v in metrics.items()}
    write_results(name, metrics, records=count, inquiries=len(mix))


if __name__ == "__main__":
    main()
