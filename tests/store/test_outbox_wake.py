"""The relay's wake-up: called once a transaction that wrote outbox rows is over, not before."""

from __future__ import annotations

from sqlalchemy import func, select

from conftest import add_agency
from plataforma.context import Platform
from plataforma.records.service import RecordService
from plataforma.security.principal import LOCAL_ADMIN
from plataforma.store.outbox import after_outbox_commit
from plataforma.store.tables import outbox


def test_the_callback_sees_the_committed_rows_and_reads_wake_nobody(platform: Platform) -> None:
    seen: list[int] = []

    def count_rows() -> None:  # runs on the writer's thread: a fresh connection sees the rows
        with platform.engine.connect() as conn:
            seen.append(int(conn.scalar(select(func.count()).select_from(outbox)) or 0))

    stop = after_outbox_commit(platform.engine, count_rows)
    try:
        add_agency(platform, "POL-GDL", "municipal", "police", "14")
        assert seen == [1]
        before = len(seen)
        with platform.engine.connect() as conn:  # a read wakes nobody
            conn.scalar(select(func.count()).select_from(outbox))
        assert len(seen) == before
        body = {
            "source_ref": "W-1",
            "agency": "POL-GDL",
            "given_names": "Ana",
            "first_surname": "X",
        }
        RecordService(platform).submit(LOCAL_ADMIN, "person", body)
        assert seen and seen[-1] == 2  # the agency's event and the person's, both visible
        calls = len(seen)
        RecordService(platform).submit(LOCAL_ADMIN, "person", body)  # unchanged: no new event
        assert len(seen) == calls
    finally:
        stop()
    RecordService(platform).submit(LOCAL_ADMIN, "person", {**body, "source_ref": "W-2"})
    assert len(seen) == calls  # stopped
