"""Shared by the benchmark scripts: the results format of DESIGN §5 and small timing helpers.

Smoke runs (``--smoke`` or ``PLATAFORMA_BENCH_SMOKE=1``, as CI does) print their figures but
never overwrite the committed results in ``bench/results/``.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def is_smoke(argv: list[str] | None = None) -> bool:
    return "--smoke" in (argv or sys.argv) or os.environ.get("PLATAFORMA_BENCH_SMOKE") == "1"


def machine() -> str:
    cores = os.cpu_count()
    python = platform.python_version()
    return f"{platform.machine()} {cores} cores, {platform.system()}, Python {python}"


def metric(
    value: float,
    unit: str,
    baseline: float | None = None,
    baseline_name: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "value": round(value, 3),
        "unit": unit,
        "baseline": None if baseline is None else round(baseline, 3),
        "baseline_name": baseline_name,
    }
    entry.update(extra)
    return entry


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def write_results(
    name: str, metrics: dict[str, dict[str, Any]], smoke: bool | None = None, **context: Any
) -> None:
    """Print the figures; write ``bench/results/<name>.json`` unless this is a smoke run."""
    document = {
        "benchmark": name,
        "date": datetime.now(UTC).date().isoformat(),
        "machine": machine(),
        "metrics": metrics,
    }
    if context:
        document["context"] = context
    for key, entry in metrics.items():
        base = (
            f" (baseline {entry['baseline']} {entry['unit']}: {entry['baseline_name']})"
            if entry.get("baseline") is not None
            else ""
        )
        print(f"{key}: {entry['value']} {entry['unit']}{base}")
    if smoke if smoke is not None else is_smoke():
        print("smoke run: results not written")
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(document, indent=2) + "\n")
    print(f"wrote {path}")


@contextmanager
def scratch_database(url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on the server of ``url``, dropped afterwards.

    Each measurement gets its own: a database left by an earlier run holds an audit chain
    that a fresh data directory's checkpoint log does not confirm (the chainer then refuses,
    rightly), and tables of other revisions.
    """
    from sqlalchemy import create_engine, text

    base = "postgresql+psycopg://" + url.split("://", 1)[1]
    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
