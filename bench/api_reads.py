"""Record reads per second over HTTP, each audited: durable audit (ours) against the buffer.

Every ``GET /api/v1/records/person/{id}`` with ``X-Purpose`` writes a read event. Ours: the
event is committed before the answer (``AuditLog`` group commit, the default). Baseline, in
the same run and on the same machine: the same server with
``PLATAFORMA_AUDIT_READS_DURABLE=false``, main's behaviour before this change — events held
in memory for up to 0.5 s, answers first, so a crash loses the last half second of reads.
The load comes from ``wrk`` (Debian package ``wrk``) where installed, else from a closed-loop
asyncio client, with ``--concurrency`` requests in flight for ``--seconds`` against real
server processes; ids are drawn at random from ``--records`` stored person records.

    python bench/api_reads.py [--seconds 10] [--concurrency 32] [--pg-url URL] [--smoke]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
from _common import is_smoke, median, metric, percentile, scratch_database, write_results
from _server import bench_env, provision, running_server, temp_dir
from api_writes import person

PURPOSE = {"X-Purpose": "investigation"}

WRK_SCRIPT = """
local ids = {}
function init(args)
  key = args[1]
  for line in io.lines(args[2]) do ids[#ids + 1] = line end
  math.randomseed(os.time() + tonumber(string.sub(tostring({}), 8), 16) % 1000)
end
request = function()
  local id = ids[math.random(#ids)]
  return wrk.format("GET", "/api/v1/records/person/" .. id,
    {["X-API-Key"] = key, ["X-Purpose"] = "investigation"})
end
function done(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %.3f %.3f\\n", summary.requests,
    summary.errors.status + summary.errors.timeout, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def store_records(url: str, key: str, count: int) -> list[str]:
    with httpx.Client(base_url=url, headers={"X-API-Key": key}, timeout=30) as client:
        ids = []
        for _ in range(count):
            reply = client.post("/api/v1/records/person", json=person())
            reply.raise_for_status()
            ids.append(reply.json()["id"])
        return ids


def load_wrk(
    url: str, key: str, ids_file: Path, seconds: float, concurrency: int
) -> tuple[int, float, float, int]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    command = ["wrk", "-t1", f"-c{concurrency}", f"-d{max(1, round(seconds))}s",
               "--timeout", "30s", "-s", script.name, url, "--", key, str(ids_file)]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    line = next(row for row in out.splitlines() if row.startswith("RESULT"))
    _, requests, failed, micros, p50, p99 = line.split()
    rate = round((int(requests) - int(failed)) / (int(micros) / 1e6))
    return rate, float(p50), float(p99), int(failed)


async def load_client(
    url: str, key: str, ids: list[str], seconds: float, concurrency: int
) -> tuple[int, list[float], int]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    headers = {"X-API-Key": key, **PURPOSE}
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits) as client:

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                reply = await client.get(f"/api/v1/records/person/{random.choice(ids)}")
                if reply.status_code == 200:
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
    records: int,
    workers: int,
    durable: bool,
) -> dict[str, float]:
    rates, p50s, p99s = [], [], []
    with temp_dir() as data:
        env = bench_env(
            data, database_url, PLATAFORMA_AUDIT_READS_DURABLE="true" if durable else "false"
        )
        key = provision(env)
        with running_server(env, workers) as url:
            ids = store_records(url, key, records)
            ids_file = data / "ids.txt"
            ids_file.write_text("\n".join(ids) + "\n")
            for _ in range(runs):
                if shutil.which("wrk"):
                    rate, p50, p99, errors = load_wrk(url, key, ids_file, seconds, concurrency)
                else:
                    rate, latencies, errors = asyncio.run(
                        load_client(url, key, ids, seconds, concurrency)
                    )
                    p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
                if errors:
                    print(f"  {errors} requests failed")
                rates.append(rate)
                p50s.append(p50)
                p99s.append(p99)
    return {"rate": median(rates), "p50": median(p50s), "p99": median(p99s)}


def report(metrics: dict[str, dict[str, object]], name: str, ours: dict[str, float],
           base: dict[str, float]) -> None:  # fmt: skip
    label = "same server, read audit buffered 0.5 s (before: lost on a crash)"
    metrics[f"api_reads_{name}_per_s"] = metric(ours["rate"], "reads/s", base["rate"], label)
    metrics[f"api_reads_{name}_p50_ms"] = metric(ours["p50"], "ms", base["p50"], label)
    metrics[f"api_reads_{name}_p99_ms"] = metric(ours["p99"], "ms", base["p99"], label)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2, help="server processes (PostgreSQL)")
    parser.add_argument("--pg-url", default=os.environ.get("PLATAFORMA_TEST_DATABASE_URL"))
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    if is_smoke():
        args.seconds, args.runs, args.concurrency, args.records = 1.0, 1, 4, 20
    metrics: dict[str, dict[str, object]] = {}
    common = (args.seconds, args.concurrency, args.runs, args.records)
    ours = measure(None, *common, 1, durable=True)
    base = measure(None, *common, 1, durable=False)
    report(metrics, "sqlite", ours, base)
    if args.pg_url:
        with scratch_database(args.pg_url) as url:
            ours = measure(url, *common, args.workers, durable=True)
        with scratch_database(args.pg_url) as url:
            base = measure(url, *common, args.workers, durable=False)
        report(metrics, "postgres", ours, base)
    write_results(
        "api_reads", metrics, concurrency=args.concurrency, seconds=args.seconds, runs=args.runs
    )


if __name__ == "__main__":
    main()
