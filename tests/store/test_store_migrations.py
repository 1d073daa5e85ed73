"""The migrations: the head matches ``tables.py``, and 0003 moves existing stores safely.

Revision 0003 stops storing the current version twice (records and record_versions). An
existing store must come out with the same history it went in with, and a store whose two
copies disagree must not lose either.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, func, insert, select, text, update

from conftest import PG_URL, _pg_url
from plataforma.context import Platform
from plataforma.model.values import make_curp
from plataforma.records.service import validate
from plataforma.store import reader
from plataforma.store.engine import alembic_config, begin_write, make_engine
from plataforma.store.prepare import prepare
from plataforma.store.tables import metadata, record_keys, record_versions, records
from plataforma.store.writer import WriteOutcome, write_records

T0 = datetime(2025, 1, 1, 9, 0, tzinfo=UTC)
T1 = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)


def test_the_head_revision_is_the_schema_tables_py_declares(platform: Platform) -> None:
    """Alembic's own comparison, on a store migrated from nothing (the fixture's)."""
    with platform.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []


@pytest.fixture(params=["sqlite", "postgres"])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on a database with no tables at all."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        yield engine
        engine.dispose()
        return
    if not PG_URL:
        pytest.skip("PostgreSQL not configured: set PLATAFORMA_TEST_DATABASE_URL to run this")
    name = f"plataforma_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(_pg_url(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(_pg_url(PG_URL).rsplit("/", 1)[0] + f"/{name}")
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _record(record_id: str, version: int, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": record_id,
        "record_type": "person",
        "agency": "POL-GDL",
        "source_ref": record_id,
        "marking": "SBU",
        "restricted_file": None,
        "state": "14",
        "status": "active",
        "version": version,
        "entered_by": "clerk",
        "entered_at": T0,
        "updated_at": T1 if version > 1 else T0,
        "valid_until": None,
        "purge_after": date(2035, 1, 1),
        "content_hash": f"h{version}-{record_id}",
        "flags": [],
        "data": data,
    }


def _version(
    record_id: str, version: int, by: str, at: datetime, data: dict[str, Any], marking: str
) -> dict[str, Any]:
    return {
        "record_id": record_id,
        "version": version,
        "marking": marking,
        "status": "active",
        "entered_by": by,
        "entered_at": at,
        "content_hash": f"h{version}-{record_id}",
        "data": data,
        "restricted_file": None,
    }


def _store_at_0002(engine: Engine) -> None:
    """Two records as revision 0002 stored them: every version, the current one included."""
    command.upgrade(alembic_config(engine), "0002")
    once, twice = {"given_names": "ANA"}, {"given_names": "EVA"}
    with engine.begin() as conn:
        conn.execute(insert(records), [_record("A", 1, once), _record("B", 2, twice)])
        conn.execute(
            insert(record_versions),
            [
                _version("A", 1, "clerk", T0, once, "SBU"),
                _version("B", 1, "clerk", T0, once, "CONFIDENTIAL"),
                _version("B", 2, "officer", T1, twice, "SBU"),
            ],
        )


def _versions(engine: Engine) -> list[tuple[str, int]]:
    query = select(record_versions.c.record_id, record_versions.c.version).order_by(
        record_versions.c.record_id, record_versions.c.version
    )
    with engine.connect() as conn:
        return [(row[0], row[1]) for row in conn.execute(query)]


def test_0003_keeps_only_superseded_versions_and_the_same_history(empty_engine: Engine) -> None:
    _store_at_0002(empty_engine)
    command.upgrade(alembic_config(empty_engine), "head")
    assert _versions(empty_engine) == [("B", 1)]
    with empty_engine.connect() as conn:
        history = reader.history(conn, "B")
        author = conn.execute(select(records.c.updated_by).where(records.c.id == "B"))
        assert author.scalar_one() == "officer"
    assert [(v.version, v.entered_by, v.marking, v.data) for v in history] == [
        (1, "clerk", "CONFIDENTIAL", {"given_names": "ANA"}),
        (2, "officer", "SBU", {"given_names": "EVA"}),
    ]
    assert history[1].entered_at == T1
    command.downgrade(alembic_config(empty_engine), "0002")
    assert _versions(empty_engine) == [("A", 1), ("B", 1), ("B", 2)]


def test_0003_refuses_a_store_whose_two_copies_disagree(empty_engine: Engine) -> None:
    _store_at_0002(empty_engine)
    with empty_engine.begin() as conn:
        conn.execute(
            update(record_versions)
            .where(record_versions.c.record_id == "A")
            .values(data={"given_names": "ALTERED"})
        )
    with pytest.raises(RuntimeError, match="disagrees"):
        command.upgrade(alembic_config(empty_engine), "head")
    with empty_engine.connect() as conn:
        kept = conn.execute(select(func.count()).select_from(record_versions)).scalar_one()
    assert kept == 3


def test_after_0003_an_unchanged_resubmission_is_still_unchanged(empty_engine: Engine) -> None:
    """0003 rehashes records in the form that covers purge_after: no spurious versions."""
    command.upgrade(alembic_config(empty_engine), "0002")
    born = date(1988, 3, 4)
    payload = {
        "source_ref": "OLD-1",
        "given_names": "ROSA",
        "first_surname": "VEGA",
        "sex": "M",
        "date_of_birth": born.isoformat(),
        "curp": make_curp("ROSA", "VEGA", "", born, "M", "JC", 2),
        "purge_after": "2044-04-04",
    }
    item = prepare(validate("person", payload), "POL-GDL")
    row = {
        **_record("OLD-1", 1, item.data),
        "flags": item.flags,
        "state": item.state,
        "purge_after": item.purge_after,
        "content_hash": "old",
    }
    with empty_engine.begin() as conn:
        conn.execute(insert(records), [row])
        conn.execute(
            insert(record_versions),
            [
                {
                    **_version("OLD-1", 1, "clerk", T0, item.data, "SBU"),
                    "content_hash": row["content_hash"],
                }
            ],
        )
        conn.execute(
            insert(record_keys),
            [
                {"kind": kind, "value": value, "record_id": "OLD-1", "record_type": "person"}
                for kind, value in item.keys
            ],
        )
    command.upgrade(alembic_config(empty_engine), "head")
    with begin_write(empty_engine) as conn:
        (again,) = write_records(conn, [prepare(validate("person", payload), "POL-GDL")], "clerk")
    assert (again.outcome, again.version) == (WriteOutcome.UNCHANGED, 1)
