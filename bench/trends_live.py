"""Live trend counts: the cost of one incident's update, and a full national recount.

``trends_incremental_update_ms``: the ``trends`` consumer's handler (read the incident, clean
its point, H3 cells, the deltas of 18 counters per crime type, its contribution) on a store
holding ``--incidents`` incidents, per event, in-process. Baseline, same run and store: what
a dashboard without the consumer does to show the same day's counts fresh, a GROUP BY over
the records' JSON for that day at state and municipality level.

``trends_recompute_10m_s``: the national counts (subtipo × nation/state/municipality × day,
week, month) recomputed from an extract of ``--extract`` incidents written as Parquet, with
DuckDB (the analytics engine DESIGN names). Baseline, same run and file: pandas groupby.

    python bench/trends_live.py [--incidents 20000] [--extract 10000000] [--smoke]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from _common import is_smoke, metric, percentile, write_results
from _server import temp_dir
from sqlalchemy import select, text

from plataforma.context import Platform
from plataforma.model.records import Incident
from plataforma.realtime.events import RecordEvent
from plataforma.settings import Settings
from plataforma.store.engine import begin_write
from plataforma.store.prepare import prepare
from plataforma.store.tables import outbox
from plataforma.store.writer import write_records
from plataforma.trends.aggregator import trends_consumer

CRIMES = ["extorsion", "homicidio_doloso", "robo_a_negocio", "robo_de_vehiculo_automotor"]
PLACES = [("14", "14039", 20.67, -103.35), ("14", "14120", 20.72, -103.39),
          ("09", "09015", 19.43, -99.13), ("19", "19039", 25.67, -100.31)]  # fmt: skip


def _incident(rng: random.Random, i: int) -> Incident:
    state, muni, lat, lon = rng.choice(PLACES)
    day = 1 + rng.randrange(28)
    return Incident(
        source_ref=f"i{i}",
        folio=f"IPH-{i}",
        occurred_at=f"2026-{1 + rng.randrange(11):02d}-{day:02d}T{rng.randrange(24):02d}:00",
        place={"state": state, "municipality": muni,
               "latitude": lat + rng.gauss(0, 0.03), "longitude": lon + rng.gauss(0, 0.03)},
        crime_types=[rng.choice(CRIMES)],
    )  # fmt: skip


def _populate(platform: Platform, n: int) -> None:
    rng = random.Random(3)
    for start in range(0, n, 5000):
        items = [prepare(_incident(rng, i), "BENCH") for i in range(start, min(n, start + 5000))]
        with begin_write(platform.engine) as conn:
            write_records(conn, items, "bench")


def _events(platform: Platform, n: int) -> list[RecordEvent]:
    with platform.engine.connect() as conn:
        rows = conn.execute(
            select(outbox).where(outbox.c.record_type == "incident").order_by(outbox.c.id).limit(n)
        )
        return [RecordEvent.from_row(row._mapping) for row in rows]


_GROUP_BY_DAY = text(
    "SELECT json_extract(data, '$.place.state') AS s, json_extract(data, '$.place.municipality') "
    "AS m, json_extract(data, '$.crime_types[0]') AS c, count(*) FROM records "
    "WHERE record_type = 'incident' AND substr(json_extract(data, '$.occurred_at'), 1, 10) = :d "
    "GROUP BY s, m, c"
)


def incremental(incidents: int, timed: int) -> dict[str, dict[str, Any]]:
    with temp_dir() as data:
        platform = Platform.open(Settings(data_dir=data))
        _populate(platform, incidents)
        events = _events(platform, incidents)
        _, handle = trends_consumer(platform)
        for event in events[: incidents - timed]:  # the counts of the store so far
            handle(event)
        ours = []
        for event in events[incidents - timed :]:
            started = time.perf_counter()
            handle(event)
            ours.append((time.perf_counter() - started) * 1000)
        base = []
        with platform.engine.connect() as conn:
            for i in range(min(timed, 200)):
                started = time.perf_counter()
                conn.execute(_GROUP_BY_DAY, {"d": f"2026-{1 + i % 11:02d}-{1 + i % 28:02d}"}).all()
                base.append((time.perf_counter() - started) * 1000)
        platform.close()
    label = "GROUP BY over the records' JSON for one day (SQLite), per refresh"
    return {
        "trends_incremental_update_ms": metric(
            percentile(ours, 50), "ms", percentile(base, 50), label,
            p99=round(percentile(ours, 99), 3), incidents=incidents,
        ),
    }  # fmt: skip


def _extract(path: Path, n: int) -> None:
    rng = np.random.default_rng(5)
    munis = np.array([f"{s:02d}{m:03d}" for s in range(1, 33) for m in range(1, 78)])
    muni = munis[rng.integers(0, len(munis), n)]
    table = pa.table(
        {
            "day": (np.datetime64("2017-01-01") + rng.integers(0, 3650, n)).astype("M8[D]"),
            "crime_type": np.array(CRIMES * 14)[rng.integers(0, 56, n)],
            "state": np.char.ljust(muni.astype("U2"), 2),
            "municipality": muni,
        }
    )
    pq.write_table(table, path, row_group_size=1_000_000)


_DUCK_LEVELS = {
    "nation": "'00'",
    "state": "state",
    "municipality": "municipality",
}
_DUCK_GRAINS = {
    "day": "day",
    "week": "date_trunc('week', day)",
    "month": "date_trunc('month', day)",
}


def _duckdb_recount(path: Path) -> int:
    import duckdb

    parts = [
        f"SELECT '{g}' AS grain, crime_type, '{lv}' AS level, {area} AS area, "
        f"{expr} AS period, count(*) AS n FROM read_parquet('{path}') GROUP BY ALL"
        for lv, area in _DUCK_LEVELS.items()
        for g, expr in _DUCK_GRAINS.items()
    ]
    with duckdb.connect() as conn:
        conn.execute("SET threads = 2")
        return int(
            conn.execute(f"SELECT count(*) FROM ({' UNION ALL '.join(parts)})").fetchone()[0]
        )


def _pandas_recount(path: Path) -> int:
    import pandas as pd

    frame = pq.read_table(path).to_pandas()
    frame["day"] = pd.to_datetime(frame["day"])
    frame["week"] = frame["day"] - pd.to_timedelta(frame["day"].dt.dayofweek, unit="D")
    frame["month"] = frame["day"].dt.to_period("M")
    frame["nation"] = "00"
    rows = 0
    for level in ("nation", "state", "municipality"):
        for grain in ("day", "week", "month"):
            rows += len(frame.groupby([grain, "crime_type", level], sort=False).size())
    return rows


def recompute(n: int) -> dict[str, dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "incidents.parquet"
        _extract(path, n)
        started = time.perf_counter()
        ours_rows = _duckdb_recount(path)
        ours = time.perf_counter() - started
        started = time.perf_counter()
        base_rows = _pandas_recount(path)
        base = time.perf_counter() - started
    print(f"  recount rows: duckdb {ours_rows:,}, pandas {base_rows:,}")
    return {
        "trends_recompute_10m_s": metric(
            ours, "s", base, "pandas groupby on the same Parquet extract",
            incidents=n, rows=ours_rows,
        ),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--incidents", type=int, default=20_000)
    parser.add_argument("--timed", type=int, default=2_000)
    parser.add_argument("--extract", type=int, default=10_000_000)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    if is_smoke():
        args.incidents, args.timed, args.extract = 600, 200, 200_000
    metrics = incremental(args.incidents, args.timed)
    metrics.update(recompute(args.extract))
    write_results("trends_live", metrics)


if __name__ == "__main__":
    main()
