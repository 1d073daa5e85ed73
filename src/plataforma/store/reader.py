"""Reads: one record, its history, records by inquiry key, and cursor-paginated listings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, select

from plataforma.model.envelope import Envelope, Flag
from plataforma.store.tables import record_keys, record_versions, records

# Sorts after every character a normalised key holds (keys are upper-case ASCII and '|').
PREFIX_END = "\uffff"


def _aware(value: datetime) -> datetime:
    """SQLite hands back naive UTC; PostgreSQL hands back aware. Make both aware."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def to_envelope(row: Row[Any]) -> Envelope:
    return Envelope(
        id=row.id,
        record_type=row.record_type,
        agency=row.agency,
        source_ref=row.source_ref,
        marking=row.marking,
        restricted_file=row.restricted_file,
        state=row.state,
        status=row.status,
        version=row.version,
        entered_by=row.entered_by,
        entered_at=_aware(row.entered_at),
        updated_at=_aware(row.updated_at),
        valid_until=row.valid_until,
        purge_after=row.purge_after,
        flags=[Flag(**flag) for flag in row.flags],
        data=row.data,
    )


def get_record(conn: Connection, record_id: str) -> Envelope | None:
    row = conn.execute(select(records).where(records.c.id == record_id)).first()
    return to_envelope(row) if row else None


def get_by_source(
    conn: Connection, agency: str, record_type: str, source_ref: str
) -> Envelope | None:
    query = select(records).where(
        records.c.agency == agency,
        records.c.record_type == record_type,
        records.c.source_ref == source_ref,
    )
    row = conn.execute(query).first()
    return to_envelope(row) if row else None


@dataclass(frozen=True, slots=True)
class VersionEntry:
    """One version as it was entered: its own marking, status and restricted file."""

    version: int
    marking: str
    status: str
    entered_by: str
    entered_at: datetime
    data: dict[str, Any]
    # Each version is shown under its own marking and file, not the record's current ones.
    restricted_file: str | None = None


def history(conn: Connection, record_id: str) -> list[VersionEntry]:
    """Every version of a record, oldest first: nothing is overwritten.

    The superseded versions are in record_versions, the current one is the records row.
    """
    earlier = (
        select(record_versions)
        .where(record_versions.c.record_id == record_id)
        .order_by(record_versions.c.version)
    )
    entries = [
        VersionEntry(
            r.version,
            r.marking,
            r.status,
            r.entered_by,
            _aware(r.entered_at),
            r.data,
            r.restricted_file,
        )
        for r in conn.execute(earlier)
    ]
    current = conn.execute(select(records).where(records.c.id == record_id)).first()
    if current is not None:
        entries.append(
            VersionEntry(
                current.version,
                current.marking,
                current.status,
                current.updated_by or current.entered_by,
                _aware(current.updated_at),
                current.data,
                current.restricted_file,
            )
        )
    return entries


def find_by_key(
    conn: Connection,
    kind: str,
    value: str,
    record_types: Sequence[str] | None = None,
    limit: int = 100,
    *,
    prefix: bool = False,
    visible: ColumnElement[bool] | None = None,
) -> list[Envelope]:
    """Records whose inquiry key ``kind`` equals ``value`` (already normalised).

    With ``prefix`` the key need only start with ``value``; the range form keeps the lookup
    on the index on both SQLite and PostgreSQL (``LIKE`` would not, under their collations).
    ``visible`` (a clause over ``records``) keeps hidden rows out before ``limit`` counts.
    """
    match = (
        record_keys.c.value.between(value, value + PREFIX_END)
        if prefix
        else record_keys.c.value == value
    )
    query = (
        select(records)
        .join(record_keys, record_keys.c.record_id == records.c.id)
        .where(record_keys.c.kind == kind, match)
        .limit(limit)
    )
    if record_types:
        query = query.where(record_keys.c.record_type.in_(record_types))
    if visible is not None:
        query = query.where(visible)
    return [to_envelope(row) for row in conn.execute(query)]


def list_records(
    conn: Connection,
    record_type: str,
    *,
    after: str | None = None,
    limit: int = 50,
    agency: str | None = None,
    state: str | None = None,
    source_ref: str | None = None,
    updated_since: datetime | None = None,
    visible: ColumnElement[bool] | None = None,
) -> list[Envelope]:
    """A page of records in id (creation) order; ``after`` is the last id of the previous page.

    ``visible`` (see :mod:`plataforma.records.visibility`) is applied in SQL, so the page holds
    only rows the caller may see and its last id is safe to hand out as a cursor.
    """
    query = select(records).where(records.c.record_type == record_type)
    if visible is not None:
        query = query.where(visible)
    if after:
        query = query.where(records.c.id > after)
    if agency:
        query = query.where(records.c.agency == agency)
    if state:
        query = query.where(records.c.state == state)
    if source_ref:
        query = query.where(records.c.source_ref == source_ref)
    if updated_since is not None:
        query = query.where(records.c.updated_at >= updated_since)
    query = query.order_by(records.c.id).limit(limit)
    return [to_envelope(row) for row in conn.execute(query)]
