"""The bulk loader on every backend: what is kept, flagged, rejected, merged and resumed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from conftest import add_agency
from plataforma.context import Platform
from plataforma.ingest import bulk
from plataforma.ingest.batch import Numbered
from plataforma.ingest.bulk import BulkLoader
from plataforma.ingest.files import import_path
from plataforma.ingest.jobs import get_job
from plataforma.model.values import make_curp
from plataforma.security.audit import AuditAction, AuditEvent
from plataforma.security.audit_verify import verify_chain
from plataforma.security.checkpoint import read_checkpoint
from plataforma.security.principal import LOCAL_ADMIN
from plataforma.store import reader
from plataforma.store.tables import audit_log, record_versions, records


def _person(i: int) -> dict[str, Any]:
    born = dt.date(1970, 1, 1) + dt.timedelta(days=i * 37)
    curp = make_curp("ANA", "LOPEZ", "DIAZ", born, "M", "JC", i)
    return {
        "source_ref": f"P{i}",
        "given_names": "ANA",
        "first_surname": "LOPEZ",
        "second_surname": "DIAZ",
        "sex": "M",
        "date_of_birth": born.isoformat(),
        "curp": curp,
    }


def _numbered(rows: list[dict[str, Any]]) -> list[Numbered]:
    return [(i + 2, row) for i, row in enumerate(rows)]


def _count(platform: Platform, table: Any) -> int:
    with platform.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _get(platform: Platform, record_type: str, source_ref: str, agency: str = "PLATAFORMA") -> Any:
    with platform.engine.connect() as conn:
        return reader.get_by_source(conn, agency, record_type, source_ref)


def test_csv_file_keeps_flags_rejects_and_stores_verbatim(
    platform: Platform, tmp_path: Path
) -> None:
    path = tmp_path / "personas.csv"
    injection = "Robert'); DROP TABLE records;--"
    path.write_bytes(
        (
            "source_ref,given_names,first_surname,date_of_birth,curp,addresses\n"
            "P1,José,Núñez,14/02/1990,NUNJ900214HJCXXX01,\n"
            f'P2,"{injection}",<script>alert(1)</script>,1985,,\n'
            "P3,Ana,Ruiz,31/02/1990,,\n"
            "P4,Eva,Paz,,,\n"
            'P5,Luz,Mar,,,"[{""state"": ""Narnia""}]"\n'
            "P6,Sin,Campos,,,,extra\n"
        ).encode("cp1252")
    )
    result = import_path(platform, LOCAL_ADMIN, "person", path, workers=0)
    summary = result.summary
    assert (summary.rows_read, summary.created, summary.rejected) == (6, 3, 3)
    first = _get(platform, "person", "P1")
    assert first.data["given_names"] == "José" and first.data["date_of_birth"] == "1990-02-14"
    assert first.data["curp"] == "NUNJ900214HJCXXX01"
    assert [flag.field for flag in first.flags] == ["curp"]
    second = _get(platform, "person", "P2")
    assert second.data["given_names"] == injection
    assert second.data["first_surname"] == "<script>alert(1)</script>"
    assert result.rejects is not None
    text = result.rejects.read_text(encoding="utf-8")
    assert (
        text.splitlines()[0]
        == "source_ref,given_names,first_surname,date_of_birth,curp,addresses,line,reason"
    )
    assert "P3,Ana,Ruiz,31/02/1990,,,4,date_of_birth:" in text
    assert "addresses.0.state:" in text
    assert ",7,row: 7 fields where the header has 6" in text
    job = get_job(platform.engine, summary.job_id)
    assert job is not None and job["status"] == "done" and job["rejected"] == 3


def test_unknown_state_is_rejected_naming_place_state(platform: Platform, tmp_path: Path) -> None:
    path = tmp_path / "incidentes.csv"
    path.write_text(
        "source_ref,agency,occurred_at,crime_type,state,municipality,latitude,longitude\n"
        "I1,POL-GDL,2024-03-01 22:15,homicidio_doloso,Jalisco,Guadalajara,20.67,-103.35\n"
        "I2,POL-GDL,2024-03-02 10:00,extorsion,Atlantida,,,\n"
    )
    add_agency(platform, "POL-GDL", "municipal", "police", "14")
    result = import_path(platform, LOCAL_ADMIN, "incident", path, workers=0)
    assert (result.summary.created, result.summary.rejected) == (1, 1)
    stored = _get(platform, "incident", "I1", "POL-GDL")
    assert stored.data["folio"] == "I1" and stored.data["place"]["state"] == "14"
    assert stored.data["occurred_at"].endswith("-06:00")  # naive time read in Jalisco's zone
    assert result.rejects is not None
    reject = result.rejects.read_text().splitlines()[1]
    assert reject.startswith("I2,POL-GDL,") and ",3," in reject
    assert "; place.state: unknown state 'Atlantida'" in reject  # several problems, one line


def test_duplicates_in_one_file_rerun_and_versions(platform: Platform) -> None:
    rows = [_person(1), _person(2), {**_person(1), "given_names": "ANA MARIA"}]
    loader = BulkLoader(platform, LOCAL_ADMIN, workers=0)
    first = loader.load("person", _numbered(rows))
    assert (first.created, first.duplicates, first.rows_read) == (2, 1, 3)
    assert _get(platform, "person", "P1").data["given_names"] == "ANA MARIA"
    again = loader.load("person", _numbered(rows))
    assert (again.created, again.updated, again.unchanged, again.duplicates) == (0, 0, 2, 1)
    assert _count(platform, records) == 2
    assert _count(platform, record_versions) == 0  # current versions live in records only
    changed = loader.load("person", _numbered([{**_person(2), "sex": "H"}]))
    assert changed.updated == 1 and _count(platform, record_versions) == 1
    with platform.engine.connect() as conn:
        versions = reader.history(conn, _get(platform, "person", "P2").id)
    assert [(v.version, v.data["sex"]) for v in versions] == [(1, "M"), (2, "H")]


def test_crash_mid_load_then_rerun_resumes_without_doubling(platform: Platform) -> None:
    rows = _numbered([_person(i) for i in range(50)])

    def crashing() -> Iterator[Numbered]:
        for number, (line, row) in enumerate(rows):
            if number == 25:
                raise RuntimeError("power cut")
            yield line, row

    loader = BulkLoader(platform, LOCAL_ADMIN, workers=0)
    with pytest.raises(RuntimeError):
        loader.load("person", crashing(), batch_size=10)
    assert _count(platform, records) == 20  # two batches committed, the open one lost
    rerun = loader.load("person", rows, batch_size=10)
    assert (rerun.rows_read, rerun.created, rerun.unchanged) == (50, 30, 20)
    assert _count(platform, records) == 50 and _count(platform, record_versions) == 0
    with platform.engine.connect() as conn:
        imports = conn.execute(
            select(func.count()).where(
                audit_log.c.action == "import", audit_log.c.record_id.is_not(None)
            )
        ).scalar_one()
    assert imports == 20 + 50


def test_worker_processes_give_the_same_result(platform: Platform) -> None:
    rows = _numbered([_person(i) for i in range(30)] + [{"source_ref": "bad"}])
    summary = BulkLoader(platform, LOCAL_ADMIN, workers=2).load("person", rows, batch_size=7)
    assert (summary.rows_read, summary.created, summary.rejected) == (31, 30, 1)
    assert _count(platform, records) == 30


def test_policy_denial_is_a_reject(platform: Platform, tmp_path: Path) -> None:
    from plataforma.model.envelope import Marking
    from plataforma.security.principal import Principal, Role

    clerk = Principal("clerk", "POL-GDL", frozenset({Role.RECORDS_CLERK}), Marking.SBU)
    rows = _numbered([{**_person(1), "agency": "SSPC"}, _person(2)])
    seen: list[tuple[int, str]] = []

    class Sink:
        def write(self, line: int, row: object, reason: str) -> None:
            seen.append((line, reason))

    summary = BulkLoader(platform, clerk, workers=0).load("person", rows, rejects=Sink())
    assert (summary.created, summary.rejected) == (1, 1)
    assert seen == [(2, "agency: records of agency SSPC are entered by that agency")]


@pytest.mark.parametrize(("witness_seconds", "heads"), [(60.0, [1, 1, 1]), (0.0, [11, 21, 26])])
def test_each_batch_links_its_own_audit_events(
    platform: Platform, monkeypatch: pytest.MonkeyPatch, witness_seconds: float, heads: list[int]
) -> None:
    """No import event stays unchained once its batch commits, with no chainer beside the load.

    The chainer running beside a load fell behind (a window of ~2-10 s at 100k records); each
    batch now links its events in its own transaction. Its head is witnessed once a synced
    commit made the batch durable: every ``WITNESS_SECONDS``, and at the end of the load.
    """
    platform.audit.record(AuditEvent.of(LOCAL_ADMIN, AuditAction.ADMIN))
    platform.audit.chain()  # the chain exists: starting one is the chainer's job alone
    monkeypatch.setattr(platform.audit, "chaining", lambda interval=0.5: nullcontext())
    monkeypatch.setattr(bulk, "WITNESS_SECONDS", witness_seconds)
    seen: list[tuple[int, int | None]] = []

    def after_batch(counts: Any) -> None:
        with platform.engine.connect() as conn:
            unchained = conn.execute(
                select(func.count()).where(audit_log.c.hash.is_(None))
            ).scalar_one()
        head = read_checkpoint(platform.settings.checkpoint_path)
        seen.append((unchained, head[0] if head else None))

    rows = _numbered([_person(i) for i in range(25)])
    BulkLoader(platform, LOCAL_ADMIN, workers=0).load(
        "person", rows, batch_size=10, on_progress=after_batch
    )
    assert seen == [(0, head) for head in heads]  # 1 admin event, then 10, 10 and 5 imports
    assert read_checkpoint(platform.settings.checkpoint_path)[0] == 26  # type: ignore[index]
    with platform.engine.connect() as conn:
        assert verify_chain(conn, platform.settings.checkpoint_path).ok
