"""The dialect seam, one suite run against every engine it has a class for."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from plataforma.context import Platform
from plataforma.store.dialect import PostgreSQLDialect, SQLiteDialect, dialect_for
from plataforma.store.engine import begin_write
from plataforma.store.rows import driver_rows
from plataforma.store.tables import audit_log

AT = datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=UTC)


def _event(actor: str) -> dict[str, object]:
    return {
        "at": AT,
        "actor": actor,
        "agency": "POL-GDL",
        "action": "read",
        "outcome": "ok",
        "record_type": None,
        "record_id": None,
        "purpose": None,
        "source_ip": None,
        "detail": {"nested": ["ñ", 1]},
    }


def _stored(platform: Platform) -> list[tuple[str, datetime, object]]:
    query = select(audit_log.c.actor, audit_log.c.at, audit_log.c.detail).order_by(audit_log.c.id)
    with platform.engine.connect() as conn:
        return [(r.actor, r.at.replace(tzinfo=UTC), r.detail) for r in conn.execute(query)]


def test_one_class_per_engine_chosen_from_the_engine(platform: Platform) -> None:
    expected = SQLiteDialect if platform.engine.dialect.name == "sqlite" else PostgreSQLDialect
    assert isinstance(dialect_for(platform.engine), expected)
    assert platform.dialect == expected.name
    assert (platform.batcher is not None) == expected.group_commit


def test_bulk_insert_and_queue_flush_store_the_same_row(platform: Platform) -> None:
    """Driver tuples (COPY / executemany) and dict rows (pipeline / in order) read back alike."""
    dialect = dialect_for(platform.engine)
    with begin_write(platform.engine, synced=False) as conn:
        columns, values = driver_rows(dialect, audit_log, [_event("bulk")])
        dialect.insert_rows(conn, audit_log, columns, values)
        dialect.flush(conn, [(audit_log, [_event("queued-1"), _event("queued-2")])])
        dialect.after_batch(conn)
    assert _stored(platform) == [
        (actor, AT, {"nested": ["ñ", 1]}) for actor in ("bulk", "queued-1", "queued-2")
    ]


def test_a_relaxed_transaction_still_commits_and_rolls_back(platform: Platform) -> None:
    dialect = dialect_for(platform.engine)
    try:
        with begin_write(platform.engine, synced=False) as conn:
            dialect.flush(conn, [(audit_log, [_event("lost")])])
            raise LookupError("abandon")
    except LookupError:
        pass
    with begin_write(platform.engine, synced=False) as conn:
        dialect.flush(conn, [(audit_log, [_event("kept")])])
    assert [actor for actor, _, _ in _stored(platform)] == ["kept"]


def test_update_rows_sets_each_rows_columns_by_key_in_one_batch(platform: Platform) -> None:
    """The audit chainer's link update: each row gets its own values, others stay as they were."""
    dialect = dialect_for(platform.engine)
    with begin_write(platform.engine) as conn:
        dialect.flush(conn, [(audit_log, [_event(f"e{i}") for i in range(4)])])
    with platform.engine.connect() as conn:
        ids = list(conn.execute(select(audit_log.c.id).order_by(audit_log.c.id)).scalars())
    columns = ("id", "chain_seq", "prev_hash", "hash", "chain_version")
    links = [(row_id, 10 + n, "p" * 64, f"{n:064d}", 2) for n, row_id in enumerate(ids[:3])]
    with begin_write(platform.engine) as conn:
        dialect.update_rows(conn, audit_log, columns, links)
    query = select(*(audit_log.c[name] for name in columns)).order_by(audit_log.c.id)
    with platform.engine.connect() as conn:
        stored = [tuple(row) for row in conn.execute(query)]
    assert stored == [*links, (ids[3], None, None, None, None)]


def test_no_engine_name_branch_outside_the_store() -> None:
    """Engine differences are methods of the seam: nothing above ``store/`` asks the name."""
    src = Path(__file__).resolve().parents[2] / "src" / "plataforma"
    offenders = [
        f"{path.relative_to(src)}:{number}"
        for path in sorted(src.rglob("*.py"))
        if path.parent.name != "store"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "dialect.name" in line
    ]
    assert not offenders
