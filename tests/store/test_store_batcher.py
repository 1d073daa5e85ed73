"""Merged writes: shared commits, both versions of a record written twice, failures alone."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from plataforma.context import Platform
from plataforma.model.values import make_curp
from plataforma.records.service import RecordService, validate
from plataforma.security.audit import AuditAction, AuditEvent, append
from plataforma.security.principal import LOCAL_ADMIN
from plataforma.store import reader
from plataforma.store.batcher import WriteBatcher, _rounds, _Write
from plataforma.store.prepare import prepare
from plataforma.store.tables import audit_log, records
from plataforma.store.writer import WriteResult


def person(ref: str, surname: str = "Ruiz") -> dict[str, object]:
    curp = make_curp("Luis", surname, "Soto", date(1980, 1, 2), "H", "JC")
    return {"source_ref": ref, "given_names": "Luis", "first_surname": surname, "curp": curp}


def no_events(_: list[WriteResult]) -> list[AuditEvent]:
    return []


def test_concurrent_writes_share_commits_and_all_land(platform: Platform) -> None:
    batcher = platform.batcher or WriteBatcher(platform.engine, append)
    platform.batcher = batcher  # PostgreSQL does not batch by default; the batcher works there too
    service = RecordService(platform)
    results: dict[int, WriteResult] = {}

    def submit(i: int) -> None:
        results[i] = service.submit(LOCAL_ADMIN, "person", person(f"P-{i}"))

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(60)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({r.id for r in results.values()}) == 60
    assert batcher.writes == 60 and batcher.commits < 60
    with platform.engine.connect() as conn:
        writes = conn.execute(
            select(func.count()).select_from(audit_log).where(audit_log.c.action == "write")
        ).scalar_one()
    assert writes == 60


def test_two_writes_of_one_record_in_a_batch_keep_both_versions(platform: Platform) -> None:
    first = _Write([prepare(validate("person", person("P-1")), "SSPC")], "a", no_events)
    second = _Write([prepare(validate("person", person("P-1", "Rojas")), "SSPC")], "b", no_events)
    other = _Write([prepare(validate("person", person("P-2")), "SSPC")], "a", no_events)
    rounds = _rounds([first, second, other])
    assert rounds == [[first, other], [second]]
    batcher = WriteBatcher(platform.engine, append)
    batcher._queue.extend([first, second, other])
    with batcher._commit_lock:
        batcher._lead()
    assert first.results and second.results and first.results[0].id == second.results[0].id
    with platform.engine.connect() as conn:
        history = reader.history(conn, first.results[0].id)
    assert [v.data["first_surname"] for v in history] == ["Ruiz", "Rojas"]
    assert [v.entered_by for v in history] == ["a", "b"]


def test_a_failing_write_fails_alone(platform: Platform) -> None:
    good = _Write([prepare(validate("person", person("P-1")), "SSPC")], "a", no_events)

    def broken(_: list[WriteResult]) -> list[AuditEvent]:
        raise ValueError("audit events could not be built")

    bad = _Write([prepare(validate("person", person("P-2")), "SSPC")], "a", broken)
    batcher = WriteBatcher(platform.engine, append)
    batcher._queue.extend([good, bad])
    with batcher._commit_lock:
        batcher._lead()
    assert good.error is None and good.results
    assert isinstance(bad.error, ValueError) and bad.results is None
    with platform.engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(records)).scalar_one()
    assert stored == 1


def test_error_reaches_its_caller(platform: Platform) -> None:
    batcher = WriteBatcher(platform.engine, append)
    item = prepare(validate("person", person("P-9")), "SSPC")

    def broken(_: list[WriteResult]) -> list[AuditEvent]:
        raise ValueError("nope")

    with pytest.raises(ValueError, match="nope"):
        batcher.write([item], "a", broken)
    event = AuditEvent("a", "SSPC", AuditAction.WRITE)
    assert batcher.write([item], "a", lambda _: [event])[0].version == 1
