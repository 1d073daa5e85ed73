"""Inserts that need no answer, sent to the database together at the end of a write.

Storing one record is five inserts whose results nobody reads: its version, its keys, its
outbox event and its audit event, after the records row itself. On PostgreSQL each statement
is a network round trip and a wake-up of the server process, which capped single-record API
writes; queued here, they go out in one psycopg pipeline, one round trip for all of them,
still inside the caller's transaction. SQLite runs in-process, where a statement costs no
round trip, so the queue simply executes them in order. How is the dialect's business
(:meth:`Dialect.flush`).

Rows are the dictionaries :mod:`rows` builds, the ones :func:`sqlalchemy.insert` takes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table

from plataforma.store.dialect import dialect_for


class InsertQueue:
    """Rows to insert, by table, in the order they were added."""

    def __init__(self) -> None:
        self._pending: list[tuple[Table, Sequence[dict[str, Any]]]] = []

    def add(self, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            self._pending.append((table, rows))

    def flush(self, conn: Connection) -> None:
        """Execute everything queued, in order, in ``conn``'s transaction."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        dialect_for(conn).flush(conn, pending)
