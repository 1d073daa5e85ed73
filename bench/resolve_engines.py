"""Batch resolution engines side by side: built-in vs Splink on DuckDB vs Splink on Spark.

The same standard synthetic file (``plataforma synth`` persons and ground truth) at a few
sizes, resolved by each engine with the same decisions (``resolve.splink_engine``): records/s
(everything from prepared rows to clusters, training included), pairwise F1 and precision
against the truth, agreement with the built-in clusters, and the peak memory of the process.
Each measurement runs in its own process, so one engine's memory is not another's; Spark's
JVM is a separate process whose heap is not in that figure (its size is Spark's setting).

The baseline is the built-in engine: the one a user runs on one machine, and the one
whose decisions the Splink engines must reproduce.

Run: ``PYTHONPATH=src python3 bench/resolve_engines.py`` (real sizes) or ``--smoke``
(DuckDB only, small: a local Spark takes most of a minute to start on two busy cores);
``--no-spark`` leaves Spark out of a real run.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from _common import is_smoke, metric, write_results

BUILTIN = "built-in engine (same file, same process layout)"


def measure(engine: str, scale: int) -> dict[str, Any]:
    """One engine on the standard file of ``scale`` incidents (run in a child process)."""
    from plataforma.resolve import Resolver, prepare_mention
    from plataforma.resolve.evaluation import score_clusters
    from plataforma.resolve.splink_engine import SplinkEngine, SplinkResolver
    from resolve import standard_data

    rows, truth = standard_data(scale, seed=7)
    started = time.perf_counter()
    mentions = [prepare_mention(row, i) for i, row in enumerate(rows)]
    if engine == "builtin":
        result = Resolver().resolve(mentions)
    else:
        result = SplinkResolver(SplinkEngine(engine)).resolve(mentions)
    seconds = time.perf_counter() - started
    scores = score_clusters(result.person_ids, [truth[m.record_id] for m in mentions])
    return {
        "records": len(rows),
        "seconds": seconds,
        "f1": scores.f1,
        "precision": scores.precision,
        "recall": scores.recall,
        "person_ids": result.person_ids,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def child(engine: str, scale: int) -> dict[str, Any] | None:
    """One measurement in a fresh process; None (and its error printed) when it failed."""
    done = subprocess.run(
        [sys.executable, __file__, "--one", engine, str(scale)], capture_output=True, text=True
    )
    if done.returncode != 0:
        print(f"{engine} at scale {scale} failed:\n{done.stderr[-3000:]}", flush=True)
        return None
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    if "--one" in sys.argv:
        at = sys.argv.index("--one")
        print(json.dumps(measure(sys.argv[at + 1], int(sys.argv[at + 2]))))
        return
    from plataforma.resolve.evaluation import score_clusters
    from plataforma.resolve.spark_session import java_available

    smoke = is_smoke()
    scales = [150] if smoke else [2_000, 8_000]
    no_spark = smoke or "--no-spark" in sys.argv or not java_available()
    spark_scales = [] if no_spark else [2_000]
    metrics: dict[str, dict[str, Any]] = {}
    table: dict[str, Any] = {}
    for scale in scales:
        builtin = child("builtin", scale)
        if builtin is None:
            raise SystemExit("the built-in engine failed: nothing to compare with")
        size = builtin["records"]
        engines = ["duckdb"] + (["spark"] if scale in spark_scales else [])
        for engine in engines:
            found = child(engine, scale)
            if found is None:
                table[f"{engine}_{size}"] = "failed (see the run's output)"
                continue
            agreement = score_clusters(found["person_ids"], builtin["person_ids"]).f1
            name = "splink_duckdb" if engine == "duckdb" else "spark"
            label = f"{round(size / 1000)}k" if size >= 1000 else str(size)
            prefix = f"resolve_{name}_{label}"
            metrics[f"{prefix}_records_per_s"] = metric(
                found["records"] / found["seconds"],
                "records/s",
                builtin["records"] / builtin["seconds"],
                BUILTIN,
            )
            metrics[f"{prefix}_f1"] = metric(found["f1"], "ratio", builtin["f1"], BUILTIN)
            metrics[f"{prefix}_precision"] = metric(
                found["precision"], "ratio", builtin["precision"], BUILTIN
            )
            metrics[f"{prefix}_agreement_f1"] = metric(agreement, "ratio")
            metrics[f"{prefix}_peak_rss_mb"] = metric(
                found["peak_rss_mb"], "MB", builtin["peak_rss_mb"], BUILTIN
            )
            table[f"{name}_{size}"] = {
                "seconds": round(found["seconds"], 1),
                "builtin_seconds": round(builtin["seconds"], 1),
            }
            print(f"{engine} {size:,} records: {table[f'{name}_{size}']}", flush=True)
    write_results(
        "resolve_engines",
        metrics,
        scales=scales,
        seconds=table,
        spark="local[2], Splink 5 on pyspark 4; JVM heap not in peak_rss_mb",
    )


if __name__ == "__main__":
    main()
