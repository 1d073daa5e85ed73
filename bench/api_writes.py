"""Acknowledged single-record submissions per second over HTTP, with durable commits.

A closed-loop asyncio client keeps ``--concurrency`` requests in flight against a real server
process for ``--seconds``; each 201 counts only after the server committed. SQLite runs with
``synchronous=FULL`` and our group commit; the baseline is the same server with group commit
off (one fsync per request), the way a plain SQLAlchemy service would write. PostgreSQL's
baseline is the naive client: one request at a time.

    python bench/api_writes.py [--seconds 10] [--concurrency 32] [--pg-url URL] [--smoke]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import time
from datetime import date

import httpx
from _common import is_smoke, median, metric, percentile, write_results
from _server import bench_env, provision, running_server, temp_dir

from plataforma.model.values import make_curp

_counter = itertools.count()


def person() -> dict[str, object]:
    i = next(_counter)
    born = date(1960 + i % 40, 1 + i % 12, 1 + i % 28)
    curp = make_curp("JUAN", "PEREZ", "LOPEZ", born, "H", "DF", homoclave_seed=i)
    return {
        "source_ref": f"api-{os.getpid()}-{i}",
        "given_names": "Juan",
        "first_surname": "Pérez",
        "second_surname": "López",
        "date_of_birth": born.isoformat(),
        "curp": curp,
        "sex": "H",
    }


async def load(
    url: str, key: str, seconds: float, concurrency: int
) -> tuple[int, list[float], int]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=url, headers={"X-API-Key": key}, limits=limits, timeout=30
    ) as client:

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                reply = await client.post("/api/v1/records/person", json=person())
                if reply.status_code == 201:
                    latencies.append((time.perf_counter() - start) * 1000)
                else:
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return round(len(latencies) / elapsed), latencies, errors


def measure(
    database_url: str | None,
    seconds: float,
    concurrency: int,
    runs: int,
    workers: int = 1,
    **env_extra: str,
) -> dict[str, float]:
    rates, p50s, p99s = [], [], []
    with temp_dir() as data:
        env = bench_env(data, database_url, **env_extra)
        key = provision(env)
        with running_server(env, workers) as url:
            for _ in range(runs):
                rate, latencies, errors = asyncio.run(load(url, key, seconds, concurrency))
                if errors:
                    print(f"  {errors} requests failed")
                rates.append(rate)
                p50s.append(percentile(latencies, 50))
                p99s.append(percentile(latencies, 99))
    return {"rate": median(rates), "p50": median(p50s), "p99": median(p99s)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--workers", type=int, default=2, help="server processes (stateless API workers)"
    )
    parser.add_argument("--pg-url", default=os.environ.get("PLATAFORMA_TEST_DATABASE_URL"))
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    if is_smoke():
        args.seconds, args.runs, args.concurrency = 1.0, 1, 4
    metrics = {}
    ours = measure(None, args.seconds, args.concurrency, args.runs)
    naive = measure(
        None, args.seconds, args.concurrency, args.runs, PLATAFORMA_GROUP_COMMIT="false"
    )
    metrics["api_writes_sqlite_per_s"] = metric(
        ours["rate"],
        "writes/s",
        naive["rate"],
        "same server, group commit off (one fsync per request)",
    )
    metrics["api_writes_sqlite_p50_ms"] = metric(
        ours["p50"], "ms", naive["p50"], "group commit off"
    )
    metrics["api_writes_sqlite_p99_ms"] = metric(
        ours["p99"], "ms", naive["p99"], "group commit off"
    )
    if args.pg_url:
        pg = measure(args.pg_url, args.seconds, args.concurrency, args.runs, args.workers)
        one = measure(args.pg_url, args.seconds, 1, args.runs, args.workers)
        metrics["api_writes_postgres_per_s"] = metric(
            pg["rate"], "writes/s", one["rate"], "naive client: one request at a time"
        )
        metrics["api_writes_postgres_p50_ms"] = metric(
            pg["p50"], "ms", one["p50"], "one request at a time"
        )
        metrics["api_writes_postgres_p99_ms"] = metric(
            pg["p99"], "ms", one["p99"], "one request at a time"
        )
    write_results(
        "api_writes", metrics, concurrency=args.concurrency, seconds=args.seconds, runs=args.runs
    )


if __name__ == "__main__":
    main()
