"""Acknowledged single-record submissions per second over HTTP, with durable commits.

The load comes from ``wrk`` (a C load generator, Debian package ``wrk``) where installed, so the
client does not eat the CPU the server is measured on; otherwise from a closed-loop asyncio
client. Either keeps ``--concurrency`` requests in flight against real server processes for
``--seconds``; a write counts only when it was answered 201, which happens after the commit. SQLite runs with
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
import shutil
import subprocess
import tempfile
import time
from datetime import date

import httpx
from _common import is_smoke, median, metric, percentile, scratch_database, write_results
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


WRK_SCRIPT = """
local counter = 0
local threads = 0
function setup(thread) thread:set("tid", threads); threads = threads + 1 end
function init(args) key = args[1]; run = args[2] end
request = function()
  counter = counter + 1
  local body = string.format('{"source_ref":"wrk-%s-%d-%d","given_names":"Juan",'
    .. '"first_surname":"Perez","second_surname":"Lopez",'
    .. '"date_of_birth":"1980-01-01","sex":"H"}', run, tid, counter)
  return wrk.format("POST", "/api/v1/records/person",
    {["Content-Type"] = "application/json", ["X-API-Key"] = key}, body)
end
function done(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %.3f %.3f\\n", summary.requests,
    summary.errors.status + summary.errors.timeout, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def load_wrk(url: str, key: str, seconds: float, concurrency: int) -> tuple[int, float, float, int]:
    """Rate of 2xx answers, p50 and p99 in ms, failures; via wrk with one client thread."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    run = f"{os.getpid()}{next(_counter)}"
    command = [
        "wrk",
        "-t1",
        f"-c{concurrency}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "30s",
        "-s",
        script.name,
        url,
        "--",
        key,
        run,
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    line = next(row for row in out.splitlines() if row.startswith("RESULT"))
    _, requests, failed, micros, p50, p99 = line.split()
    return (
        round((int(requests) - int(failed)) / (int(micros) / 1e6)),
        float(p50),
        float(p99),
        int(failed),
    )


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
                if shutil.which("wrk"):
                    rate, p50, p99, errors = load_wrk(url, key, seconds, concurrency)
                else:
                    rate, latencies, errors = asyncio.run(load(url, key, seconds, concurrency))
                    p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
                if errors:
                    print(f"  {errors} requests failed")
                rates.append(rate)
                p50s.append(p50)
                p99s.append(p99)
    return {"rate": median(rates), "p50": median(p50s), "p99": median(p99s)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--runs", type=int, default=5)
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
        with scratch_database(args.pg_url) as url:
            pg = measure(url, args.seconds, args.concurrency, args.runs, args.workers)
        with scratch_database(args.pg_url) as url:
            one = measure(url, args.seconds, 1, args.runs, args.workers)
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
