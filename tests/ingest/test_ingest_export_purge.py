"""Export streams what import reads back; purge removes expired records and audits each one."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from conftest import add_agency, make_settings
from plataforma.context import Platform
from plataforma.ingest.export import export
from plataforma.ingest.files import import_path
from plataforma.ingest.purge import purge_expired
from plataforma.ingest.readers import FileFormat
from plataforma.records.errors import Forbidden
from plataforma.records.service import RecordService
from plataforma.security.policy import Purpose
from plataforma.security.principal import LOCAL_ADMIN
from plataforma.store import reader
from plataforma.store.tables import audit_log, record_keys, record_versions, records

INCIDENT = {
    "source_ref": "IPH-1",
    "agency": "POL-GDL",
    "folio": "IPH-1",
    "occurred_at": "2024-05-01T21:00:00-06:00",
    "place": {"state": "14", "municipality": "14039", "latitude": 20.6, "longitude": -103.3},
    "crime_types": ["robo_de_vehiculo_automotor", "extorsion"],
    "narrative": 'Dijo "alto"; huyó',
    "persons": [{"given_names": "JUAN", "first_surname": "PEREZ", "role": "victim"}],
    "vehicles": [{"plate": "JKL1234", "plate_state": "14", "make": "Nissan"}],
}
PERSON = {
    "source_ref": "P-1",
    "given_names": "Ana",
    "aliases": ["La Güera", "Anita"],
    "phones": ["3312345678"],
    "description": {"height_cm": 160, "marks": ["cicatriz"]},
    "documents": [{"kind": "passport", "number": "G123", "country": "MX"}],
}


def _stored(platform: Platform, record_type: str) -> list[dict[str, object]]:
    with platform.engine.connect() as conn:
        return [r.data for r in reader.list_records(conn, record_type, limit=100)]


@pytest.mark.parametrize("fmt", [FileFormat.CSV, FileFormat.JSONL])
def test_export_then_import_round_trips(
    platform: Platform, tmp_path: Path, fmt: FileFormat
) -> None:
    add_agency(platform, "POL-GDL", "municipal", "police", "14")
    service = RecordService(platform)
    service.submit(LOCAL_ADMIN, "incident", INCIDENT)
    service.submit(LOCAL_ADMIN, "person", PERSON)
    target = Platform.open(make_settings(tmp_path / "other"))
    try:
        add_agency(target, "POL-GDL", "municipal", "police", "14")
        for record_type in ("incident", "person"):
            path = tmp_path / f"{record_type}.{fmt.value}"
            with path.open("w", encoding="utf-8", newline="") as handle:
                count = export(platform, LOCAL_ADMIN, record_type, handle, fmt, Purpose.ANALYSIS)
            assert count == 1
            result = import_path(target, LOCAL_ADMIN, record_type, path, workers=0)
            assert (result.summary.created, result.rejects) == (1, None)
            assert _stored(target, record_type) == _stored(platform, record_type)
            again = import_path(platform, LOCAL_ADMIN, record_type, path, workers=0)
            assert again.summary.unchanged == 1  # same content hash: no new version
    finally:
        target.close()


def test_csv_export_flattens_nested_and_lists(platform: Platform) -> None:
    RecordService(platform).submit(LOCAL_ADMIN, "person", PERSON)
    buffer = io.StringIO()
    export(platform, LOCAL_ADMIN, "person", buffer, FileFormat.CSV, Purpose.ANALYSIS)
    header, row = buffer.getvalue().splitlines()
    columns = dict(zip(header.split(","), row.split(","), strict=False))
    assert columns["aliases"] == "La Güera;Anita"
    assert "description.height_cm" in columns and "description.marks" in columns


def test_export_needs_an_exporting_role_and_is_audited(platform: Platform) -> None:
    from plataforma.model.envelope import Marking
    from plataforma.security.principal import Principal, Role

    clerk = Principal("clerk", "POL-GDL", frozenset({Role.RECORDS_CLERK}), Marking.SBU)
    with pytest.raises(Forbidden):
        export(platform, clerk, "person", io.StringIO(), FileFormat.CSV, Purpose.ANALYSIS)
    export(platform, LOCAL_ADMIN, "person", io.StringIO(), FileFormat.JSONL, Purpose.ANALYSIS)
    with platform.engine.connect() as conn:
        outcomes = conn.execute(
            select(audit_log.c.outcome).where(audit_log.c.action == "export")
        ).scalars()
        assert sorted(outcomes) == ["denied", "ok"]


def test_purge_removes_expired_records_and_audits_each(platform: Platform) -> None:
    add_agency(platform, "POL-GDL", "municipal", "police", "14")
    service = RecordService(platform)
    service.submit(LOCAL_ADMIN, "person", {**PERSON, "purge_after": "2020-01-01"})
    service.submit(LOCAL_ADMIN, "person", {**PERSON, "purge_after": "2020-01-02"})  # version 2
    kept = service.submit(LOCAL_ADMIN, "person", {**PERSON, "source_ref": "P-2"})
    service.submit(LOCAL_ADMIN, "person", {**PERSON, "source_ref": "P-2", "given_names": "Eva"})
    expired = service.submit(LOCAL_ADMIN, "incident", {**INCIDENT, "purge_after": "2021-06-30"})
    dry = purge_expired(platform, LOCAL_ADMIN, dry_run=True)
    assert dict(dry.by_type) == {"person": 1, "incident": 1}
    assert len(_stored(platform, "person")) == 2
    done = purge_expired(platform, LOCAL_ADMIN)
    assert done.total == 2
    with platform.engine.connect() as conn:
        assert [r.id for r in reader.list_records(conn, "person")] == [kept.id]
        left = select(func.count()).where(record_versions.c.record_id == kept.id)
        assert conn.execute(left).scalar_one() == 1
        keys = select(func.count()).where(record_keys.c.record_id == expired.id)
        assert conn.execute(keys).scalar_one() == 0
        audited = conn.execute(
            select(audit_log.c.record_id, audit_log.c.record_type, audit_log.c.detail).where(
                audit_log.c.action == "purge"
            )
        ).all()
    assert {(r.record_id, r.record_type) for r in audited} >= {(expired.id, "incident")}
    assert all(r.detail["record_agency"] for r in audited) and len(audited) == 2
    assert purge_expired(platform, LOCAL_ADMIN, before=date(2000, 1, 1)).total == 0
    with platform.engine.connect() as conn:
        # what is left: the kept person and POL-GDL's directory entry
        assert conn.execute(select(func.count()).select_from(records)).scalar_one() == 2
