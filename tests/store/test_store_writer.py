"""The write path on every backend: idempotent upserts, versions, keys, outbox, conflicts."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from plataforma.context import Platform
from plataforma.model.values import make_curp
from plataforma.records.service import validate
from plataforma.store import reader
from plataforma.store.prepare import prepare
from plataforma.store.tables import outbox, record_keys, record_versions
from plataforma.store.writer import VersionConflict, WriteOutcome, update_record, write_records

CURP = make_curp("ANA MARIA", "GARCIA", "LOPEZ", date(1990, 5, 17), "M", "JC")


def person(ref: str = "P-1", **extra: object) -> dict[str, object]:
    row: dict[str, object] = {
        "source_ref": ref,
        "given_names": "Ana María",
        "first_surname": "García",
        "second_surname": "López",
        "date_of_birth": "17/05/1990",
        "curp": CURP,
        "sex": "M",
    }
    row.update(extra)
    return row


def write(platform: Platform, *rows: dict[str, object], agency: str = "SSPC") -> list:
    items = [prepare(validate("person", row), agency) for row in rows]
    with platform.engine.begin() as conn:
        return write_records(conn, items, "tester")


def count(platform: Platform, table: object) -> int:
    with platform.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()  # type: ignore[arg-type]


def test_create_then_resubmit_is_idempotent(platform: Platform) -> None:
    first = write(platform, person())[0]
    again = write(platform, person())[0]
    assert first.outcome is WriteOutcome.CREATED
    assert again.outcome is WriteOutcome.UNCHANGED
    assert again.id == first.id and again.version == 1
    # The current version is the records row; record_versions keeps superseded ones only.
    assert count(platform, record_versions) == 0
    with platform.engine.connect() as conn:
        assert [v.version for v in reader.history(conn, first.id)] == [1]
    assert count(platform, outbox) == 1


def test_change_appends_a_version_and_keeps_history(platform: Platform) -> None:
    first = write(platform, person())[0]
    second = write(platform, person(second_surname="Lopes"))[0]
    assert second.outcome is WriteOutcome.UPDATED and second.version == 2
    with platform.engine.connect() as conn:
        versions = reader.history(conn, first.id)
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].data["second_surname"] == "López"
    assert versions[1].data["second_surname"] == "Lopes"
    assert count(platform, record_versions) == 1  # version 1; version 2 is the records row


def test_same_source_ref_in_other_agency_is_another_record(platform: Platform) -> None:
    a = write(platform, person(), agency="SSPC")[0]
    b = write(platform, person(), agency="FGE-JAL")[0]
    assert a.id != b.id


def test_duplicates_within_a_batch_are_written_once(platform: Platform) -> None:
    results = write(platform, person(), person(second_surname="Otro"))
    assert results[0].id == results[1].id
    with platform.engine.connect() as conn:
        versions = reader.history(conn, results[0].id)
    assert [v.data.get("second_surname") for v in versions] == ["Otro"]


def test_keys_index_valid_identifiers_only(platform: Platform) -> None:
    good = write(platform, person())[0]
    write(platform, person("P-2", curp="GALA900517MJCRPN0X"))
    with platform.engine.connect() as conn:
        found = reader.find_by_key(conn, "curp", CURP)
        bad = reader.get_by_source(conn, "SSPC", "person", "P-2")
        by_name = reader.find_by_key(conn, "name", "ANA MARIA|GARCIA|LOPEZ|1990-05-17")
        by_surname = reader.find_by_key(conn, "name", "ANA MARIA|GARCIA|", prefix=True)
        by_year = reader.find_by_key(conn, "name", "ANA MARIA|GARCIA|LOPEZ|1990", prefix=True)
        other_year = reader.find_by_key(conn, "name", "ANA MARIA|GARCIA|LOPEZ|1991", prefix=True)
    assert len(by_surname) == 2 and len(by_year) == 2 and other_year == []
    assert [r.id for r in found] == [good.id]
    assert bad is not None and bad.flags and bad.flags[0].field == "curp"
    assert bad.data["curp"] == "GALA900517MJCRPN0X"
    assert len(by_name) == 2


def test_update_keys_replaced(platform: Platform) -> None:
    write(platform, person())
    write(platform, person(curp=None))
    with platform.engine.connect() as conn:
        assert reader.find_by_key(conn, "curp", CURP) == []
        kinds = {row.kind for row in conn.execute(select(record_keys.c.kind))}
    assert "curp" not in kinds


def test_if_match_conflict(platform: Platform) -> None:
    created = write(platform, person())[0]
    item = prepare(validate("person", person(second_surname="Nuevo")), "SSPC")
    with platform.engine.begin() as conn:
        assert update_record(conn, created.id, item, 1, "tester").version == 2
    stale = prepare(validate("person", person(second_surname="Viejo")), "SSPC")
    with pytest.raises(VersionConflict), platform.engine.begin() as conn:
        update_record(conn, created.id, stale, 1, "tester")


def test_listing_pages_in_creation_order(platform: Platform) -> None:
    write(platform, *(person(f"P-{i:03d}") for i in range(25)))
    seen: list[str] = []
    after = None
    with platform.engine.connect() as conn:
        while True:
            page = reader.list_records(conn, "person", after=after, limit=10)
            if not page:
                break
            seen.extend(r.source_ref for r in page)
            after = page[-1].id
    assert seen == [f"P-{i:03d}" for i in range(25)]
