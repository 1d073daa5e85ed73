"""Inserts that need no answer, sent to the database together at the end of a write.

Storing one record is five inserts whose results nobody reads: its version, its keys, its
outbox event and its audit event, after the records row itself. On PostgreSQL each statement
is a network round trip and a wake-up of the server process, which capped single-record API
writes; queued here, they go out in one psycopg pipeline, one round trip for all of them,
still inside the caller's transaction. SQLite runs in-process, where a statement costs no
round trip, so the queue simply executes them in order.

Rows are the same dictionaries :func:`sqlalchemy.insert` takes; on the pipeline path JSON
columns are serialised here, since the driver is called without SQLAlchemy's types.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import JSON, Connection, Table, insert
from sqlalchemy.exc import DBAPIError

from plataforma.store.jsontext import dumps


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
        if conn.dialect.name != "postgresql":
            for table, rows in pending:
                conn.execute(insert(table), list(rows))
            return
        driver: Any = conn.connection.driver_connection
        driver_error = conn.dialect.loaded_dbapi.Error
        sql = ""
        try:
            with driver.pipeline(), driver.cursor() as cursor:
                for table, rows in pending:
                    columns = tuple(rows[0])
                    sql, json_columns = _statement(table, columns)
                    cursor.executemany(sql, [_values(row, columns, json_columns) for row in rows])
        except driver_error as error:
            # The same exception classes SQLAlchemy raises (IntegrityError, ...), so callers
            # handle a pipelined failure exactly like one from conn.execute.
            raise DBAPIError.instance(sql, None, error, driver_error) from error


@cache
def _statement(table: Table, columns: tuple[str, ...]) -> tuple[str, frozenset[str]]:
    names = ", ".join(columns)
    marks = ", ".join("%s" for _ in columns)
    json_columns = frozenset(name for name in columns if isinstance(table.c[name].type, JSON))
    return f"INSERT INTO {table.name} ({names}) VALUES ({marks})", json_columns


def _values(
    row: dict[str, Any], columns: tuple[str, ...], json_columns: frozenset[str]
) -> tuple[Any, ...]:
    return tuple(
        dumps(row[name]) if name in json_columns and row[name] is not None else row[name]
        for name in columns
    )
