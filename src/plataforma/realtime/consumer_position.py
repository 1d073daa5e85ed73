"""Where a durable consumer of the in-process bus stopped, kept in ``bus_consumers``.

The position is the last outbox id the consumer handled. Writing it after every event would
put a write (on SQLite, the one writer lock) behind every event; it is written at most every
:data:`SAVE_EVERY` seconds and at a clean stop instead. A crash then repeats at most that much,
which consumers absorb: they are idempotent, as at-least-once delivery requires anyway.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy import Engine, func, select, update

from plataforma.realtime.events import RecordEvent
from plataforma.store.dialect import dialect_for
from plataforma.store.engine import begin_write
from plataforma.store.tables import bus_consumers, outbox

SAVE_EVERY = 0.2
_PAGE = 1000


def load(engine: Engine, name: str) -> int:
    """The consumer's position; a new consumer starts after the last published event."""
    with engine.connect() as conn:
        position = conn.scalar(select(bus_consumers.c.position).where(bus_consumers.c.name == name))
        if position is not None:
            return int(position)
        last = conn.scalar(select(func.max(outbox.c.id)).where(outbox.c.published_at.is_not(None)))
    start = int(last or 0)
    with begin_write(engine) as conn:
        insert = dialect_for(conn).insert_ignoring_duplicates(bus_consumers)
        conn.execute(insert, {"name": name, "position": start, "updated_at": datetime.now(UTC)})
    return load(engine, name)


def save(engine: Engine, name: str, position: int) -> None:
    """Record ``position`` (a relaxed commit: losing it repeats events, which is harmless)."""
    with begin_write(engine, synced=False) as conn:
        conn.execute(
            update(bus_consumers)
            .where(bus_consumers.c.name == name, bus_consumers.c.position < position)
            .values(position=position, updated_at=datetime.now(UTC))
        )


def published_after(engine: Engine, position: int) -> Iterator[RecordEvent]:
    """Published events past ``position`` in id order, read a page at a time (catch-up)."""
    while True:
        with engine.connect() as conn:
            rows = conn.execute(
                select(outbox)
                .where(outbox.c.id > position, outbox.c.published_at.is_not(None))
                .order_by(outbox.c.id)
                .limit(_PAGE)
            ).all()
        for row in rows:
            yield RecordEvent.from_row(dict(row._mapping))
        if len(rows) < _PAGE:
            return
        position = int(rows[-1].id)
