"""Every row the write path stores, built in one place from one column list per table.

The API path hands SQLAlchemy dictionaries of Python values; the bulk path hands the driver
tuples whose JSON is already text. Both come from the same builders here: a builder returns a
named tuple whose fields are the table's columns (``row`` is the tuple form, ``row._asdict()``
the dictionary form), and the caller passes the values already in the form it needs (Python
objects or driver text for JSON, ``datetime`` or :meth:`Dialect.driver_time` for times). No
code outside this module depends on the order of a table's columns.

Audit rows are :meth:`AuditEvent.row` dictionaries; :func:`driver_rows` turns those (or any
dictionary rows) into the tuple form.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple, Protocol

from sqlalchemy import JSON, ColumnElement, DateTime, Table, func

from plataforma.store.dialect import Dialect
from plataforma.store.jsontext import dumps
from plataforma.store.tables import outbox, record_keys, record_versions, records

KEY_LENGTH = 160  # record_keys.value: longer keys are cut, as the column would refuse them


class RecordRow(NamedTuple):
    id: str
    record_type: str
    agency: str
    source_ref: str
    marking: str
    restricted_file: str | None
    state: str | None
    status: str
    version: int
    entered_by: str
    entered_at: Any
    updated_by: str
    updated_at: Any
    valid_until: Any
    purge_after: Any
    content_hash: str
    flags: Any
    data: Any


class KeyRow(NamedTuple):
    kind: str
    value: str
    record_id: str
    record_type: str


class OutboxRow(NamedTuple):
    subject: str
    record_id: str
    record_type: str
    agency: str
    marking: str
    version: int
    keys: Any
    created_at: Any
    published_at: Any


#: Columns a new version of a record replaces; the rest (identity, creation) stay as written.
UPDATED_COLUMNS = (
    "marking",
    "restricted_file",
    "state",
    "status",
    "version",
    "updated_by",
    "updated_at",
    "valid_until",
    "purge_after",
    "content_hash",
    "flags",
    "data",
)


def superseded_version() -> dict[str, ColumnElement[Any]]:
    """record_versions' columns as read from the records row a new version is replacing.

    ``record_versions`` keeps only superseded versions; the current one is the records row.
    """
    return {
        "record_id": records.c.id,
        "version": records.c.version,
        "marking": records.c.marking,
        "status": records.c.status,
        "entered_by": func.coalesce(records.c.updated_by, records.c.entered_by),
        "entered_at": records.c.updated_at,
        "content_hash": records.c.content_hash,
        "data": records.c.data,
        "restricted_file": records.c.restricted_file,
    }


class Envelope(Protocol):
    """The fields a prepared record carries, whether as Python values or as driver text."""

    @property
    def record_type(self) -> str: ...
    @property
    def agency(self) -> str: ...
    @property
    def source_ref(self) -> str: ...
    @property
    def marking(self) -> str: ...
    @property
    def restricted_file(self) -> str | None: ...
    @property
    def state(self) -> str | None: ...
    @property
    def status(self) -> str: ...
    @property
    def valid_until(self) -> date | str | None: ...
    @property
    def purge_after(self) -> date | str: ...
    @property
    def content_hash(self) -> str: ...


def record_row(
    item: Envelope, record_id: str, version: int, actor: str, at: Any, flags: Any, data: Any
) -> RecordRow:
    """The records row of ``item`` at ``version``, written by ``actor`` at ``at``."""
    return RecordRow(
        id=record_id,
        record_type=item.record_type,
        agency=item.agency,
        source_ref=item.source_ref,
        marking=item.marking,
        restricted_file=item.restricted_file,
        state=item.state,
        status=item.status,
        version=version,
        entered_by=actor,
        entered_at=at,
        updated_by=actor,
        updated_at=at,
        valid_until=item.valid_until,
        purge_after=item.purge_after,
        content_hash=item.content_hash,
        flags=flags,
        data=data,
    )


def updated_values(row: RecordRow) -> dict[str, Any]:
    """The part of ``row`` an update writes (:data:`UPDATED_COLUMNS`)."""
    values = row._asdict()
    return {name: values[name] for name in UPDATED_COLUMNS}


def key_rows(keys: Iterable[tuple[str, str]], record_id: str, record_type: str) -> Iterable[KeyRow]:
    for kind, value in keys:
        yield KeyRow(kind, value[:KEY_LENGTH], record_id, record_type)


def outbox_row(
    record_type: str,
    agency: str,
    marking: str,
    record_id: str,
    version: int,
    event: str,
    keys: Any,
    at: Any,
) -> OutboxRow:
    """The outbox event ``plataforma.<type>.<event>``; ``keys`` the record's inquiry keys."""
    return OutboxRow(
        subject=f"plataforma.{record_type}.{event}",
        record_id=record_id,
        record_type=record_type,
        agency=agency,
        marking=marking,
        version=version,
        keys=keys,
        created_at=at,
        published_at=None,
    )


def driver_rows(
    dialect: Dialect, table: Table, rows: Sequence[Mapping[str, Any]]
) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    """Dictionary rows of Python values as the column names and driver-ready tuples."""
    if not rows:
        return (), []
    columns = tuple(rows[0])
    json_columns = {name for name in columns if isinstance(table.c[name].type, JSON)}
    time_columns = {name for name in columns if isinstance(table.c[name].type, DateTime)}
    encoders = [
        _encode_json if name in json_columns else _time(dialect) if name in time_columns else None
        for name in columns
    ]
    out = [
        tuple(
            row[name] if encode is None or row[name] is None else encode(row[name])
            for name, encode in zip(columns, encoders, strict=True)
        )
        for row in rows
    ]
    return columns, out


def _encode_json(value: Any) -> str:
    return dumps(value)


def _time(dialect: Dialect) -> Any:
    def encode(value: datetime) -> Any:
        return dialect.driver_time(value)

    return encode


def _check(table: Table, row: type[NamedTuple], generated: tuple[str, ...] = ()) -> None:
    """A builder must name exactly the table's columns (bar those the database generates)."""
    columns = {column.name for column in table.columns} - set(generated)
    if set(row._fields) != columns:
        raise RuntimeError(f"{row.__name__} does not match table {table.name}: {columns}")


_check(records, RecordRow)
_check(record_keys, KeyRow)
_check(outbox, OutboxRow, generated=("id",))
if set(superseded_version()) != {column.name for column in record_versions.columns}:
    raise RuntimeError("superseded_version does not match table record_versions")
