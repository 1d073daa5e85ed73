"""The one place that knows how SQLite and PostgreSQL differ on the write path.

Every engine-specific choice the store makes is a method of a :class:`Dialect`, one class per
engine, chosen once from the engine by :func:`dialect_for`. Code elsewhere asks the dialect
("insert these rows the fastest way", "commit this without waiting for the disk") instead of
testing the engine's name, so a difference is written, measured and explained once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from functools import cache
from typing import Any, Protocol

from sqlalchemy import JSON, Connection, Engine, Select, Table, insert, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.dml import ReturningInsert

from plataforma.store.jsontext import dumps
from plataforma.store.tables import records

_SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # the text SQLAlchemy's SQLite DateTime writes

Pending = Sequence[tuple[Table, Sequence[dict[str, Any]]]]


class Dialect(Protocol):
    """What the write path needs to know about an engine."""

    name: str
    #: Whether concurrent API writes are merged into one commit (:class:`WriteBatcher`).
    group_commit: bool
    #: One writer at a time (SQLite). Rows then become visible in the order of their
    #: auto-increment ids (a reader that has seen id N never later sees a new row below N),
    #: and the process's writers queue on a lock of their own (:func:`engine.begin_write`).
    one_writer: bool

    def claim_statement(self) -> ReturningInsert[str]:
        """``INSERT … ON CONFLICT (natural key) DO NOTHING RETURNING id`` on ``records``."""
        ...

    def insert_adding(self, table: Table, column: str) -> Any:
        """``INSERT … ON CONFLICT (<primary key>) DO UPDATE SET column = column + new``:
        counters kept by consumers (trend counts), one statement for a batch of deltas."""
        ...

    def insert_replacing(self, table: Table) -> Any:
        """``INSERT … ON CONFLICT (<primary key>) DO UPDATE`` every other column."""
        ...

    def lock_keys(self, conn: Connection, keys: Sequence[str]) -> None:
        """Hold ``keys`` until the transaction ends, so two transactions working on the same
        key (an incident's trend contribution, which may not exist yet) run one after the
        other: a row lock cannot cover a row not yet inserted."""
        ...

    def insert_ignoring_duplicates(self, table: Table) -> Any:
        """``INSERT … ON CONFLICT DO NOTHING RETURNING <primary key>`` into ``table``.

        The idempotent consumers' insert: a row comes back only when it was new (a driver's
        rowcount for a skipped conflict is not reliable across engines).
        """
        ...

    def insert_rows(
        self, conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """Insert driver-ready tuples (see :meth:`driver_time`) in the caller's transaction."""
        ...

    def driver_time(self, now: datetime) -> Any:
        """``now`` as this engine's driver stores a timestamp column."""
        ...

    def update_rows(
        self, conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """Set ``columns[1:]`` of the rows whose ``columns[0]`` (a key) is each tuple's first
        value, in the caller's transaction, as one batch."""
        ...

    def flush(self, conn: Connection, pending: Pending) -> None:
        """Execute queued inserts (dict rows, by table, in order) in ``conn``'s transaction."""
        ...

    def transaction(self, conn: Connection, *, synced: bool) -> AbstractContextManager[None]:
        """A transaction on ``conn``; ``synced=False``: its commit does not wait for the disk."""
        ...

    def after_batch(self, conn: Connection) -> None:
        """Refresh what the planner knows after a bulk load has grown ``records``."""
        ...

    def claim_rows(self, statement: Select[Any]) -> Select[Any]:
        """``statement`` locking the rows it reads for this transaction, skipping rows another
        transaction holds: how several processes share a queue table (the outbox relay)."""
        ...


class SQLiteDialect:
    """Embedded, in-process, one writer: statements cost no round trip, commits an fsync."""

    name = "sqlite"
    # One writer and an fsync per commit: merging concurrent writes took API writes from
    # ~500/s to ~700/s.
    group_commit = True
    one_writer = True

    def claim_statement(self) -> ReturningInsert[str]:
        return _claim(sqlite.insert)

    def insert_ignoring_duplicates(self, table: Table) -> Any:
        return sqlite.insert(table).on_conflict_do_nothing().returning(*table.primary_key)

    def insert_adding(self, table: Table, column: str) -> Any:
        return _adding(sqlite.insert, table, column)

    def insert_replacing(self, table: Table) -> Any:
        return _replacing(sqlite.insert, table)

    def insert_rows(
        self, conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        names = ", ".join(columns)
        marks = ", ".join("?" for _ in columns)
        cursor = conn.connection.cursor()
        try:
            cursor.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", rows)
        finally:
            cursor.close()

    def driver_time(self, now: datetime) -> Any:
        return now.strftime(_SQLITE_TIME)

    def update_rows(
        self, conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        # One prepared statement run for every row, without SQLAlchemy's per-row overhead.
        key, *names = columns
        sets = ", ".join(f"{name} = ?" for name in names)
        cursor: Any = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.executemany(
                f"UPDATE {table.name} SET {sets} WHERE {key} = ?",
                [(*row[1:], row[0]) for row in rows],
            )
        finally:
            cursor.close()

    def flush(self, conn: Connection, pending: Pending) -> None:
        # In-process: executing in order costs nothing a pipeline would save.
        for table, rows in pending:
            conn.execute(insert(table), list(rows))

    @contextmanager
    def transaction(self, conn: Connection, *, synced: bool) -> Iterator[None]:
        if synced:
            with conn.begin():
                yield
            return
        # A pragma, so it is set outside any transaction (the driver is in autocommit mode)
        # and put back afterwards: the pooled connection must not stay relaxed.
        driver: Any = conn.connection.driver_connection
        driver.execute("PRAGMA synchronous=NORMAL")
        try:
            with conn.begin():
                yield
        finally:
            driver.execute("PRAGMA synchronous=FULL")

    def after_batch(self, conn: Connection) -> None:
        """Nothing: SQLite plans the source_ref lookup on the unique index regardless."""

    def claim_rows(self, statement: Select[Any]) -> Select[Any]:
        # One writer: a write transaction (BEGIN IMMEDIATE) already excludes every other.
        return statement

    def lock_keys(self, conn: Connection, keys: Sequence[str]) -> None:
        """Nothing: a write transaction (BEGIN IMMEDIATE) already excludes every other."""


class PostgreSQLDialect:
    """A server: every statement is a round trip, commits are grouped by the server itself."""

    name = "postgresql"
    # PostgreSQL runs concurrent transactions and groups their commits itself; funnelling a
    # process's writes through one transaction at a time measured slower (250/s against
    # 430/s with two workers).
    group_commit = False
    # Concurrent transactions take ids when they insert and commit in any order.
    one_writer = False

    def claim_statement(self) -> ReturningInsert[str]:
        return _claim(postgresql.insert)

    def insert_ignoring_duplicates(self, table: Table) -> Any:
        return postgresql.insert(table).on_conflict_do_nothing().returning(*table.primary_key)

    def insert_adding(self, table: Table, column: str) -> Any:
        return _adding(postgresql.insert, table, column)

    def insert_replacing(self, table: Table) -> Any:
        return _replacing(postgresql.insert, table)

    def insert_rows(
        self, conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        # COPY: one stream for the whole batch instead of a statement per row.
        names = ", ".join(columns)
        cursor: Any = conn.connection.cursor()
        try:
            with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        finally:
            cursor.close()

    def driver_time(self, now: datetime) -> Any:
        return now

    def update_rows(
        self, conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        # One statement for the batch: each column travels as an array and unnest joins them
        # back into rows (an executemany would be a round trip per row).
        key, *names = columns
        arrays = ", ".join(
            f"%s::{table.c[name].type.compile(dialect=conn.dialect)}[]" for name in columns
        )
        sets = ", ".join(f"{name} = v.{name}" for name in names)
        conn.exec_driver_sql(
            f"UPDATE {table.name} AS t SET {sets} FROM unnest({arrays}) "
            f"AS v({', '.join(columns)}) WHERE t.{key} = v.{key}",
            tuple(list(column) for column in zip(*rows, strict=True)),
        )

    def flush(self, conn: Connection, pending: Pending) -> None:
        # One psycopg pipeline: one round trip for every queued insert of a write, which is
        # what capped single-record API writes (each insert was a round trip and a wake-up of
        # the server process). JSON is serialised here: the driver is called without
        # SQLAlchemy's types.
        driver: Any = conn.connection.driver_connection
        driver_error = conn.dialect.loaded_dbapi.Error
        sql = ""
        try:
            with driver.pipeline(), driver.cursor() as cursor:
                for table, rows in pending:
                    columns = tuple(rows[0])
                    sql, json_columns = _pipeline_statement(table, columns)
                    cursor.executemany(sql, [_values(row, columns, json_columns) for row in rows])
        except driver_error as error:
            # The same exception classes SQLAlchemy raises (IntegrityError, ...), so callers
            # handle a pipelined failure exactly like one from conn.execute.
            raise DBAPIError.instance(sql, None, error, driver_error) from error

    @contextmanager
    def transaction(self, conn: Connection, *, synced: bool) -> Iterator[None]:
        with conn.begin():
            if not synced:  # SET LOCAL: this transaction only, the pooled connection is untouched
                conn.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
            yield

    def after_batch(self, conn: Connection) -> None:
        conn.exec_driver_sql("ANALYZE records")

    def claim_rows(self, statement: Select[Any]) -> Select[Any]:
        return statement.with_for_update(skip_locked=True)

    def lock_keys(self, conn: Connection, keys: Sequence[str]) -> None:
        # Transaction-scoped advisory locks, taken in sorted order so two transactions
        # locking overlapping keys cannot deadlock.
        for key in sorted(set(keys)):
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": key})


_DIALECTS: dict[str, Dialect] = {
    SQLiteDialect.name: SQLiteDialect(),
    PostgreSQLDialect.name: PostgreSQLDialect(),
}


def dialect_for(bind: Engine | Connection) -> Dialect:
    """The :class:`Dialect` of ``bind``'s engine; an engine the store does not support fails."""
    try:
        return _DIALECTS[bind.dialect.name]
    except KeyError:
        raise ValueError(f"unsupported database engine: {bind.dialect.name}") from None


# Built once per table: constructing ON CONFLICT … DO UPDATE (its `excluded` columns) cost
# ~1.5 ms, more than the statement's execution, on a consumer's per-event path.
@cache
def _adding(upsert: Any, table: Table, column: str) -> Any:
    # Both engines spell ON CONFLICT … DO UPDATE the same way; only the insert differs.
    statement = upsert(table)
    return statement.on_conflict_do_update(
        index_elements=list(table.primary_key),
        set_={column: table.c[column] + statement.excluded[column]},
    )


@cache
def _replacing(upsert: Any, table: Table) -> Any:
    statement = upsert(table)
    keys = {column.name for column in table.primary_key}
    return statement.on_conflict_do_update(
        index_elements=list(table.primary_key),
        set_={c.name: statement.excluded[c.name] for c in table.columns if c.name not in keys},
    )


@cache
def _claim(upsert: Any) -> ReturningInsert[str]:
    statement: ReturningInsert[str] = (
        upsert(records)
        .on_conflict_do_nothing(index_elements=["source_ref", "agency", "record_type"])
        .returning(records.c.id)
    )
    return statement


@cache
def _pipeline_statement(table: Table, columns: tuple[str, ...]) -> tuple[str, frozenset[str]]:
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
