"""The deferred insert queue: same rows as a plain insert, in order, inside the transaction."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from plataforma.context import Platform
from plataforma.store.deferred import InsertQueue
from plataforma.store.tables import outbox, record_keys

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def _event(record_id: str) -> dict[str, object]:
    return {
        "subject": "plataforma.person.created",
        "record_id": record_id,
        "record_type": "person",
        "agency": "A",
        "marking": "sbu",
        "version": 1,
        "keys": [["curp", "X"], ["name", "ANA|RUIZ||"]],
        "created_at": NOW,
        "published_at": None,
    }


def test_queued_rows_land_with_their_json_intact(platform: Platform) -> None:
    queue = InsertQueue()
    with platform.engine.begin() as conn:
        queue.add(outbox, [_event("r1"), _event("r2")])
        queue.add(
            record_keys,
            [{"kind": "curp", "value": "X", "record_id": "r1", "record_type": "person"}],
        )
        queue.add(record_keys, [])
        queue.flush(conn)
    with platform.engine.connect() as conn:
        rows = conn.execute(select(outbox).order_by(outbox.c.id)).all()
        keys = conn.execute(select(record_keys.c.record_id)).scalars().all()
    assert [row.record_id for row in rows] == ["r1", "r2"]
    assert rows[0].keys == [["curp", "X"], ["name", "ANA|RUIZ||"]]
    assert rows[0].published_at is None and rows[0].created_at.replace(tzinfo=UTC) == NOW
    assert keys == ["r1"]


def test_a_failing_row_rolls_back_the_whole_transaction(platform: Platform) -> None:
    key = {"kind": "curp", "value": "X", "record_id": "r1", "record_type": "person"}
    queue = InsertQueue()
    with pytest.raises(IntegrityError), platform.engine.begin() as conn:
        queue.add(outbox, [_event("r1")])
        queue.add(record_keys, [key, dict(key)])  # the same primary key twice
        queue.flush(conn)
    with platform.engine.connect() as conn:
        assert conn.execute(select(outbox)).all() == []
        assert conn.execute(select(record_keys)).all() == []


def test_flush_empties_the_queue(platform: Platform) -> None:
    queue = InsertQueue()
    with platform.engine.begin() as conn:
        queue.add(outbox, [_event("r1")])
        queue.flush(conn)
        queue.flush(conn)
    with platform.engine.connect() as conn:
        assert len(conn.execute(select(outbox)).all()) == 1
