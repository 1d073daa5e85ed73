"""Issue 6 finding 1 below the API: the merged writes and the bulk importer refuse to replace
records their writer may not read, inside the write's transaction, and only those."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from conftest import add_agency
from plataforma.context import Platform
from plataforma.ingest.batch import Numbered
from plataforma.ingest.bulk import NOT_WRITABLE, BulkLoader
from plataforma.model.envelope import Marking
from plataforma.records.service import RecordService, overwrite_guard, validate
from plataforma.security.audit import AuditEvent, append
from plataforma.security.principal import LOCAL_ADMIN, Principal, Role
from plataforma.store import reader
from plataforma.store.batcher import WriteBatcher, _Write
from plataforma.store.prepare import prepare
from plataforma.store.tables import audit_log
from plataforma.store.writer import ReplaceRefused, WriteResult, write_records

OFFICER = Principal("officer", "POL-GDL", frozenset({Role.OFFICER}), Marking.SBU, "municipal", "14")


@pytest.fixture(autouse=True)
def _owners(platform: Platform) -> None:
    """The owning agencies are registered: the records service refuses unknown owners."""
    for code in ("POL-GDL",):
        add_agency(platform, code)


def person(ref: str, surname: str = "Sintético", **extra: Any) -> dict[str, Any]:
    return {
        "source_ref": ref,
        "agency": "POL-GDL",
        "given_names": "Luis",
        "first_surname": surname,
        **extra,
    }


def no_events(_: list[WriteResult]) -> list[AuditEvent]:
    return []


def _stored(platform: Platform, ref: str, **extra: Any) -> WriteResult:
    return RecordService(platform).submit(LOCAL_ADMIN, "person", person(ref, **extra))


def test_write_records_refuses_inside_the_transaction(platform: Platform) -> None:
    hidden = _stored(platform, "S-1", marking="SECRET")
    items = [prepare(validate("person", person(r)), "POL-GDL") for r in ("NEW-1", "S-1")]
    with pytest.raises(ReplaceRefused) as refused, platform.engine.begin() as conn:
        write_records(conn, items, "officer", may_replace=overwrite_guard(OFFICER))
    assert [f.id for f in refused.value.refused] == [hidden.id]
    assert refused.value.refused[0].marking == "SECRET"
    with platform.engine.connect() as conn:  # rolled back: the new record is not there either
        assert reader.get_by_source(conn, "POL-GDL", "person", "NEW-1") is None
        assert [v.version for v in reader.history(conn, hidden.id)] == [1]


def test_a_refused_write_in_a_merged_round_fails_alone(platform: Platform) -> None:
    hidden = _stored(platform, "J-1", restricted_file="juvenile")
    guard = overwrite_guard(OFFICER)
    good = _Write(
        [prepare(validate("person", person("OK-1")), "POL-GDL")], "officer", no_events, guard
    )
    bad = _Write(
        [prepare(validate("person", person("J-1", "Otro")), "POL-GDL")],
        "officer",
        no_events,
        guard,
    )
    batcher = WriteBatcher(platform.engine, append)
    batcher._queue.extend([good, bad])
    with batcher._commit_lock:
        batcher._lead()
    assert good.error is None and good.results and good.results[0].version == 1
    assert isinstance(bad.error, ReplaceRefused)
    with platform.engine.connect() as conn:
        assert [v.data["first_surname"] for v in reader.history(conn, hidden.id)] == ["Sintético"]


def test_the_service_through_the_batcher_refuses_with_the_uniform_answer(
    platform: Platform,
) -> None:
    from plataforma.records.errors import Forbidden
    from plataforma.security.policy import WRITE_REFUSED

    platform.batcher = platform.batcher or WriteBatcher(platform.engine, append)
    _stored(platform, "S-2", marking="CONFIDENTIAL")
    service = RecordService(platform)
    with pytest.raises(Forbidden) as refused:
        service.submit(OFFICER, "person", person("S-2"))
    assert str(refused.value) == WRITE_REFUSED
    assert service.submit(OFFICER, "person", person("S-3")).version == 1


def test_the_importer_rejects_rows_that_would_replace_hidden_records(
    platform: Platform,
) -> None:
    secret = _stored(platform, "S-1", marking="SECRET")
    juvenile = _stored(platform, "J-1", restricted_file="juvenile")
    visible = _stored(platform, "V-1")
    rows: list[Numbered] = [
        (2, person("NEW-1")),
        (3, person("S-1", "Reemplazo")),
        (4, person("V-1", "Corregido")),
        (5, person("J-1", "Reemplazo")),
        (6, person("NEW-2")),
    ]
    seen: list[tuple[int, str]] = []

    class Sink:
        def write(self, line: int, row: object, reason: str) -> None:
            seen.append((line, reason))

    summary = BulkLoader(platform, OFFICER, workers=0).load(
        "person", rows, rejects=Sink(), batch_size=10
    )
    assert (summary.created, summary.updated, summary.rejected) == (2, 1, 2)
    assert summary.rows_read == 5
    assert sorted(seen) == [(3, NOT_WRITABLE), (5, NOT_WRITABLE)]
    with platform.engine.connect() as conn:
        for record in (secret, juvenile):
            assert [v.version for v in reader.history(conn, record.id)] == [1]
        assert [v.version for v in reader.history(conn, visible.id)] == [1, 2]
        platform.audit.flush()
        denied = conn.execute(
            select(audit_log.c.record_id, audit_log.c.detail).where(
                audit_log.c.action == "import", audit_log.c.outcome == "denied"
            )
        ).all()
    reasons = {row.record_id: row.detail["reason"] for row in denied}
    assert "above your clearance" in reasons[secret.id]
    assert "restricted file" in reasons[juvenile.id]
