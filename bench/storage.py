"""Bytes on disk per record: synthetic national data loaded into a fresh embedded store.

    python bench/storage.py [--records 1000000] [--baseline-json FILE] [--smoke]

Loads about ``--records`` records of every type from the synthetic generator (the mix the
10M-record run used) with the bulk importer, checkpoints the WAL, and reports the database
file's size per record, and per table (each with its indexes, from SQLite's ``dbstat``).
``--baseline-json`` names the results file of the same run on another revision (e.g. before
the current version stopped being stored twice); its figures become the baselines.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from _common import is_smoke, metric, write_results
from _server import temp_dir

from plataforma.context import Platform
from plataforma.security.principal import LOCAL_ADMIN
from plataforma.settings import Settings
from plataforma.synth import RECORDS_PER_INCIDENT, generate, load_dataset

SEED = 20261201


def table_bytes(platform: Platform) -> dict[str, int]:
    """Bytes of each table together with its indexes, from the ``dbstat`` virtual table."""
    with platform.engine.connect() as conn:
        owners: dict[str, str] = {
            name: table
            for name, table in conn.exec_driver_sql(
                "SELECT name, tbl_name FROM sqlite_master WHERE rootpage > 0"
            )
        }
        sizes: dict[str, int] = {}
        for name, size in conn.exec_driver_sql(
            "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"
        ):
            table = owners.get(name, name)
            sizes[table] = sizes.get(table, 0) + int(size)
    return dict(sorted(sizes.items(), key=lambda item: -item[1]))


def measure(records: int) -> dict[str, Any]:
    with temp_dir() as folder:
        platform = Platform.open(Settings(data_dir=Path(folder)))
        try:
            started = time.perf_counter()
            scale = max(1, round(records / RECORDS_PER_INCIDENT))
            report = load_dataset(platform, LOCAL_ADMIN, generate(scale, SEED))
            seconds = time.perf_counter() - started
            platform.audit.flush()
            with platform.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                path = Path(platform.engine.url.database or "")
            loaded = report.records
            return {
                "records": loaded,
                "seconds": seconds,
                "file_bytes": path.stat().st_size,
                "tables": table_bytes(platform),
            }
        finally:
            platform.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--baseline-json", type=Path)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    records = 2_000 if is_smoke() else args.records
    found = measure(records)
    n = found["records"]
    before: dict[str, Any] = {}
    if args.baseline_json:
        before = json.loads(args.baseline_json.read_text())["metrics"]
    name = "baseline: the same load on the previous layout"

    def entry(key: str, value: float, unit: str) -> dict[str, Any]:
        base = before.get(key, {}).get("value")
        return metric(value, unit, base, name if base is not None else None)

    metrics = {"bytes_per_record": entry("bytes_per_record", found["file_bytes"] / n, "B")}
    for table, size in found["tables"].items():
        metrics[f"{table}_bytes_per_record"] = entry(f"{table}_bytes_per_record", size / n, "B")
    for key, value in metrics.items():
        print(
            f"{key}: {value['value']:.1f} B"
            + (f" (was {value['baseline']:.1f})" if value["baseline"] else "")
        )
    write_results(
        "storage",
        metrics,
        records=n,
        load_seconds=round(found["seconds"], 1),
        file_bytes=found["file_bytes"],
        seed=SEED,
    )


if __name__ == "__main__":
    main()
