"""One row layout: the API path and the bulk path store a record identically."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, NamedTuple

import pytest
from sqlalchemy import select

from plataforma.context import Platform
from plataforma.model.values import make_curp
from plataforma.records.service import validate
from plataforma.store import rows
from plataforma.store.bulk import bulk_write, encode
from plataforma.store.engine import begin_write
from plataforma.store.prepare import prepare
from plataforma.store.tables import outbox, record_keys, records
from plataforma.store.writer import write_records

NOW = datetime(2026, 2, 3, 4, 5, 6, tzinfo=UTC)


def _person(ref: str) -> dict[str, Any]:
    born = date(1979, 8, 9)
    return {
        "source_ref": ref,
        "given_names": "LUZ",
        "first_surname": "ORTIZ",
        "sex": "M",
        "date_of_birth": born.isoformat(),
        "curp": make_curp("LUZ", "ORTIZ", "", born, "M", "JC", 5),
        "aliases": ["La Flaca"],
        "purge_after": "2040-01-01",
        "valid_until": "2030-01-01",
    }


def _rows(platform: Platform, table: Any, record_id: str, column: Any) -> list[dict[str, Any]]:
    with platform.engine.connect() as conn:
        found = conn.execute(select(table).where(column == record_id)).mappings().all()
    ignore = {"id", "record_id", "source_ref", "subject", "created_at"}
    return [{k: v for k, v in row.items() if k not in ignore} for row in found]


def test_api_and_bulk_paths_store_the_same_rows(platform: Platform) -> None:
    body = validate("person", _person("ROW-1"))
    item = prepare(body, "POL-GDL")
    twin = prepare(validate("person", _person("ROW-2")), "POL-GDL")
    with begin_write(platform.engine) as conn:
        (api,) = write_records(conn, [item], "clerk", NOW)
        (bulk,) = bulk_write(conn, [encode(twin)], "clerk", NOW)
    for table, column in (
        (records, records.c.id),
        (record_keys, record_keys.c.record_id),
        (outbox, outbox.c.record_id),
    ):
        a = _rows(platform, table, api.id, column)
        b = _rows(platform, table, bulk.id, column)
        assert a and a == b, table.name


def test_a_builder_that_misses_a_column_is_refused() -> None:
    class Short(NamedTuple):
        kind: str
        value: str

    with pytest.raises(RuntimeError, match="record_keys"):
        rows._check(record_keys, Short)
