"""Synthetic data generation: a million records of every type, written as files.

Ours: ``plataforma.synth`` — numpy sampling over Faker's es_MX word lists loaded once, and
identities hashed from ids — writing the full dataset (records, ground truth and side files)
with ``DatasetWriter``. Baseline, in the same run: the generator a team writes first, one
Faker call per field (names, dates, addresses, plates, coordinates), measured on a small
sample written as JSON Lines and extrapolated per record to the same count.

    python bench/synth.py [--records 1000000] [--smoke]
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import is_smoke, metric, write_results
from faker import Faker

from plataforma.model.codes import all_crime_types, all_municipalities
from plataforma.model.values import make_curp
from plataforma.synth import RECORDS_PER_INCIDENT, DatasetWriter, generate

BASELINE_SAMPLE = 10_000


def ours(records: int, out: Path) -> tuple[float, int]:
    """Seconds to generate about ``records`` records as files, and how many were written."""
    scale = max(1, math.ceil(records / RECORDS_PER_INCIDENT))
    started = time.perf_counter()
    with DatasetWriter(out) as writer:
        for record_type, rows in generate(scale, 7):
            writer.write(record_type, rows)
    return time.perf_counter() - started, sum(writer.counts.values())


def _faker_person(fake: Faker) -> dict[str, Any]:
    sex = fake.random_element(["H", "M"])
    given = fake.first_name_male() if sex == "H" else fake.first_name_female()
    first, second = fake.last_name(), fake.last_name()
    born = fake.date_of_birth(minimum_age=16, maximum_age=70)
    return {
        "given_names": given,
        "first_surname": first,
        "second_surname": second,
        "sex": sex,
        "date_of_birth": born.isoformat(),
        "curp": make_curp(given, first, second, born, sex, "DF", fake.random_int(0, 9)),
    }


def _faker_record(fake: Faker, crimes: list[str], towns: list[Any]) -> dict[str, Any]:
    """An incident-like row with persons and a vehicle, one Faker call per field."""
    town = fake.random_element(towns)
    return {
        "source_ref": fake.bothify("IPH-########"),
        "occurred_at": fake.date_time_between("-2y", "now").isoformat(),
        "place": {
            "state": town.state,
            "municipality": town.code,
            "street": fake.street_address(),
            "latitude": float(fake.coordinate(town.lat, 0.05)),
            "longitude": float(fake.coordinate(town.lon, 0.05)),
        },
        "crime_types": [fake.random_element(crimes)],
        "persons": [_faker_person(fake) for _ in range(fake.random_int(1, 2))],
        "vehicles": [{"plate": fake.license_plate(), "colour": fake.color_name()}],
    }


def baseline(records: int, out: Path) -> float:
    """Faker-per-field generation of ``BASELINE_SAMPLE`` rows, extrapolated to ``records``."""
    fake = Faker("es_MX")
    fake.seed_instance(7)
    crimes = [c.code for c in all_crime_types()]
    towns = [m for m in all_municipalities() if m.lat is not None]
    started = time.perf_counter()
    with (out / "baseline.jsonl").open("w", encoding="utf-8") as handle:
        for _ in range(BASELINE_SAMPLE):
            row = _faker_record(fake, crimes, towns)
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return (time.perf_counter() - started) / BASELINE_SAMPLE * records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    records = 20_000 if is_smoke() and args.records == 1_000_000 else args.records
    with tempfile.TemporaryDirectory() as tmp:
        elapsed, written = ours(records, Path(tmp) / "ours")
        base = baseline(written, Path(tmp))
    per_million = elapsed * 1_000_000 / written
    write_results(
        "synth",
        {
            "synth_1m_records_s": metric(
                per_million,
                "s",
                base * 1_000_000 / written,
                f"one Faker call per field, {BASELINE_SAMPLE} rows timed and extrapolated",
            ),
            "synth_records_per_s": metric(written / elapsed, "records/s"),
        },
        records_written=written,
        seconds_measured=round(elapsed, 2),
    )


if __name__ == "__main__":
    main()
