"""Bulk import throughput: our loader against a naive SQLAlchemy ORM loop on the same rows.

    python bench/bulk_import.py [--records N] [--runs R] [--smoke] [--pg-url URL]

Persons (valid CURPs) and IPH incidents (2 persons, 1 vehicle, 1 weapon each) into SQLite,
and persons into PostgreSQL when ``--pg-url`` or ``PLATAFORMA_TEST_DATABASE_URL`` is set. Each
run starts from an empty store. The baseline validates and prepares each row the same way,
then ``session.add``s a mapped object on the same ``records`` table and commits per batch; it
writes only the records table (no versions, keys, outbox or audit), so it does less than we do.
It runs on at most 20,000 rows per run because it is slow; its figure is a rate all the same.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.orm import DeclarativeBase, Session

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import is_smoke, median, metric, write_results

from plataforma.context import Platform
from plataforma.ingest.bulk import BulkLoader
from plataforma.model.values import make_curp
from plataforma.records.service import validate
from plataforma.security.principal import LOCAL_ADMIN
from plataforma.settings import Settings
from plataforma.store.ids import uuid7
from plataforma.store.prepare import prepare
from plataforma.store.tables import records

GIVEN = ["JUAN", "MARIA", "JOSE LUIS", "GUADALUPE", "ANA SOFIA", "CARLOS", "LUCIA", "PEDRO"]
SURNAMES = ["HERNANDEZ", "GARCIA", "MARTINEZ", "LOPEZ", "GONZALEZ", "PEREZ", "RODRIGUEZ", "DIAZ"]
STATES = [("14", "JC"), ("09", "DF"), ("19", "NL"), ("15", "MC"), ("21", "PL")]
BASELINE_CAP = 20_000
BATCH = 5000

Rows = list[tuple[int, dict[str, Any]]]


class Base(DeclarativeBase):
    pass


class RecordRow(Base):
    """The naive baseline's mapped class on the very same table."""

    __table__ = records


def person_rows(count: int, seed: int = 7) -> Rows:
    rng = random.Random(seed)
    rows: Rows = []
    for i in range(count):
        given, first, second = rng.choice(GIVEN), rng.choice(SURNAMES), rng.choice(SURNAMES)
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(20000))
        sex = rng.choice("HM")
        state, curp_state = rng.choice(STATES)
        rows.append(
            (
                i + 2,
                {
                    "source_ref": f"P-{i:08d}",
                    "given_names": given,
                    "first_surname": first,
                    "second_surname": second,
                    "sex": sex,
                    "date_of_birth": born.isoformat(),
                    "curp": make_curp(given, first, second, born, sex, curp_state, i),
                    "birth_state": state,
                    "phones": f"33{rng.randrange(10**8):08d}",
                    "addresses": [{"street": "AV. JUAREZ 10", "state": state}],
                },
            )
        )
    return rows


def incident_rows(count: int, seed: int = 11) -> Rows:
    rng = random.Random(seed)
    rows: Rows = []
    for i in range(count):
        state, _ = rng.choice(STATES)
        people = [
            {
                "given_names": rng.choice(GIVEN),
                "first_surname": rng.choice(SURNAMES),
                "role": role,
                "sex": rng.choice("HM"),
            }
            for role in ("victim", "probable_responsible")
        ]
        rows.append(
            (
                i + 2,
                {
                    "source_ref": f"IPH-{i:08d}",
                    "folio": f"IPH/{state}/{i:08d}",
                    "occurred_at": f"2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 28):02d}"
                    f"T{rng.randrange(24):02d}:30:00",
                    "place": {"state": state, "latitude": 20.6, "longitude": -103.3},
                    "crime_types": rng.choice(
                        ["robo_a_transeunte_en_via_publica", "extorsion", "lesiones_dolosas"]
                    ),
                    "narrative": "Se atendió el reporte y se aseguró a las personas.",
                    "first_responder": {"name": "OFICIAL UNO", "badge": f"B{i % 900}"},
                    "persons": people,
                    "vehicles": [{"plate": f"JKL{i % 10000:04d}", "plate_state": state}],
                    "weapons": [{"serial": f"SN{i:07d}", "make": "Glock", "calibre": "9mm"}],
                },
            )
        )
    return rows


