"""Canonical forms: new rows are hashed under version 2, old version-1 chains still verify."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace

from sqlalchemy import select, update

from plataforma.context import Platform
from plataforma.security.audit import AuditAction, AuditEvent
from plataforma.security.audit_forms import hash_v1, hash_v2, row_hash
from plataforma.security.audit_verify import verify_chain
from plataforma.store.tables import audit_head, audit_log


def _row(at: datetime) -> SimpleNamespace:
    return SimpleNamespace(
        id=7,
        at=at,
        actor="officer",
        agency="POL-GDL",
        action="read",
        outcome="ok",
        record_type="person",
        record_id="r1",
        purpose="investigation",
        source_ip="10.0.0.1",
        detail={"b": 1, "a": ["x", "ñ"]},
    )


def test_version_2_does_not_depend_on_the_session_time_zone() -> None:
    utc = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
    mexico = utc.astimezone(timezone(timedelta(hours=-6)))
    assert hash_v2("0" * 64, 1, _row(utc)) == hash_v2("0" * 64, 1, _row(mexico))
    assert hash_v1("0" * 64, 1, _row(utc)) != hash_v1("0" * 64, 1, _row(mexico))


def test_the_forms_differ_and_name_their_version() -> None:
    row = _row(datetime(2026, 12, 1, tzinfo=UTC))
    assert row_hash("0" * 64, 1, row, None) == hash_v1("0" * 64, 1, row)
    assert row_hash("0" * 64, 1, row, 2) == hash_v2("0" * 64, 1, row)
    assert hash_v1("0" * 64, 1, row) != hash_v2("0" * 64, 1, row)


def _rehash_as_version_1(platform: Platform) -> None:
    """Make the chain what a release before version 2 wrote: NULL version, stdlib form."""
    with platform.engine.begin() as conn:
        prev = "0" * 64
        rows = conn.execute(select(audit_log).order_by(audit_log.c.chain_seq)).all()
        for row in rows:
            digest = hash_v1(prev, row.chain_seq, row)
            conn.execute(
                update(audit_log)
                .where(audit_log.c.id == row.id)
                .values(hash=digest, prev_hash=prev, chain_version=None)
            )
            prev = digest
        conn.execute(update(audit_head).values(hash=prev))
    path = platform.settings.checkpoint_path
    path.write_text(f'{{"chain_seq": {rows[-1].chain_seq}, "hash": "{prev}", "at": "old"}}')


def test_a_version_1_chain_continues_under_version_2_and_verifies(platform: Platform) -> None:
    platform.audit.record_many([AuditEvent(f"u{i}", "SSPC", AuditAction.QUERY) for i in range(5)])
    platform.audit.chain()
    _rehash_as_version_1(platform)
    platform.audit.record_many([AuditEvent(f"v{i}", "SSPC", AuditAction.QUERY) for i in range(3)])
    assert platform.audit.chain() == 3
    with platform.engine.connect() as conn:
        versions = [
            v for v in conn.execute(select(audit_log.c.chain_version).order_by("chain_seq"))
        ]
        assert [v[0] for v in versions] == [None] * 5 + [2] * 3
        assert verify_chain(conn, platform.settings.checkpoint_path).problems == []


def test_relabelling_a_row_s_form_is_detected(platform: Platform) -> None:
    platform.audit.record_many([AuditEvent(f"u{i}", "SSPC", AuditAction.QUERY) for i in range(3)])
    platform.audit.chain()
    with platform.engine.begin() as conn:
        conn.execute(update(audit_log).where(audit_log.c.chain_seq == 2).values(chain_version=1))
    with platform.engine.connect() as conn:
        problems = verify_chain(conn, platform.settings.checkpoint_path).problems
    assert any("row 2" in p and "altered" in p for p in problems)


def test_a_bulk_import_is_chained_as_it_loads_and_verifies(platform: Platform) -> None:
    from conftest import add_agency
    from plataforma.ingest.bulk import BulkLoader
    from plataforma.security.principal import LOCAL_ADMIN

    add_agency(platform, "POL-GDL", "municipal", "police", "14")
    rows = [
        (
            n + 2,
            {
                "source_ref": f"BULK-{n}",
                "given_names": "Sintético",
                "first_surname": "Prueba",
                "date_of_birth": "1980-01-01",
            },
        )
        for n in range(30)
    ]
    summary = BulkLoader(platform, LOCAL_ADMIN, workers=0).load(
        "person", rows, default_agency="POL-GDL", batch_size=10
    )
    assert summary.created == 30
    with platform.engine.connect() as conn:
        unchained = conn.execute(
            select(audit_log.c.action, audit_log.c.record_id).where(audit_log.c.hash.is_(None))
        ).all()
    # The loader's chainer linked every record's event; only the job's summary, recorded
    # once the load is over, waits for the next run.
    assert [tuple(row) for row in unchained] == [("import", None)]
    platform.audit.chain()
    with platform.engine.connect() as conn:
        report = verify_chain(conn, platform.settings.checkpoint_path)
    assert report.problems == [] and report.checked >= 31