def ours(platform: Platform, record_type: str, rows: Rows) -> float:
    summary = BulkLoader(platform, LOCAL_ADMIN).load(record_type, rows, batch_size=BATCH)
    assert summary.created == len(rows), summary
    return len(rows) / summary.seconds


def naive(platform: Platform, record_type: str, rows: Rows) -> float:
    rows = rows[:BASELINE_CAP]
    started = time.perf_counter()
    with Session(platform.engine) as session:
        for number, (_, payload) in enumerate(rows, start=1):
            item = prepare(validate(record_type, payload), LOCAL_ADMIN.agency)
            now = dt.datetime.now(dt.UTC)
            session.add(
                RecordRow(
                    id=uuid7(),
                    record_type=item.record_type,
                    agency=item.agency,
                    source_ref=item.source_ref,
                    marking=item.marking,
                    restricted_file=item.restricted_file,
                    state=item.state,
                    status=item.status,
                    version=1,
                    entered_by=LOCAL_ADMIN.username,
                    entered_at=now,
                    updated_at=now,
                    valid_until=item.valid_until,
                    purge_after=item.purge_after,
                    content_hash=item.content_hash,
                    flags=item.flags,
                    data=item.data,
                )
            )
            if number % BATCH == 0:
                session.commit()
        session.commit()
    return len(rows) / (time.perf_counter() - started)


def fresh_sqlite() -> tuple[Platform, Callable[[], None]]:
    folder = tempfile.TemporaryDirectory(prefix="bench-bulk-")
    platform = Platform.open(Settings(data_dir=Path(folder.name)))

    def close() -> None:
        platform.close()
        folder.cleanup()

    return platform, close


def fresh_postgres(url: str) -> tuple[Platform, Callable[[], None]]:
    base = "postgresql+psycopg://" + url.split("://", 1)[1]
    name = f"bench_bulk_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    folder = tempfile.TemporaryDirectory(prefix="bench-bulk-")
    database = base.rsplit("/", 1)[0] + "/" + name
    platform = Platform.open(Settings(data_dir=Path(folder.name), database_url=database))

    def close() -> None:
        platform.close()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        folder.cleanup()

    return platform, close


def measure(
    opener: Callable[[], tuple[Platform, Callable[[], None]]],
    record_type: str,
    rows: Rows,
    runs: int,
    label: str,
) -> tuple[float, float]:
    mine: list[float] = []
    theirs: list[float] = []
    for run in range(runs):
        for target, loader in ((mine, ours), (theirs, naive)):
            platform, close = opener()
            try:
                target.append(loader(platform, record_type, rows))
            finally:
                close()
        print(f"{label} run {run + 1}: ours {mine[-1]:,.0f}/s, ORM loop {theirs[-1]:,.0f}/s")
    return median(mine), median(theirs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--pg-url", default=os.environ.get("PLATAFORMA_TEST_DATABASE_URL"))
    args = parser.parse_args()
    smoke = is_smoke() or args.smoke
    persons_n = 400 if smoke else args.records
    incidents_n = 100 if smoke else max(1, args.records // 5)
    runs = 1 if smoke else args.runs
    persons, incidents = person_rows(persons_n), incident_rows(incidents_n)
    orm = "SQLAlchemy ORM loop (session.add per row, commit per batch)"
    metrics: dict[str, dict[str, Any]] = {}
    value, base = measure(fresh_sqlite, "person", persons, runs, "sqlite persons")
    metrics["bulk_import_sqlite_records_per_s"] = metric(value, "records/s", base, orm)
    value, base = measure(fresh_sqlite, "incident", incidents, runs, "sqlite incidents")
    metrics["bulk_import_incident_sqlite_records_per_s"] = metric(value, "records/s", base, orm)
    if args.pg_url:
        pg_url: str = args.pg_url
        value, base = measure(
            lambda: fresh_postgres(pg_url), "person", persons, runs, "postgres persons"
        )
        metrics["bulk_import_postgres_records_per_s"] = metric(value, "records/s", base, orm)
    write_results(
        "bulk_import",
        metrics,
        smoke=smoke,
        persons=persons_n,
        incidents=incidents_n,
        runs=runs,
        baseline_rows_cap=BASELINE_CAP,
        batch_size=BATCH,
    )


if __name__ == "__main__":
    main()
